/**
 * Paces Graph writes so a night uses the documented write quota without leaning on any throttling header.
 *
 * Graph documents 3,000 writes per 150 s per app and tenant (docs/graph-behaviour.md#throttling) but not how they
 * are counted: a token bucket (a burst of 3,000 from idle, then 20 per second) or a sliding window (3,000 in any
 * 150 s, no credit for idleness). It sends `x-ms-throttle-limit-percentage` only on directory resources, never on
 * authentication methods or per-user MFA, so the pacer cannot wait for the header either. So the pacer
 *
 * - plans against the documented quota, a `margin` under it (default 97 %): its own token bucket (a burst of
 *   margin × quota, then margin × the sustained rate), and a ledger of its own writes over the quota's window;
 * - does not know at first which of the two Graph runs, so it keeps both rules: the bucket's, and no more than the
 *   whole documented quota in one window. When the window rule is what holds it back, one write goes as a probe:
 *   answered, Graph refills continuously (a bucket: from then on only the bucket rule); answered 429, Graph counts a
 *   window (from then on the window rule with the margin, and the bucket rule no longer). One 429 a night at most;
 * - on any other 429 empties its bucket (no tokens accrue during the Retry-After pause) and cuts a rate factor (AIMD:
 *   ×`decrease`, then +`recoverPerSecond` back up to 1) for a quota that is smaller than documented (other apps sharing
 *   the tenant quota, Graph under load). After a cut the factor is held for one round trip: the answers still in flight
 *   describe the old rate, and the twenty 429s of one batch are one congestion signal, not twenty;
 * - when an answer does carry the percentage (directory writes), lowers its bucket to what the percentage says is
 *   left, if that is less than it thinks: the header refines the plan, never raises it;
 * - with many tenants, also keeps to this night's part of the app's write limit across tenants (`setShare`, from the
 *   writers' register: docs/graph-behaviour.md#throttling): a second bucket, of the share's burst and rate (times the
 *   same factor), that every write draws on whichever model holds.
 *
 * The rate maths is pure (`refillPacer`, `throttledPacer`, `reportedPacer`, `windowWaitMs`); `createPacerCore` is the
 * deterministic core on a given clock (no timers), and `createWritePacer` sleeps for it and lets writers that wait
 * behind the rate out in groups, so their writes share a $batch.
 */

import type { WriteShare } from '../../core/appWriteShare.js';

/** What Graph said about one write. */
export interface PaceSignal {
  /** The ticket `acquire` gave the write (the probe is recognised by it). */
  readonly ticket?: number;
  readonly throttled: boolean;
  /** `x-ms-throttle-limit-percentage` of the answer (Graph sends it above 0.8, on directory resources), or null. */
  readonly limitPercentage: number | null;
  /** How long the write took to be answered, ms. */
  readonly latencyMs?: number;
}

export interface PacerState {
  /** Writes the pacer's bucket allows now; negative after a reported percentage showed less left than planned. */
  readonly tokens: number;
  /** The AIMD factor on the sustained rate (and on the window's capacity), `minFactor` to 1. */
  readonly factor: number;
  /** Time left, ms, before the factor may be cut again. */
  readonly holdMs: number;
}

/** What the pacer has learnt of Graph's counting: nothing yet, a refilling bucket, or a sliding window. */
export type QuotaModel = 'unknown' | 'bucket' | 'window';

export interface PacerTuning {
  /** The documented write quota per window (MFA_GRAPH_WRITE_QUOTA, 3,000). */
  readonly quota: number;
  /** The documented sustained rate, writes per second (MFA_GRAPH_WRITES_PER_SECOND, 20 = 3,000 per 150 s). */
  readonly ratePerSecond: number;
  /** Share of the documented quota the pacer plans to use (burst, rate, window). */
  readonly margin: number;
  /** Factor cut on a 429. */
  readonly decrease: number;
  /** Factor regained per second after a cut. */
  readonly recoverPerSecond: number;
  readonly minFactor: number;
  /**
   * Added to the quota's window for the ledger, as a share of that window: Graph books a write when it arrives, a
   * little after it left, and may count its window coarsely. 2 s at Graph's documented 150 s; a share, not a fixed
   * time, so that a shorter window (a quota divided by ten, or the bench's scale) keeps the same proportion instead of
   * a fixed 2 s that would make a 1 s window a 3 s one.
   */
  readonly windowSlack: number;
}

