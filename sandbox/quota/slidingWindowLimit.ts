/** The outcome of asking a limit for one more request. */
export type LimitDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export interface SlidingWindowLimit {
  /** Admits one request for `key` if fewer than `limit` were admitted in the last window; refused requests do not count. */
  take(key: string): LimitDecision;
  reset(): void;
}

/**
 * A per-key sliding-window request limit on real time (never the sandbox clock, which tests may freeze or move by
 * days). `retryAfterMs` is how long until the oldest admitted request leaves the window.
 */
export function createSlidingWindowLimit(options: { readonly limit: number; readonly windowMs: number; readonly now: () => number }): SlidingWindowLimit {
  const admitted = new Map<string, number[]>();
  return {
    take: (key) => {
      const now = options.now();
      const recent = (admitted.get(key) ?? []).filter((at) => at > now - options.windowMs);
      admitted.set(key, recent);
      if (recent.length >= options.limit) return { ok: false, retryAfterMs: (recent[0] ?? now) + options.windowMs - now };
      recent.push(now);
      return { ok: true };
    },
    reset: () => admitted.clear(),
  };
}
