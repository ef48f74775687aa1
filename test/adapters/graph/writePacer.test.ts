import { describe, expect, it } from '@jest/globals';
import { createWritePacer, defaultTuning, nextWriteRate, type PaceSample, type PacerState, type PacerTuning } from '../../../shared/adapters/graph/writePacer.js';

const tuning: PacerTuning = { ...defaultTuning, minRate: 1, maxRate: 800 };
const state = (rate: number, percentage: number | null = null, holdMs = 0): PacerState => ({ rate, percentage, holdMs });
const tick = (sample: Partial<PaceSample>): PaceSample => ({ elapsedMs: 100, answered: 10, throttled: false, peakPercentage: null, latencyMs: 200, ...sample });

describe('nextWriteRate', () => {
  it('doubles the rate per second of clean answers while Graph reports no limit percentage', () => {
    expect(nextWriteRate(state(100), tick({ elapsedMs: 1_000, answered: 100 }), tuning).rate).toBeCloseTo(200);
    expect(nextWriteRate(state(100), tick({ elapsedMs: 100, answered: 10 }), tuning).rate).toBeCloseTo(100 * 2 ** 0.1);
  });

  it('does not grow a rate the writers did not use', () => {
    expect(nextWriteRate(state(100), tick({ elapsedMs: 1_000, answered: 20 }), tuning).rate).toBe(100);
    expect(nextWriteRate(state(100), tick({ answered: 0 }), tuning)).toEqual(state(100));
  });

  it('halves the rate on a 429, then holds it for one round trip however many 429s follow', () => {
    const cut = nextWriteRate(state(400), tick({ throttled: true, latencyMs: 300 }), tuning);
    expect(cut).toMatchObject({ rate: 200, holdMs: 400 });
    const next = nextWriteRate(cut, tick({ throttled: true }), tuning);
    expect(next).toMatchObject({ rate: 200, holdMs: 300 });
    expect(nextWriteRate(state(400, null, 500), tick({ throttled: true }), tuning).rate).toBe(400);
  });

  it('cuts in proportion to how far the predicted percentage lies above the target, at most to a quarter', () => {
    // 0.92 and flat: 2 points over 0.9 → −8 %
    expect(nextWriteRate(state(100, 0.92), tick({ peakPercentage: 0.92 }), tuning).rate).toBeCloseTo(92);
    // 0.85 but rising 0.02 per 100 ms: predicted 0.85 + 0.2/s × 1.4 s = 1.13 → the deepest cut
    expect(nextWriteRate(state(100, 0.83), tick({ peakPercentage: 0.85 }), tuning).rate).toBeCloseTo(25);
  });

  it('reads the first percentage as a crossing of 80 %: its trend counts at once', () => {
    expect(nextWriteRate(state(400, null), tick({ peakPercentage: 0.84 }), tuning).rate).toBeLessThan(400);
  });

  it('raises the rate gently (at most 10 % a tick) while the percentage is steady below the target', () => {
    expect(nextWriteRate(state(100, 0.85), tick({ peakPercentage: 0.85 }), tuning).rate).toBeCloseTo(110);
    expect(nextWriteRate(state(100, 0.89), tick({ peakPercentage: 0.89 }), tuning).rate).toBeCloseTo(102);
  });

  it('stays within the configured bounds', () => {
    expect(nextWriteRate(state(600), tick({ elapsedMs: 1_000, answered: 600 }), tuning).rate).toBe(800);
    expect(nextWriteRate(state(1.5), tick({ throttled: true }), tuning).rate).toBe(1);
  });
});

/**
 * Graph's write bucket (capacity C, refilled at r per second) against the pacer's control law, in simulated
 * milliseconds: writes sent at the pacer's rate land on the bucket after their latency (100–300 ms), a write that
 * finds no token is answered 429 with the time until one is back and sent again, and the answers drive the pacer.
 * Returns the writes as a share of what the bucket could give over the run: (C + r × T).
 */