/** How long the core waits for its probe's answer before it asks again with another write. */
const probeTimeoutMs = 30_000;
/** A write out this long without an answer is booked as if answered then (it may have landed). */
const unansweredMs = 60_000;

export const defaultTuning = {
  margin: 0.97,
  decrease: 0.8,
  recoverPerSecond: 0.02,
  minFactor: 0.05,
  windowSlack: 2 / 150,
} as const satisfies Omit<PacerTuning, 'quota' | 'ratePerSecond'>;

/** The pacer's bucket size: the burst it allows itself. */
export function pacerCapacity(tuning: PacerTuning): number {
  return tuning.quota * tuning.margin;
}

/** Writes per second the pacer's bucket refills at with this factor. */
export function pacerRate(state: Pick<PacerState, 'factor'>, tuning: PacerTuning): number {
  return tuning.ratePerSecond * tuning.margin * state.factor;
}

/** The quota's window as the ledger keeps it, ms: quota ÷ rate (150 s documented), plus the slack (2 s of 150). */
export function ledgerWindowMs(tuning: PacerTuning): number {
  return (tuning.quota / tuning.ratePerSecond) * 1000 * (1 + tuning.windowSlack);
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

/**
 * Milliseconds until one more write fits a window of `windowMs` holding at most `capacity` (0: now), from the send
 * times still in it (oldest first). Pure.
 */
export function windowWaitMs(sentAtMs: readonly number[], nowMs: number, windowMs: number, capacity: number): number {
  // the first send still in the window (the times are ascending)
  let low = 0;
  let high = sentAtMs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sentAtMs[middle] ?? Infinity) > nowMs - windowMs) high = middle;
    else low = middle + 1;
  }
  const over = sentAtMs.length - low - Math.floor(capacity) + 1;
  if (over <= 0) return 0;
  return Math.max(1, (sentAtMs[low + over - 1] ?? nowMs) + windowMs - nowMs);
}

/** One decision of the core: a write may go (with its ticket; `probe` when it tests the window), or not for `waitMs`. */
export type Release = { readonly go: true; readonly ticket: number; readonly probe: boolean } | { readonly go: false; readonly waitMs: number };

export interface PacerCore {
  /** Whether one write may go at `nowMs`; a write that goes is booked. */
  release(nowMs: number): Release;
  observe(signal: PaceSignal, nowMs: number): void;
  pauseUntil(instantMs: number, nowMs: number): void;
  /** The tokens at `nowMs` (brought up to date): the bucket's, or the share's when that is less. */
  tokensAt(nowMs: number): number;
  /** This night's part of the app-wide limit from now on (null: none, one tenant). */
  setShare(share: WriteShare | null, nowMs: number): void;
  /** Writes per second the pacer lets out at most now: its bucket's rate, or the share's when that is less. */
  rate(): number;
  /** The most writes the pacer can hold at once: its bucket's size, or the share's burst when that is less. */
  capacity(): number;
  readonly state: PacerState;
  readonly model: QuotaModel;
  readonly share: WriteShare | null;
}

/**
 * The pacer's decisions on a clock it is given (no timers, no sleeping): deterministic, so it can be run against a
 * simulated quota. `createWritePacer` is this plus the waiting.
 */
