/**
 * Paces Graph writes so a run uses the write quota to the last drop without being throttled.
 *
 * Graph meters writes with a token bucket per app and tenant (3,000 writes, refilled over 150 s: a burst of
 * 3,000 and 20 per second sustained; graph-notes §8). The whole bucket is usable: refill is lost only while
 * the bucket is full, and whatever is left in it at the end of a run is lost. So the pacer
 *
 * - grows the rate quickly (×2 per second of clean answers) while Graph sends no
 *   `x-ms-throttle-limit-percentage` — the header only appears once 80 % of a bucket is used, so silence means
 *   there is burst to spend;
 * - once the header appears, steers the bucket towards `targetPercentage` (default 90 % used): the rate is
 *   cut in proportion to how far the percentage, extrapolated `horizonMs` ahead from its trend, lies above the
 *   target, and raised gently when it lies below. At the target the rate settles on the bucket's refill rate,
 *   whatever it is, without knowing it;
 * - halves the rate on a 429, and holds every write for the Retry-After (`pauseUntil`). After any cut the rate is
 *   held for one round trip: the answers still in flight describe the old rate, and 20 throttled items of one
 *   batch are one congestion signal, not twenty.
 *
 * The rate maths is pure (`nextWriteRate`, one step per tick of answers); the pacer keeps a small token bucket
 * of its own, sleeps, and lets writers that wait behind the rate out in groups, so their writes share a $batch.
 */

/** What Graph said about one write. */
export interface PaceSignal {
  readonly throttled: boolean;
  /** `x-ms-throttle-limit-percentage` of the answer (Graph sends it above 0.8), or null when absent. */
  readonly limitPercentage: number | null;
  /** How long the write took to be answered, ms: writes in flight land on the bucket that much later. */
  readonly latencyMs?: number;
}

/** The answers to writes during one tick. */
export interface PaceSample {
  readonly elapsedMs: number;
  /** Writes answered (any outcome). */
  readonly answered: number;
  /** Whether any answer was a 429. */
  readonly throttled: boolean;
  /** The highest `x-ms-throttle-limit-percentage` of the tick; null when no answer carried it (all below 80 %). */
  readonly peakPercentage: number | null;
  /** Mean answer latency of the tick's writes, ms (0 when unknown). */
  readonly latencyMs: number;
}

export interface PacerState {
  /** Writes per second. */
  readonly rate: number;
  /** The percentage the previous tick ended with (null: below 80 %), for its trend. */
  readonly percentage: number | null;
  /**
   * Time left, ms, before the rate may be cut again: a cut shows in the answers only one round trip later, and
   * the answers in between (429s included) still describe the old rate.
   */
  readonly holdMs: number;
}

export interface PacerTuning {
  readonly minRate: number;
  readonly maxRate: number;
  /** Share of the bucket the pacer aims to keep used (0.8–1). */
  readonly targetPercentage: number;
  /** How far ahead the percentage's trend is extrapolated, besides twice the answer latency (writes in flight land later). */
  readonly horizonMs: number;
  /** Rate factor per second while no limit percentage is reported. */
  readonly growthPerSecond: number;
  /** Rate change per tick for each 0.01 the predicted percentage lies off target (0.04: −4 %/+2 % per point). */
  readonly gain: number;
}

export const defaultTuning = {
  targetPercentage: 0.9,
  horizonMs: 1_000,
  growthPerSecond: 2,
  gain: 0.04,
} as const satisfies Omit<PacerTuning, 'minRate' | 'maxRate'>;

/** The rate for the next tick. Pure: the same state and sample always give the same answer. */
export function nextWriteRate(state: PacerState, sample: PaceSample, tuning: PacerTuning): PacerState {
  const clamp = (rate: number) => Math.min(tuning.maxRate, Math.max(tuning.minRate, rate));
  const elapsedMs = Math.max(0, sample.elapsedMs);
  const holdMs = Math.max(0, state.holdMs - elapsedMs);
  // after a cut, wait one round trip (and one tick) before judging the new rate
  const cut = (factor: number, percentage: number | null): PacerState => ({ rate: clamp(state.rate * factor), percentage, holdMs: sample.latencyMs + elapsedMs });
  if (sample.throttled) return holdMs > 0 ? { ...state, holdMs } : cut(0.5, sample.peakPercentage ?? state.percentage);
  if (sample.answered === 0) return { ...state, holdMs };
  const percentage = sample.peakPercentage;
  if (percentage === null) {
    // Only a rate that was actually used has proven anything: a pacer waiting for work does not grow.
    const used = sample.answered >= 0.5 * state.rate * (elapsedMs / 1000);
    return { rate: used ? clamp(state.rate * tuning.growthPerSecond ** (elapsedMs / 1000)) : state.rate, percentage: null, holdMs };
  }
  // the header is sent from 80 % up: when it first appears, the bucket crossed 0.8 during this tick
  const trendPerMs = elapsedMs === 0 ? 0 : (percentage - (state.percentage ?? Math.min(percentage, 0.8))) / elapsedMs;
  const horizonMs = tuning.horizonMs + 2 * sample.latencyMs;
  const predicted = percentage + Math.max(0, trendPerMs) * horizonMs + Math.min(0, trendPerMs) * horizonMs * 0.5;
  const offBy = (predicted - tuning.targetPercentage) * 100;
  if (offBy > 0) return holdMs > 0 ? { ...state, percentage, holdMs } : cut(Math.max(0.25, 1 - tuning.gain * offBy), percentage);
  return { rate: clamp(state.rate * Math.min(1.1, 1 - (tuning.gain / 2) * offBy)), percentage, holdMs };
}

