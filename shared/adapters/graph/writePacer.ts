/**
 * Paces Graph writes so a run sits just under the write quota instead of bouncing off it:
 * additive increase while answers are clean, multiplicative decrease on 429 or when Graph reports the
 * quota nearly used (`x-ms-throttle-limit-percentage`, sent above 80 %). The rate maths is pure
 * (`nextWriteRate`); the pacer only keeps a token bucket and sleeps.
 */

export interface PaceSignal {
  readonly throttled: boolean;
  /** `x-ms-throttle-limit-percentage` of the answer (0.8-1.8), or null when absent. */
  readonly limitPercentage: number | null;
}

export interface RateLimits {
  readonly minRate: number;
  readonly maxRate: number;
}

/** Writes per second after one answer. */
export function nextWriteRate(rate: number, signal: PaceSignal, limits: RateLimits): number {
  let next = rate;
  if (signal.throttled) next = rate * 0.5;
  else if (signal.limitPercentage !== null && signal.limitPercentage >= 0.95) next = rate * 0.9;
  else if (signal.limitPercentage !== null && signal.limitPercentage >= 0.8) next = rate * 0.995;
  else next = rate + 0.02;
  return Math.min(limits.maxRate, Math.max(limits.minRate, next));
}

export interface WritePacer {
  /** Waits until `count` writes may be sent. */
  acquire(count: number): Promise<void>;
  /** Tells the pacer how Graph answered a write. */
  observe(signal: PaceSignal): void;
  /** Holds every write until this instant (after a 429 with Retry-After). */
  pauseUntil(instantMs: number): void;
  readonly rate: number;
}

export interface WritePacerOptions {
  readonly initialRate: number;
  readonly minRate?: number;
  readonly maxRate?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createWritePacer(options: WritePacerOptions): WritePacer {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limits: RateLimits = { minRate: options.minRate ?? 0.5, maxRate: options.maxRate ?? options.initialRate * 4 };
  let rate = options.initialRate;
  let available = 1;
  let refilledAt = now();
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const at = now();
    const burst = Math.max(1, rate); // at most one second of writes at once
    available = Math.min(burst, available + ((at - refilledAt) / 1000) * rate);
    refilledAt = at;
  };

  const take = async (count: number) => {
    for (;;) {
      const at = now();
      if (pausedUntil > at) {
        await sleep(pausedUntil - at);
        continue;
      }
      refill();
      const need = Math.min(count, Math.max(1, rate));
      if (available >= need) {
        available -= count;
        return;
      }
      await sleep(Math.max(1, ((need - available) / rate) * 1000));
    }
  };

  return {
    // writers wait in arrival order, so nobody starves
    acquire(count) {
      const turn = queue.then(() => take(count));
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(signal) {
      rate = nextWriteRate(rate, signal, limits);
    },
    pauseUntil(instantMs) {
      pausedUntil = Math.max(pausedUntil, instantMs);
    },
    get rate() {
      return rate;
    },
  };
}
