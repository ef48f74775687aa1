/**
 * A write quota read as a sliding window (docs/graph-behaviour.md#throttling, "bucket or window"): at most `capacity`
 * in any `windowMs`, no credit for idle time, and every request booked, throttled or not. Times are in ms.
 */
export interface SlidingWindowQuota {
  capacity: number;
  windowMs: number;
  /** Booked costs, oldest first, from `head` on; `used` is their sum. */
  readonly entries: { at: number; cost: number }[];
  head: number;
  used: number;
}

export function createSlidingWindowQuota(capacity: number, windowMs: number): SlidingWindowQuota {
  return { capacity, windowMs, entries: [], head: 0, used: 0 };
}

/** Forgets what left the window by `nowMs`. */
export function slideWindow(window: SlidingWindowQuota, nowMs: number): void {
  const { entries } = window;
  while (window.head < entries.length && (entries[window.head]?.at ?? Infinity) <= nowMs - window.windowMs) {
    window.used -= entries[window.head]?.cost ?? 0;
    window.head += 1;
  }
  if (window.head > 4_096 && window.head * 2 > entries.length) {
    entries.splice(0, window.head);
    window.head = 0;
  }
}

/** Milliseconds until `cost` fits (0 when it already does): until enough of the oldest bookings have left the window. */
export function windowWaitMs(window: SlidingWindowQuota, cost: number, nowMs: number): number {
  const needed = Math.min(cost, window.capacity);
  let excess = window.used + needed - window.capacity;
  if (excess <= 0) return 0;
  for (let index = window.head; index < window.entries.length; index += 1) {
    const entry = window.entries[index];
    if (entry === undefined) break;
    excess -= entry.cost;
    if (excess <= 0) return Math.max(1, entry.at + window.windowMs - nowMs);
  }
  return window.windowMs;
}

/** Books `cost` now. A client that keeps sending while throttled stays throttled, up to twice the capacity of debt. */
export function drawWindow(window: SlidingWindowQuota, cost: number, nowMs: number): void {
  if (window.used >= 2 * window.capacity) return;
  window.entries.push({ at: nowMs, cost });
  window.used += cost;
}

/** Share of the capacity booked in the window (above 1 while throttled requests are still in it). */
export function windowUsedShare(window: SlidingWindowQuota): number {
  return window.capacity === 0 ? 1 : window.used / window.capacity;
}

export function resizeWindow(window: SlidingWindowQuota, capacity: number, windowMs: number): void {
  window.capacity = capacity;
  window.windowMs = windowMs;
}