export interface WritePacer {
  /** Waits until one more write may be sent (writers are served in arrival order). */
  acquire(): Promise<void>;
  /** Tells the pacer how Graph answered a write. */
  observe(signal: PaceSignal): void;
  /** Holds every write until this instant (after a 429, for its Retry-After). */
  pauseUntil(instantMs: number): void;
  /** Writes per second now. */
  readonly rate: number;
}

export interface WritePacerOptions {
  /** Writes per second to start with (MFA_GRAPH_WRITES_PER_SECOND). */
  readonly initialRate: number;
  readonly minRate?: number;
  /** Default 8 × initialRate. */
  readonly maxRate?: number;
  /** Length of one observation window, ms (default 100). */
  readonly tickMs?: number;
  readonly tuning?: Partial<Omit<PacerTuning, 'minRate' | 'maxRate'>>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createWritePacer(options: WritePacerOptions): WritePacer {
  if (!(options.initialRate > 0)) throw new RangeError('createWritePacer: expected `initialRate` to be a number above 0');
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tickMs = options.tickMs ?? 100;
  const tuning: PacerTuning = {
    ...defaultTuning,
    ...options.tuning,
    minRate: options.minRate ?? Math.max(0.5, options.initialRate / 100),
    maxRate: options.maxRate ?? options.initialRate * 8,
  };
  let state: PacerState = { rate: options.initialRate, percentage: null, holdMs: 0 };
  const freshWindow = (startedAt: number) => ({ startedAt, answered: 0, throttled: false, peakPercentage: null as number | null, latencyTotal: 0, timed: 0 });
  let window = freshWindow(now());
  let refilledAt = now();
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  const closeWindow = (at: number): void => {
    const sample: PaceSample = {
      elapsedMs: at - window.startedAt,
      answered: window.answered,
      throttled: window.throttled,
      peakPercentage: window.peakPercentage,
      latencyMs: window.timed === 0 ? 0 : window.latencyTotal / window.timed,
    };
    refill(at);
    state = nextWriteRate(state, sample, tuning);
    window = freshWindow(at);
  };

  // up to one second of writes, and at most one $batch of them, may leave together: writes released in the same
  // turn share a $batch (a round trip saved), and 20 writes are nothing beside Graph's bucket of 3,000
  const burst = () => Math.max(1, Math.min(20, state.rate));
  let available = burst();
  const refill = (at: number): void => {
    available = Math.min(burst(), available + ((at - refilledAt) / 1000) * state.rate);
    refilledAt = at;
  };

  /**
   * Writers waiting behind the rate leave in groups (up to a quarter second of writes, at most 20) rather than one
   * by one: the writes of one group reach the gateway in the same turn and share a $batch, saving round trips
   * exactly when the rate, not the round trips, is what holds them back.
   */
  const group = () => Math.max(1, Math.min(20, Math.round(state.rate * 0.25)));
  let waiting = 0;
  let releasing = 0;

  const take = async (): Promise<void> => {
    for (;;) {
      const at = now();
      if (pausedUntil > at) {
        await sleep(pausedUntil - at);
        continue;
      }
      refill(at);
      const need = releasing > 0 ? 1 : Math.min(waiting, group());
      if (available >= need) {
        available -= 1;
        releasing = releasing > 0 ? releasing - 1 : need - 1;
        waiting -= 1;
        return;
      }
      await sleep(Math.max(1, ((need - available) / state.rate) * 1000));
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
      const at = now();
      window.answered += 1;
      if (signal.latencyMs !== undefined) {
        window.latencyTotal += signal.latencyMs;
        window.timed += 1;
      }
      if (signal.limitPercentage !== null) window.peakPercentage = Math.max(window.peakPercentage ?? 0, signal.limitPercentage);
      // a 429 is acted on at once; the rest of a throttled batch falls in the hold that follows the cut
      if (signal.throttled) window.throttled = true;
      if (signal.throttled || at - window.startedAt >= tickMs) closeWindow(at);
    },
    pauseUntil(instantMs) {
      pausedUntil = Math.max(pausedUntil, instantMs);
    },
    get rate() {
      return state.rate;
    },
  };
}