export function createPacerCore(tuning: PacerTuning, startMs: number): PacerCore {
  let state = initialPacer(tuning);
  let model: QuotaModel = 'unknown';
  let updatedAt = startMs;
  let pausedUntil = 0;
  let probe: number | null = null;
  let probeSentAt = 0;
  let tickets = 0;
  /**
   * The window's bookings: writes answered, at the time of their answer (Graph booked them on arrival, a little
   * earlier, so the ledger lets them go a little later than Graph does: never sooner), and writes still out (counted
   * as now). A write never answered (a timeout, a lost connection) is booked as answered after `unansweredMs`.
   */
  const ledger: number[] = [];
  const outstanding = new Map<number, number>();
  const windowMs = ledgerWindowMs(tuning);
  let share: WriteShare | null = null;
  let shareTokens = 0;
  const shareRate = (): number => (share === null ? Number.POSITIVE_INFINITY : share.ratePerSecond * state.factor);

  /** Brings the bucket (and the share's) up to `at`; a pause accrues nothing. */
  const advance = (at: number): void => {
    const from = Math.max(updatedAt, Math.min(pausedUntil, at));
    if (at > from && share !== null) shareTokens = Math.min(share.burst, shareTokens + (shareRate() * (at - from)) / 1000);
    if (at > from) state = refillPacer(state, at - from, tuning);
    updatedAt = Math.max(updatedAt, at);
    for (const [ticket, releasedAt] of outstanding) {
      if (at - releasedAt < unansweredMs) break;
      outstanding.delete(ticket);
      book(releasedAt + unansweredMs);
    }
    while (ledger.length > 0 && (ledger[0] ?? Infinity) <= at - windowMs) ledger.shift();
  };
  /** Keeps the ledger ascending: a late booking goes in its place. */
  const book = (at: number): void => {
    let index = ledger.length;
    while (index > 0 && (ledger[index - 1] ?? 0) > at) index -= 1;
    ledger.splice(index, 0, at);
  };
  /** Ms until one more write fits `capacity` in the window, the writes still out included. */
  const windowWait = (nowMs: number, capacity: number): number => windowWaitMs(ledger, nowMs, windowMs, capacity - outstanding.size);

  return {
    release(nowMs) {
      if (pausedUntil > nowMs) return { go: false, waitMs: pausedUntil - nowMs };
      advance(nowMs);
      // the bucket rule (until Graph showed it counts a window)
      if (model !== 'window' && state.tokens < 1) return { go: false, waitMs: Math.max(1, ((1 - state.tokens) / pacerRate(state, tuning)) * 1000) };
      // this night's part of the app's limit across tenants, whatever the model
      if (share !== null && shareTokens < 1) return { go: false, waitMs: Math.max(1, ((1 - shareTokens) / shareRate()) * 1000) };
      let isProbe = false;
      if (model === 'window') {
        const wait = windowWait(nowMs, tuning.quota * tuning.margin * state.factor);
        if (wait > 0) return { go: false, waitMs: wait };
      } else if (model === 'unknown' && windowWait(nowMs, tuning.quota) > 0) {
        // a whole documented quota in one window already: one write finds out how Graph counts (a probe Graph never
        // answered, a timeout or a lost connection, is given up after a while and another write asks again)
        if (probe !== null && nowMs - probeSentAt < probeTimeoutMs) return { go: false, waitMs: 50 };
        isProbe = true;
      }
      if (model !== 'window') state = { ...state, tokens: state.tokens - 1 };
      if (share !== null) shareTokens -= 1;
      tickets += 1;
      outstanding.set(tickets, nowMs);
      if (isProbe) {
        probe = tickets;
        probeSentAt = nowMs;
      }
      return { go: true, ticket: tickets, probe: isProbe };
    },
    observe(signal, nowMs) {
      advance(nowMs);
      if (signal.ticket !== undefined && outstanding.delete(signal.ticket)) book(nowMs);
      if (probe !== null && signal.ticket === probe) {
        probe = null;
        // the probe's 429 is the answer to a question, not congestion: nothing is cut for it
        model = signal.throttled ? 'window' : 'bucket';
        return;
      }
      if (signal.throttled) state = throttledPacer(state, signal.latencyMs ?? 0, tuning);
      else if (signal.limitPercentage !== null) state = reportedPacer(state, signal.limitPercentage, tuning);
    },
    pauseUntil(instantMs, nowMs) {
      advance(nowMs);
      pausedUntil = Math.max(pausedUntil, instantMs);
    },
    tokensAt(nowMs) {
      advance(nowMs);
      return share === null ? state.tokens : Math.min(state.tokens, shareTokens);
    },
    setShare(next, nowMs) {
      advance(nowMs);
      // a writer that joins starts with its part of the burst; a smaller part takes effect at once
      shareTokens = next === null ? 0 : share === null ? next.burst : Math.min(shareTokens, next.burst);
      share = next;
    },
    rate() {
      return Math.min(pacerRate(state, tuning), shareRate());
    },
    capacity() {
      return Math.min(pacerCapacity(tuning), share === null ? Number.POSITIVE_INFINITY : share.burst);
    },
    get state() {
      return state;
    },
    get model() {
      return model;
    },
    get share() {
      return share;
    },
  };
}

