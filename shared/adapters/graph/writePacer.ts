/**
 * Paces Graph writes so a night uses the documented write quota without leaning on any throttling header.
 *
 * Graph documents 3,000 writes per 150 s per app and tenant (docs/graph-behaviour.md#throttling) but not how they
 * are counted: a token bucket (a burst of 3,000 from idle, then 20 per second) or a sliding window (3,000 in any
 * 150 s, no credit for idleness). It sends `x-ms-throttle-limit-percentage` only on directory resources, never on
 * authentication methods or per-user MFA, so the pacer cannot wait for the header either. So the pacer
 *
 * - keeps its own token bucket of the documented quota, a `margin` under it (default 97 %): a burst of
 *   margin × quota, then margin × the sustained rate. Against a bucket that is the whole quota less the margin,
 *   never throttled; against a window the first burst plus the refill overruns the window once a night;
 * - on a 429 (whatever else the answer says) empties its bucket, so that after the Retry-After pause (no tokens
 *   accrue while paused) it sends at the sustained rate only, which a window holds too; and cuts a rate factor
 *   (AIMD: ×`decrease`, then +`recoverPerSecond` back up to 1) for a quota that is smaller than documented (other
 *   apps sharing the tenant quota, Graph under load). After a cut the factor is held for one round trip: the answers
 *   still in flight describe the old rate, and the twenty 429s of one batch are one congestion signal, not twenty;
 * - when an answer does carry the percentage (directory writes), lowers its bucket to what the percentage says is
 *   left, if that is less than it thinks: the header refines the plan, never raises it.
 *
 * The rate maths is pure (`refillPacer`, `throttledPacer`, `reportedPacer`); the pacer sleeps, and lets writers that
 * wait behind the rate out in groups, so their writes share a $batch.
 */

/** What Graph said about one write. */
export interface PaceSignal {
  readonly throttled: boolean;
  /** `x-ms-throttle-limit-percentage` of the answer (Graph sends it above 0.8, on directory resources), or null. */
  readonly limitPercentage: number | null;
  /** How long the write took to be answered, ms. */
  readonly latencyMs?: number;
}

export interface PacerState {
  /** Writes the pacer may send now (its bucket); negative after a reported percentage showed less left than planned. */
  readonly tokens: number;
  /** The AIMD factor on the sustained rate, `minFactor` to 1. */
  readonly factor: number;
  /** Time left, ms, before the factor may be cut again. */
  readonly holdMs: number;
}

export interface PacerTuning {
  /** The documented write quota per window (MFA_GRAPH_WRITE_QUOTA, 3,000). */
  readonly quota: number;
  /** The documented sustained rate, writes per second (MFA_GRAPH_WRITES_PER_SECOND, 20 = 3,000 per 150 s). */
  readonly ratePerSecond: number;
  /** Share of the documented quota the pacer plans to use (burst and rate). */
  readonly margin: number;
  /** Factor cut on a 429. */
  readonly decrease: number;
  /** Factor regained per second after a cut. */
  readonly recoverPerSecond: number;
  readonly minFactor: number;
}

export const defaultTuning = {
  margin: 0.97,
  decrease: 0.8,
  recoverPerSecond: 0.02,
  minFactor: 0.05,
} as const satisfies Omit<PacerTuning, 'quota' | 'ratePerSecond'>;

/** The pacer's bucket size: the burst it allows itself. */
export function pacerCapacity(tuning: PacerTuning): number {
  return tuning.quota * tuning.margin;
}

/** Writes per second the pacer's bucket refills at with this factor. */
export function pacerRate(state: Pick<PacerState, 'factor'>, tuning: PacerTuning): number {
  return tuning.ratePerSecond * tuning.margin * state.factor;
}

/** A pacer that assumes the quota is untouched: a full bucket. */
export function initialPacer(tuning: PacerTuning): PacerState {
  return { tokens: pacerCapacity(tuning), factor: 1, holdMs: 0 };
}

/** `elapsedMs` later (not paused): tokens refilled at the current rate, the factor regained, the hold run down. Pure. */
export function refillPacer(state: PacerState, elapsedMs: number, tuning: PacerTuning): PacerState {
  const elapsed = Math.max(0, elapsedMs);
  return {
    tokens: Math.min(pacerCapacity(tuning), state.tokens + (pacerRate(state, tuning) * elapsed) / 1000),
    factor: state.holdMs > 0 ? state.factor : Math.min(1, state.factor + (tuning.recoverPerSecond * elapsed) / 1000),
    holdMs: Math.max(0, state.holdMs - elapsed),
  };
}

