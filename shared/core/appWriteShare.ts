/**
 * A tenant's part of Graph's application-wide write limit, when one deployment writes to many tenants.
 *
 * Graph limits one app's writes across every tenant together (35,000 per 5 minutes: docs/graph-behaviour.md#throttling),
 * on top of each tenant's own 3,000 per 150 s. Past about six tenants writing at once the sum of their own quotas is
 * above the app's limit, so each tenant night takes an equal part of it among the nights *writing* at that moment
 * (a night still reading its roster takes none), divided by the number of writers the writers' register
 * (`<prefix>Writers`) shows. Pure: the register's rows and the clock are inputs.
 *
 * Graph does not say whether the app-wide limit is a refilling bucket or a window (docs/graph-behaviour.md#throttling),
 * so the part holds under both: the rate is `margin` of the limit's, and the burst the writers may spend at once is
 * half of what the margin leaves (1.5 % of the quota at 97 %), so that burst plus a window of the rate stays under
 * the quota (98.5 %) even if Graph counts a window. Under a bucket this gives up only the first minutes' head start of
 * a night that lasts hours.
 */

/** Graph's application-wide write limit as the deployment is told it (MFA_GRAPH_APP_WRITE_QUOTA per MFA_GRAPH_APP_WRITE_WINDOW_SECONDS). */
export interface AppWriteLimit {
  readonly quota: number;
  readonly windowSeconds: number;
}

/** What one writer may use of the app's limit: a sustained rate and the burst it may spend at once. */
export interface WriteShare {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Writers it was divided among (this one included). */
  readonly writers: number;
}

/** One row of the writers' register: a writer, until when its announcement holds, and the most it writes a second. */
export interface WriterAnnouncement {
  readonly writerId: string;
  readonly expiresAtMs: number;
  /**
   * The most the writer's night writes a second whatever its part (its own tenant's pace: MFA_GRAPH_WRITES_PER_SECOND
   * × the margin); null when the row does not say or says it unreadably.
   */
  readonly pacePerSecond?: number | null;
}

/** How often a writer renews and counts the others, how long an announcement holds, how long a newcomer waits. */
export interface ShareCadence {
  readonly refreshMs: number;
  readonly ttlMs: number;
  /** How long a writer that has just announced itself waits before its first write, then counts again. */
  readonly joinWaitMs: number;
}

/**
 * A third of the limit's window, between 1 and 5 s. An announcement holds three refreshes, so a writer that died stops
 * counting after ~15 s (3 s in a 3 s test window). A writer joining others waits one and a half refreshes after
 * announcing itself before it writes: by then every writer already writing has renewed and counted it, so the parts
 * never add up to more than the limit while the others still divide it among fewer (under a window reading, that
 * overshoot, one refresh of the newcomer's part per join, is more than the margin leaves at a small scale).
 */
export function shareCadence(limit: AppWriteLimit): ShareCadence {
  const refreshMs = Math.min(5_000, Math.max(1_000, Math.round((limit.windowSeconds * 1000) / 3)));
  return { refreshMs, ttlMs: refreshMs * 3, joinWaitMs: Math.round(refreshMs * 1.5) };
}

/** Writers whose announcement still holds at `nowMs`; `self` always counts (its own row may not be listed yet). */
export function countWriters(rows: readonly WriterAnnouncement[], self: string, nowMs: number): number {
  const live = new Set(rows.filter((row) => row.expiresAtMs > nowMs).map((row) => row.writerId));
  live.add(self);
  return live.size;
}

/**
 * Whether a night joining the writers may write at once: when every writer holding (this one included) states its own
 * pace and those paces add up to no more than the planned rate of the limit, the writers cannot together go over it
 * whatever parts they hold (each writes at most its own pace), so the join wait protects nothing. A writer that does
 * not state its pace (an older version, an unreadable row) could write at its whole part: then the newcomer waits.
 * Pure.
 */
export function joinCannotOvershoot(limit: AppWriteLimit, rows: readonly WriterAnnouncement[], self: { readonly writerId: string; readonly pacePerSecond: number | null }, nowMs: number, margin: number): boolean {
  if (self.pacePerSecond === null) return false;
  let total = self.pacePerSecond;
  for (const row of rows) {
    if (row.writerId === self.writerId || row.expiresAtMs <= nowMs) continue;
    // the register reads a missing or unreadable pace as null (appWritersTable.ts)
    if (row.pacePerSecond === undefined || row.pacePerSecond === null) return false;
    total += row.pacePerSecond;
  }
  return total <= (limit.quota / limit.windowSeconds) * margin;
}

/** An equal part of the app's limit for each of `writers` writers: `margin` of its rate, half the rest of it as a burst (at least one write). */
export function writeShareOf(limit: AppWriteLimit, writers: number, margin: number): WriteShare {
  const count = Math.max(1, Math.floor(writers));
  return {
    ratePerSecond: ((limit.quota / limit.windowSeconds) * margin) / count,
    burst: Math.max(1, ((1 - margin) * limit.quota) / 2 / count),
    writers: count,
  };
}