export interface WritePacer {
  /**
   * Waits until one more write may be sent (writers are served in arrival order, a write sent again after a 429 or
   * an error before every first attempt); the ticket goes back with its answer.
   */
  acquire(retry?: boolean): Promise<number>;
  /** Tells the pacer how Graph answered a write. */
  observe(signal: PaceSignal): void;
  /** Holds every write until this instant (after a 429, for its Retry-After); no tokens accrue meanwhile. */
  pauseUntil(instantMs: number): void;
  /** Writes per second the pacer lets out at most now (its bucket's rate, or its part of the app's limit when less). */
  readonly rate: number;
  /** What it has learnt of Graph's counting. */
  readonly model: QuotaModel;
}

/** Where a night's part of the app-wide write limit comes from (`appWriteShareKeeper.ts`). */
export interface WriteShareSource {
  /** Called before every write: the first one waits until the night has announced itself and counted the writers. */
  beforeWrite(): Promise<void>;
  /** The part now; null when there is none (yet, or the register could not be read). */
  current(): WriteShare | null;
}

export interface WritePacerOptions {
  /** The documented sustained write rate (MFA_GRAPH_WRITES_PER_SECOND). */
  readonly ratePerSecond: number;
  /** The documented writes per quota window (MFA_GRAPH_WRITE_QUOTA). */
  readonly quota: number;
  readonly tuning?: Partial<Omit<PacerTuning, 'quota' | 'ratePerSecond'>>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Many tenants: this night's part of the app's write limit across tenants. */
  readonly share?: WriteShareSource;
}

export function createWritePacer(options: WritePacerOptions): WritePacer {
  if (!(options.ratePerSecond > 0)) throw new RangeError('createWritePacer: expected `ratePerSecond` to be a number above 0');
  if (!(options.quota >= 1)) throw new RangeError('createWritePacer: expected `quota` to be a number of at least 1');
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tuning: PacerTuning = { ...defaultTuning, ...options.tuning, quota: options.quota, ratePerSecond: options.ratePerSecond };
  const core = createPacerCore(tuning, now());
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Writers waiting behind the rate leave in groups (up to a quarter second of writes, at most 20) rather than one
   * by one: the writes of one group reach the gateway in the same turn and share a $batch, saving round trips
   * exactly when the rate, not the round trips, is what holds them back.
   */
  const group = () => Math.max(1, Math.min(20, Math.round(core.rate() * 0.25)));
  let waiting = 0;
  let releasing = 0;
  /** Writes waiting to be sent again: they go before first attempts, so a storm of 429s cannot starve one write of its attempts. */
  let retries: Promise<unknown> = Promise.resolve();
  let retriesWaiting = 0;
  const retryYieldMs = 5;

  const take = async (): Promise<number> => {
    if (options.share !== undefined) await options.share.beforeWrite();
    for (;;) {
      const at = now();
      if (options.share !== undefined) core.setShare(options.share.current(), at);
      // a group waits until the bucket (or the share) holds all of it (the window rule alone and the probe decide
      // write by write)
      // (never more than the bucket can hold: a share's burst may be a single write)
      const need = releasing > 0 || (core.model === 'window' && core.share === null) ? 1 : Math.max(1, Math.min(waiting, group(), Math.floor(core.capacity())));
      const tokens = core.tokensAt(at);
      if (need > 1 && tokens < need && tokens >= 1) {
        await sleep(Math.max(1, ((need - tokens) / core.rate()) * 1000));
        continue;
      }
      if (retriesWaiting > 0) {
        await sleep(retryYieldMs);
        continue;
      }
      const decision = core.release(at);
      if (decision.go) {
        releasing = releasing > 0 ? releasing - 1 : need - 1;
        waiting -= 1;
        return decision.ticket;
      }
      await sleep(decision.waitMs);
    }
  };

  /** A retry: one write at a time, ahead of the first attempts waiting in `take`. */
  const takeAgain = async (): Promise<number> => {
    try {
      for (;;) {
        const at = now();
        if (options.share !== undefined) core.setShare(options.share.current(), at);
        const decision = core.release(at);
        if (decision.go) return decision.ticket;
        await sleep(decision.waitMs);
      }
    } finally {
      retriesWaiting -= 1;
    }
  };

  return {
    acquire(retry = false) {
      if (retry) {
        retriesWaiting += 1;
        const again = retries.then(takeAgain);
        retries = again.catch(() => undefined);
        return again;
      }
      waiting += 1;
      const turn = queue.then(take);
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(signal) {
      core.observe(signal, now());
    },
    pauseUntil(instantMs) {
      core.pauseUntil(instantMs, now());
    },
    get rate() {
      return core.rate();
    },
    get model() {
      return core.model;
    },
  };
}