/**
 * A write was answered 429: the quota is spent whatever the pacer's bucket says, so the bucket is emptied; the factor
 * is cut unless a cut is still being held (then the answer describes the rate before that cut). Pure.
 */
export function throttledPacer(state: PacerState, latencyMs: number, tuning: PacerTuning): PacerState {
  const tokens = Math.min(state.tokens, 0);
  if (state.holdMs > 0) return { ...state, tokens };
  return { tokens, factor: Math.max(tuning.minFactor, state.factor * tuning.decrease), holdMs: Math.max(0, latencyMs) };
}

/**
 * An answer reported `percentage` of the quota used: if that leaves less than the pacer's bucket plans to spend,
 * the bucket comes down to it (a debt when Graph reports more than the margin); never up. Pure.
 */
export function reportedPacer(state: PacerState, percentage: number, tuning: PacerTuning): PacerState {
  const leftByReport = tuning.quota * (tuning.margin - percentage);
  return leftByReport < state.tokens ? { ...state, tokens: leftByReport } : state;
}

export interface WritePacer {
  /** Waits until one more write may be sent (writers are served in arrival order). */
  acquire(): Promise<void>;
  /** Tells the pacer how Graph answered a write. */
  observe(signal: PaceSignal): void;
  /** Holds every write until this instant (after a 429, for its Retry-After); no tokens accrue meanwhile. */
  pauseUntil(instantMs: number): void;
  /** Writes per second the pacer refills at now. */
  readonly rate: number;
}

export interface WritePacerOptions {
  /** The documented sustained write rate (MFA_GRAPH_WRITES_PER_SECOND). */
  readonly ratePerSecond: number;
  /** The documented writes per quota window (MFA_GRAPH_WRITE_QUOTA). */
  readonly quota: number;
  readonly tuning?: Partial<Omit<PacerTuning, 'quota' | 'ratePerSecond'>>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createWritePacer(options: WritePacerOptions): WritePacer {
  if (!(options.ratePerSecond > 0)) throw new RangeError('createWritePacer: expected `ratePerSecond` to be a number above 0');
  if (!(options.quota >= 1)) throw new RangeError('createWritePacer: expected `quota` to be a number of at least 1');
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tuning: PacerTuning = { ...defaultTuning, ...options.tuning, quota: options.quota, ratePerSecond: options.ratePerSecond };
  let state = initialPacer(tuning);
  let updatedAt = now();
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  /** Brings the state up to `at`; a pause accrues nothing. */
  const advance = (at: number): void => {
    const from = Math.max(updatedAt, Math.min(pausedUntil, at));
    if (at > from) state = refillPacer(state, at - from, tuning);
    updatedAt = Math.max(updatedAt, at);
  };

  /**
   * Writers waiting behind the rate leave in groups (up to a quarter second of writes, at most 20) rather than one
   * by one: the writes of one group reach the gateway in the same turn and share a $batch, saving round trips
   * exactly when the rate, not the round trips, is what holds them back.
   */
  const group = () => Math.max(1, Math.min(20, Math.round(pacerRate(state, tuning) * 0.25)));
  let waiting = 0;
  let releasing = 0;

  const take = async (): Promise<void> => {
    for (;;) {
      const at = now();
      if (pausedUntil > at) {
        await sleep(pausedUntil - at);
        continue;
      }
      advance(at);
      const need = releasing > 0 ? 1 : Math.min(waiting, group());
      if (state.tokens >= need) {
        state = { ...state, tokens: state.tokens - 1 };
        releasing = releasing > 0 ? releasing - 1 : need - 1;
        waiting -= 1;
        return;
      }
      await sleep(Math.max(1, ((need - state.tokens) / pacerRate(state, tuning)) * 1000));
    }
  };

  return {
    acquire() {
      waiting += 1;
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(signal) {
      advance(now());
      if (signal.throttled) state = throttledPacer(state, signal.latencyMs ?? 0, tuning);
      else if (signal.limitPercentage !== null) state = reportedPacer(state, signal.limitPercentage, tuning);
    },
    pauseUntil(instantMs) {
      advance(now());
      pausedUntil = Math.max(pausedUntil, instantMs);
    },
    get rate() {
      return pacerRate(state, tuning);
    },
  };
}
