/** The two readings of Graph's write quota the bench runs against (docs/graph-behaviour.md#throttling). */
export type WriteModel = 'bucket' | 'window';

/** Graph's write quota per app and tenant as the sandbox runs it: `capacity` writes per `windowSeconds` (already time-scaled). */
export interface QuotaShape {
  readonly model: WriteModel;
  readonly capacity: number;
  readonly windowSeconds: number;
}

export interface QuotaShare {
  /** Writes landed ÷ the most the model admits over the run; ≤ 1 for any client. */
  readonly share: number;
  /** What the share counts: the writes and the most the model admits over the same span. */
  readonly writes: number;
  readonly admitted: number;
  /** What the denominator is, in words, for the table. */
  readonly basis: string;
}

/**
 * The share of Graph's write quota a run used: writes landed over the most ANY client could land under the same
 * model in the same time, with a full quota at the start.
 *
 * - bucket (starts full, refills at capacity ÷ window per second): at most capacity + refill × T in T seconds.
 * - window (at most the capacity in any window): at most the capacity in each whole window from the first write;
 *   a partial last window is left out of both sides, since a client's best use of it depends only on how fast it can
 *   send, not on the quota. A run shorter than one window is measured against one window's capacity.
 */
export function quotaShare(quota: QuotaShape, run: { readonly startMs: number; readonly endMs: number; readonly writeTimesMs: readonly number[] }): QuotaShare {
  const seconds = Math.max(0, (run.endMs - run.startMs) / 1000);
  if (quota.model === 'bucket') {
    const admitted = quota.capacity + (quota.capacity / quota.windowSeconds) * seconds;
    return { share: run.writeTimesMs.length / admitted, writes: run.writeTimesMs.length, admitted, basis: `${quota.capacity} + ${round(quota.capacity / quota.windowSeconds)}/s × ${round(seconds)} s` };
  }
  const first = Math.min(...run.writeTimesMs, run.endMs);
  const windows = Math.floor((run.endMs - first) / 1000 / quota.windowSeconds);
  if (windows === 0) return { share: run.writeTimesMs.length / quota.capacity, writes: run.writeTimesMs.length, admitted: quota.capacity, basis: `${quota.capacity} (the run is shorter than one window)` };
  const until = first + windows * quota.windowSeconds * 1000;
  const writes = run.writeTimesMs.filter((at) => at < until).length;
  const admitted = quota.capacity * windows;
  return { share: writes / admitted, writes, admitted, basis: `${quota.capacity} × ${windows} whole window${windows === 1 ? '' : 's'} of ${round(quota.windowSeconds)} s` };
}

const round = (value: number): number => Math.round(value * 10) / 10;
