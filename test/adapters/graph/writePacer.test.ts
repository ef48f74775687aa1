import { describe, expect, it } from '@jest/globals';
import {
  createWritePacer,
  defaultTuning,
  initialPacer,
  pacerRate,
  refillPacer,
  reportedPacer,
  throttledPacer,
  type PacerState,
  type PacerTuning,
} from '../../../shared/adapters/graph/writePacer.js';

const tuning: PacerTuning = { ...defaultTuning, quota: 3_000, ratePerSecond: 20 };

describe('the pacer maths', () => {
  it('starts with a burst of 97 % of the documented quota and refills at 97 % of the documented rate, never above the burst', () => {
    const start = initialPacer(tuning);
    expect(start).toEqual({ tokens: 2_910, factor: 1, holdMs: 0 });
    expect(pacerRate(start, tuning)).toBeCloseTo(19.4);
    const spent = { ...start, tokens: 0 };
    expect(refillPacer(spent, 1_000, tuning).tokens).toBeCloseTo(19.4);
    expect(refillPacer(spent, 1_000_000, tuning).tokens).toBe(2_910);
  });

  it('on a 429 empties the bucket and cuts the factor once, holding the cut for one round trip', () => {
    const cut = throttledPacer({ tokens: 120, factor: 1, holdMs: 0 }, 250, tuning);
    expect(cut).toEqual({ tokens: 0, factor: 0.8, holdMs: 250 });
    // the other 429s of the same batch fall in the hold: no second cut
    expect(throttledPacer(cut, 250, tuning)).toEqual(cut);
    // a debt (from a reported percentage) stays a debt
    expect(throttledPacer({ tokens: -40, factor: 1, holdMs: 0 }, 0, tuning).tokens).toBe(-40);
    expect(throttledPacer({ tokens: 0, factor: 0.05, holdMs: 0 }, 0, tuning).factor).toBe(0.05);
  });

  it('regains the factor additively once the hold has run down, up to 1', () => {
    const cut: PacerState = { tokens: 0, factor: 0.8, holdMs: 250 };
    expect(refillPacer(cut, 200, tuning).factor).toBe(0.8);
    const held = refillPacer(cut, 250, tuning);
    expect(refillPacer(held, 5_000, tuning).factor).toBeCloseTo(0.9);
    expect(refillPacer(held, 60_000, tuning).factor).toBe(1);
  });

  it('takes a reported percentage as a ceiling on what is left, never as room for more', () => {
    // 0.95 used: 0.02 of 3,000 left before the 0.97 margin
    expect(reportedPacer({ tokens: 500, factor: 1, holdMs: 0 }, 0.95, tuning).tokens).toBeCloseTo(60);
    // Graph reports more than the margin: a debt of what is over it
    expect(reportedPacer({ tokens: 500, factor: 1, holdMs: 0 }, 1, tuning).tokens).toBeCloseTo(-90);
    // the report shows more room than planned: the plan stands
    expect(reportedPacer({ tokens: 10, factor: 1, holdMs: 0 }, 0.85, tuning).tokens).toBe(10);
  });
});

type Model = 'bucket' | 'window';

/**
 * Graph's write quota (capacity C per window W: a token bucket or a sliding window, every request booked, throttled or
 * not, as the sandbox does) against the pacer's maths, in simulated milliseconds. Writes leave at most as fast as the
 * client can push them (`clientPerSecond`), land after 100–300 ms, and a 429 carries the time until one write fits,
 * which holds every write (as the gateway does) and is sent again. With `headers`, answers above 80 % carry the used
 * share. Returns the share of the quota used (writes landed ÷ the most the model admits over the run: C + C/W × T for
 * the bucket, C per whole window for the window) and the 429s.
 */