function rideBucket(input: { capacity: number; refillPerSecond: number; startRate: number; writes: number }) {
  const pacerTuning: PacerTuning = { ...defaultTuning, minRate: input.startRate / 100, maxRate: input.startRate * 8 };
  let pacer: PacerState = { rate: input.startRate, percentage: null, holdMs: 0 };
  let tokens = input.capacity;
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const inFlight: { landsAt: number; sentAt: number }[] = [];
  let window = { startedAt: 0, answered: 0, throttled: false, peak: null as number | null, latency: 0 };
  let now = 0;
  let credit = 0;
  let toSend = input.writes;
  let landed = 0;
  let throttled = 0;
  let pausedUntil = 0;
  let peakUsed = 0;
  const closeWindow = () => {
    const sample: PaceSample = { elapsedMs: now - window.startedAt, answered: window.answered, throttled: window.throttled, peakPercentage: window.peak, latencyMs: window.answered === 0 ? 0 : window.latency / window.answered };
    pacer = nextWriteRate(pacer, sample, pacerTuning);
    window = { startedAt: now, answered: 0, throttled: false, peak: null, latency: 0 };
  };
  while (landed < input.writes && now < 3_600_000) {
    tokens = Math.min(input.capacity, tokens + input.refillPerSecond / 1000);
    for (let index = inFlight.length - 1; index >= 0; index -= 1) {
      const write = inFlight[index] as { landsAt: number; sentAt: number };
      if (write.landsAt > now) continue;
      inFlight.splice(index, 1);
      window.answered += 1;
      window.latency += now - write.sentAt;
      if (tokens >= 1) {
        tokens -= 1;
        landed += 1;
        const used = 1 - tokens / input.capacity;
        if (used > 0.8) window.peak = Math.max(window.peak ?? 0, Math.round(used * 1000) / 1000);
      } else {
        throttled += 1;
        toSend += 1;
        pausedUntil = Math.max(pausedUntil, now + (1 - tokens) / (input.refillPerSecond / 1000));
        window.throttled = true;
        closeWindow();
      }
    }
    if (now - window.startedAt >= 100) closeWindow();
    if (now >= pausedUntil && toSend > 0) {
      credit = Math.min(Math.max(1, Math.min(20, pacer.rate)), credit + pacer.rate / 1000);
      for (; credit >= 1 && toSend > 0; credit -= 1, toSend -= 1) inFlight.push({ sentAt: now, landsAt: now + 100 + random() * 200 });
    }
    peakUsed = Math.max(peakUsed, 1 - tokens / input.capacity);
    now += 1;
  }
  return { share: input.writes / (input.capacity + (input.refillPerSecond * now) / 1000), throttled, peakUsed };
}

describe('the pacer against a simulated Graph write bucket (3,000 writes, refilled over 150 s)', () => {
  it.each([
    ['Graph itself', 1],
    ['windows 5× shorter, as the bench runs', 5],
    ['windows 10× shorter, as the rehearsal runs', 10],
  ])('%s: uses ≥ 90 %% of the quota, sits under it, and is never throttled', (_label, timeScale) => {
    const refillPerSecond = 20 * timeScale;
    const outcome = rideBucket({ capacity: 3_000, refillPerSecond, startRate: refillPerSecond, writes: 3_000 + refillPerSecond * 40 });
    expect(outcome.share).toBeGreaterThanOrEqual(0.9);
    expect(outcome.throttled).toBe(0);
    expect(outcome.peakUsed).toBeLessThan(1);
  });

  it('finds the refill rate from a start four times too slow', () => {
    const outcome = rideBucket({ capacity: 3_000, refillPerSecond: 100, startRate: 25, writes: 3_000 + 100 * 40 });
    expect(outcome.share).toBeGreaterThanOrEqual(0.9);
    expect(outcome.throttled).toBe(0);
  });
});

describe('createWritePacer', () => {
  /** A clock that only moves when the pacer sleeps. */
  const fakeTime = () => {
    const clock = { now: 0, slept: [] as number[] };
    return {
      clock,
      now: () => clock.now,
      sleep: async (ms: number) => {
        clock.slept.push(ms);
        clock.now += ms;
      },
    };
  };

  it('lets writes out at its rate, after a first burst of one $batch (20) worth', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ initialRate: 100, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 120; i += 1) await pacer.acquire();
    expect(time.clock.now).toBeCloseTo(1_000, -1); // 20 at once, then 100 at 100 per second
  });

  it('lets writers waiting behind the rate leave in groups of a quarter second, to share a $batch', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ initialRate: 20, now: time.now, sleep: time.sleep });
    const released: number[] = [];
    await Promise.all(Array.from({ length: 40 }, () => pacer.acquire().then(() => released.push(time.clock.now))));
    const perInstant = new Map<number, number>();
    for (const at of released) perInstant.set(at, (perInstant.get(at) ?? 0) + 1);
    expect([...perInstant.values()]).toEqual([20, 5, 5, 5, 5]); // the burst, then 5 every 250 ms
    expect(time.clock.now).toBeCloseTo(1_000, -1);
  });

  it('holds every write until the pause ends', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ initialRate: 100, now: time.now, sleep: time.sleep });
    pacer.pauseUntil(2_500);
    await pacer.acquire();
    expect(time.clock.now).toBeGreaterThanOrEqual(2_500);
  });

  it('takes the twenty 429s of one throttled batch as one signal: one cut, not twenty', () => {
    const time = fakeTime();
    const pacer = createWritePacer({ initialRate: 100, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 20; i += 1) pacer.observe({ throttled: true, limitPercentage: null, latencyMs: 250 });
    expect(pacer.rate).toBe(50);
  });

  it('speeds up again once the throttling signals stop', () => {
    const time = fakeTime();
    const pacer = createWritePacer({ initialRate: 100, now: time.now, sleep: time.sleep });
    pacer.observe({ throttled: true, limitPercentage: null, latencyMs: 100 });
    expect(pacer.rate).toBe(50);
    for (let ms = 0; ms < 2_000; ms += 10) {
      time.clock.now += 10;
      pacer.observe({ throttled: false, limitPercentage: null, latencyMs: 100 });
    }
    expect(pacer.rate).toBeGreaterThan(100);
  });

  it('refuses a start rate that is not above 0, naming the option', () => {
    expect(() => createWritePacer({ initialRate: 0 })).toThrow('createWritePacer: expected `initialRate` to be a number above 0');
  });
});