function rideQuota(input: { model: Model; headers: boolean; timeScale: number; writes: number; clientPerSecond?: number; pacerQuota?: number }) {
  const capacity = 3_000;
  const windowMs = 150_000 / input.timeScale;
  const refillPerMs = capacity / windowMs;
  const pacerTuning: PacerTuning = { ...defaultTuning, quota: input.pacerQuota ?? capacity, ratePerSecond: (capacity / windowMs) * 1000 };
  let pacer = initialPacer(pacerTuning);
  let tokens = capacity;
  const booked: number[] = [];
  let bookedHead = 0;
  const landedAt: number[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const inFlight: { landsAt: number; sentAt: number }[] = [];
  let now = 0;
  let clientCredit = 0;
  let toSend = input.writes;
  let throttled = 0;
  let sent = 0;
  let pausedUntil = 0;
  const quotaAnswer = (): { ok: boolean; waitMs: number; share: number } => {
    if (input.model === 'bucket') {
      const fits = tokens >= 1;
      tokens = Math.max(-capacity, tokens - 1);
      return { ok: fits, waitMs: fits ? 0 : (1 - tokens) / refillPerMs, share: 1 - tokens / capacity };
    }
    while (bookedHead < booked.length && (booked[bookedHead] ?? Infinity) <= now - windowMs) bookedHead += 1;
    const used = booked.length - bookedHead;
    const fits = used + 1 <= capacity;
    if (used < 2 * capacity) booked.push(now);
    const after = booked.length - bookedHead;
    return { ok: fits, waitMs: fits ? 0 : (booked[bookedHead + after - capacity] ?? now) + windowMs - now, share: after / capacity };
  };
  while (landedAt.length < input.writes && now < 3_600_000) {
    tokens = Math.min(capacity, tokens + refillPerMs);
    for (let index = inFlight.length - 1; index >= 0; index -= 1) {
      const write = inFlight[index] as { landsAt: number; sentAt: number };
      if (write.landsAt > now) continue;
      inFlight.splice(index, 1);
      const answer = quotaAnswer();
      if (answer.ok) {
        landedAt.push(now);
        if (input.headers && answer.share > 0.8) pacer = reportedPacer(pacer, Math.round(answer.share * 1000) / 1000, pacerTuning);
      } else {
        throttled += 1;
        toSend += 1;
        pausedUntil = Math.max(pausedUntil, now + answer.waitMs);
        pacer = throttledPacer(pacer, now - write.sentAt, pacerTuning);
      }
    }
    if (now >= pausedUntil) {
      pacer = refillPacer(pacer, 1, pacerTuning);
      clientCredit = Math.min(20, clientCredit + (input.clientPerSecond ?? 300) / 1000);
      while (toSend > 0 && pacer.tokens >= 1 && clientCredit >= 1) {
        pacer = { ...pacer, tokens: pacer.tokens - 1 };
        clientCredit -= 1;
        toSend -= 1;
        sent += 1;
        inFlight.push({ sentAt: now, landsAt: now + 100 + random() * 200 });
      }
    }
    now += 1;
  }
  const wholeWindows = Math.floor(now / windowMs);
  const share =
    input.model === 'bucket'
      ? landedAt.length / (capacity + refillPerMs * now)
      : landedAt.filter((at) => at < wholeWindows * windowMs).length / (capacity * wholeWindows);
  return { share, throttled, throttledShare: throttled / sent, seconds: now / 1000 };
}

describe('the pacer against a simulated Graph write quota (3,000 writes per 150 s), no header on any write', () => {
  it.each([
    ['bucket', 1],
    ['bucket', 5],
    ['window', 1],
    ['window', 5],
  ] as const)('%s, windows %i× shorter: uses ≥ 90 %% of the quota with under 1 %% of its writes answered 429', (model, timeScale) => {
    const outcome = rideQuota({ model, headers: false, timeScale, writes: 9_500 });
    expect(outcome.share).toBeGreaterThanOrEqual(0.9);
    expect(outcome.throttledShare).toBeLessThan(0.01);
    // against a bucket the plan never overruns it
    if (model === 'bucket') expect(outcome.throttled).toBe(0);
  });

  it('with the percentage header (directory writes) it stops short of the window but for writes already in flight', () => {
    const withHeader = rideQuota({ model: 'window', headers: true, timeScale: 5, writes: 9_500 });
    const without = rideQuota({ model: 'window', headers: false, timeScale: 5, writes: 9_500 });
    expect(withHeader.throttled).toBeLessThanOrEqual(5);
    expect(withHeader.throttled).toBeLessThan(without.throttled / 10);
    expect(withHeader.share).toBeGreaterThanOrEqual(0.9);
  });

  it('a quota smaller than documented (another app spends half): the 429s teach it the real rate', () => {
    // the pacer believes 6,000 per window, Graph gives 3,000: its first burst alone is twice too big
    const outcome = rideQuota({ model: 'bucket', headers: false, timeScale: 5, writes: 9_500, pacerQuota: 6_000 });
    expect(outcome.share).toBeGreaterThanOrEqual(0.75);
    expect(outcome.throttledShare).toBeLessThan(0.05);
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

  it('lets its burst out at once, then writes at 97 % of the documented rate', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 1_000, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 970; i += 1) await pacer.acquire();
    expect(time.clock.now).toBe(0);
    for (let i = 0; i < 97; i += 1) await pacer.acquire();
    expect(time.clock.now).toBeCloseTo(1_000, -1);
  });

  it('lets writers waiting behind the rate leave in groups of a quarter second, to share a $batch', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 20, quota: 20, now: time.now, sleep: time.sleep });
    const released: number[] = [];
    await Promise.all(Array.from({ length: 34 }, () => pacer.acquire().then(() => released.push(time.clock.now))));
    const perInstant = new Map<number, number>();
    for (const at of released) perInstant.set(at, (perInstant.get(at) ?? 0) + 1);
    // the burst of 19.4 leaves as three groups of 5, then one group of 5 every ~258 ms (19.4 per second)
    expect([...perInstant.values()]).toEqual([15, 5, 5, 5, 4]);
  });

  it('holds every write until the pause ends, and gains no tokens while paused', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 100, now: time.now, sleep: time.sleep });
    pacer.observe({ throttled: true, limitPercentage: null, latencyMs: 0 });
    pacer.pauseUntil(2_500);
    await pacer.acquire();
    // empty at the 429, nothing gained during the 2.5 s pause: the first write waits one token at 77.6/s after it
    expect(time.clock.now).toBeGreaterThan(2_510);
    expect(time.clock.now).toBeLessThan(2_530);
  });

  it('takes the twenty 429s of one throttled batch as one signal: one cut, not twenty', () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 1_000, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 20; i += 1) pacer.observe({ throttled: true, limitPercentage: null, latencyMs: 250 });
    expect(pacer.rate).toBeCloseTo(77.6);
  });

  it('speeds up again once the throttling stops, never above the documented rate', () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 1_000, now: time.now, sleep: time.sleep });
    pacer.observe({ throttled: true, limitPercentage: null, latencyMs: 100 });
    for (let ms = 0; ms < 30_000; ms += 10) {
      time.clock.now += 10;
      pacer.observe({ throttled: false, limitPercentage: null, latencyMs: 100 });
    }
    expect(pacer.rate).toBeCloseTo(97);
  });

  it('refuses a rate or quota that cannot pace anything, naming the option', () => {
    expect(() => createWritePacer({ ratePerSecond: 0, quota: 3_000 })).toThrow('createWritePacer: expected `ratePerSecond` to be a number above 0');
    expect(() => createWritePacer({ ratePerSecond: 20, quota: 0 })).toThrow('createWritePacer: expected `quota` to be a number of at least 1');
  });
});
