import { describe, expect, it } from '@jest/globals';
import {
  createPacerCore,
  createWritePacer,
  defaultTuning,
  initialPacer,
  pacerRate,
  refillPacer,
  reportedPacer,
  throttledPacer,
  windowWaitMs,
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

  it('finds the wait until one more write fits a window from the send times in it', () => {
    expect(windowWaitMs([0, 100, 200], 500, 1_000, 4)).toBe(0);
    expect(windowWaitMs([0, 100, 200, 300], 500, 1_000, 4)).toBe(500);
    expect(windowWaitMs([0, 100, 200, 300], 1_050, 1_000, 4)).toBe(0);
  });
});

describe('the pacer core: which way Graph counts, found with one probe', () => {
  const small: PacerTuning = { ...defaultTuning, quota: 100, ratePerSecond: 10, windowSlack: 0 };
  /** Releases all it may at `nowMs`; every write but the probe is answered 2xx at once (the tests answer the probe). */
  const sendAll = (core: ReturnType<typeof createPacerCore>, nowMs: number) => {
    const tickets: { ticket: number; probe: boolean }[] = [];
    for (let decision = core.release(nowMs); decision.go; decision = core.release(nowMs)) {
      tickets.push(decision);
      if (!decision.probe) core.observe({ ticket: decision.ticket, throttled: false, limitPercentage: null }, nowMs);
    }
    return tickets;
  };

  it('keeps the bucket rule and, until it knows, no more than the whole quota in one window; the write past it is the probe', () => {
    const core = createPacerCore(small, 0);
    expect(sendAll(core, 0)).toHaveLength(97); // the burst: 97 % of 100
    const later = sendAll(core, 1_000); // 9.7 more tokens: 3 fit the window of 100, the fourth is the probe
    expect(later.map((entry) => entry.probe)).toEqual([false, false, false, true]);
    expect(core.release(1_000)).toEqual({ go: false, waitMs: 50 }); // nothing else while the probe is out
  });

  it('a probe answered 2xx means a bucket: the window rule goes, the bucket rule stays', () => {
    const core = createPacerCore(small, 0);
    sendAll(core, 0);
    const probe = sendAll(core, 1_000).find((entry) => entry.probe);
    core.observe({ ticket: probe?.ticket ?? 0, throttled: false, limitPercentage: null }, 1_200);
    expect(core.model).toBe('bucket');
    expect(sendAll(core, 2_000).length).toBeGreaterThan(0);
    expect(core.state.factor).toBe(1);
  });

  it('a probe answered 429 means a window: the margin under the quota per window, no bucket, and nothing cut for the question', () => {
    const core = createPacerCore(small, 0);
    sendAll(core, 0);
    const probe = sendAll(core, 1_000).find((entry) => entry.probe);
    core.observe({ ticket: probe?.ticket ?? 0, throttled: true, limitPercentage: null, latencyMs: 200 }, 1_200);
    expect([core.model, core.state.factor]).toEqual(['window', 1]);
    // 101 writes in the window; 97 allowed: nothing until the burst of t=0 leaves it (10 s later)
    expect(core.release(5_000)).toEqual({ go: false, waitMs: 5_000 });
    expect(sendAll(core, 10_000)).toHaveLength(97 - 4);
  });

  it('books a write in the window when its answer comes (Graph booked it on arrival, not when the pacer let it go), and counts writes still out', () => {
    const core = createPacerCore(small, 0); // a window of 10 s
    const late: number[] = [];
    for (let decision = core.release(0); decision.go && !decision.probe; decision = core.release(0)) late.push(decision.ticket);
    // the burst waited in the client and arrived late: answered at 4 s
    for (const ticket of late) core.observe({ ticket, throttled: false, limitPercentage: null }, 4_000);
    const probe = sendAll(core, 1_000).find((entry) => entry.probe);
    core.observe({ ticket: probe?.ticket ?? 0, throttled: true, limitPercentage: null }, 4_100);
    // the window frees when the answers are 10 s old, not the releases
    expect(core.release(10_500)).toMatchObject({ go: false });
    expect(core.release(14_000)).toMatchObject({ go: true });
  });

  it('asks again when a probe is never answered', () => {
    const core = createPacerCore({ ...small, ratePerSecond: 1 }, 0); // a window of 100 s
    sendAll(core, 0);
    expect(sendAll(core, 5_000).at(-1)).toMatchObject({ probe: true });
    expect(core.release(34_999)).toEqual({ go: false, waitMs: 50 });
    expect(core.release(35_001)).toMatchObject({ go: true, probe: true });
  });
});

type Model = 'bucket' | 'window';

/**
 * Graph's write quota (capacity C per window W: a token bucket or a sliding window, every request booked, throttled or
 * not, as the sandbox does) against the pacer core, in simulated milliseconds. Writes leave at most as fast as the
 * client can push them (`clientPerSecond`), land after 100–300 ms, and a 429 carries the time until one write fits,
 * which holds every write (as the gateway does) and is sent again. With `headers`, answers above 80 % carry the used
 * share. Returns the share of the quota used (writes landed ÷ the most the model admits over the run: C + C/W × T for
 * the bucket, C per whole window for the window) and the 429s.
 */
function rideQuota(input: { model: Model; headers: boolean; timeScale: number; writes: number; clientPerSecond?: number; pacerQuota?: number }) {
  const capacity = 3_000;
  const windowMs = 150_000 / input.timeScale;
  const refillPerMs = capacity / windowMs;
  const pacerQuota = input.pacerQuota ?? capacity;
  const core = createPacerCore({ ...defaultTuning, quota: pacerQuota, ratePerSecond: (pacerQuota / windowMs) * 1000 }, 0);
  let tokens = capacity;
  const booked: number[] = [];
  let bookedHead = 0;
  const landedAt: number[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const inFlight: { landsAt: number; sentAt: number; ticket: number }[] = [];
  let now = 0;
  let clientCredit = 0;
  let toSend = input.writes;
  let throttled = 0;
  let sent = 0;
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
      const write = inFlight[index] as { landsAt: number; sentAt: number; ticket: number };
      if (write.landsAt > now) continue;
      inFlight.splice(index, 1);
      const answer = quotaAnswer();
      const limitPercentage = input.headers && answer.share > 0.8 ? Math.round(answer.share * 1000) / 1000 : null;
      if (answer.ok) landedAt.push(now);
      else {
        throttled += 1;
        toSend += 1;
        core.pauseUntil(now + answer.waitMs, now);
      }
      core.observe({ ticket: write.ticket, throttled: !answer.ok, limitPercentage: answer.ok ? limitPercentage : null, latencyMs: now - write.sentAt }, now);
    }
    clientCredit = Math.min(20, clientCredit + (input.clientPerSecond ?? 300) / 1000);
    while (toSend > 0 && clientCredit >= 1) {
      const decision = core.release(now);
      if (!decision.go) break;
      clientCredit -= 1;
      toSend -= 1;
      sent += 1;
      inFlight.push({ sentAt: now, landsAt: now + 100 + random() * 200, ticket: decision.ticket });
    }
    now += 1;
  }
  const wholeWindows = Math.floor(now / windowMs);
  const share =
    input.model === 'bucket'
      ? landedAt.length / (capacity + refillPerMs * now)
      : landedAt.filter((at) => at < wholeWindows * windowMs).length / (capacity * wholeWindows);
  return { share, throttled, throttledShare: throttled / sent, seconds: now / 1000, model: core.model };
}

describe('the pacer against a simulated Graph write quota (3,000 writes per 150 s), no header on any write', () => {
  it.each([
    ['bucket', 1],
    ['bucket', 5],
    ['window', 1],
    ['window', 5],
  ] as const)('%s, windows %i× shorter: uses ≥ 90 %% of the quota with at most one write answered 429 (its probe)', (model, timeScale) => {
    for (const clientPerSecond of [300, 600]) {
      const outcome = rideQuota({ model, headers: false, timeScale, writes: 9_500, clientPerSecond });
      expect(outcome.share).toBeGreaterThanOrEqual(0.9);
      expect(outcome.throttled).toBeLessThanOrEqual(model === 'bucket' ? 0 : 1);
      expect(outcome.model).toBe(model);
    }
  });

  it.each([10, 15])('window, windows %i× shorter, over ten and more of them: the slack is a share of the window, so it still uses ≥ 90 %%', (timeScale) => {
    // a fixed 2 s of slack would make a 15 s window 17 s (88 %) and a 10 s one 12 s (83 %)
    const outcome = rideQuota({ model: 'window', headers: false, timeScale, writes: 33_000, clientPerSecond: 600 });
    expect(outcome.share).toBeGreaterThanOrEqual(0.9);
    expect(outcome.throttled).toBeLessThanOrEqual(1);
  });

  it('with the percentage header (directory writes) as well: the header refines, it is not needed', () => {
    const outcome = rideQuota({ model: 'window', headers: true, timeScale: 5, writes: 9_500 });
    expect(outcome.throttled).toBeLessThanOrEqual(1);
    expect(outcome.share).toBeGreaterThanOrEqual(0.9);
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

  it('lets its burst out at once, then writes at 97 % of the documented rate, each with its ticket', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 1_000, now: time.now, sleep: time.sleep });
    const tickets: number[] = [];
    for (let i = 0; i < 970; i += 1) tickets.push(await pacer.acquire());
    expect(time.clock.now).toBe(0);
    for (let i = 0; i < 29; i += 1) tickets.push(await pacer.acquire());
    expect(time.clock.now).toBeCloseTo(300, -1);
    expect(new Set(tickets).size).toBe(999);
    expect(pacer.model).toBe('unknown');
  });

  it('lets writers waiting behind the rate leave in groups of a quarter second, to share a $batch', async () => {
    const time = fakeTime();
    const pacer = createWritePacer({ ratePerSecond: 20, quota: 40, now: time.now, sleep: time.sleep });
    const released: number[] = [];
    await Promise.all(Array.from({ length: 34 }, () => pacer.acquire().then(() => released.push(time.clock.now))));
    const perInstant = new Map<number, number>();
    for (const at of released) perInstant.set(at, (perInstant.get(at) ?? 0) + 1);
    // the burst of 38.8 leaves at once (seven groups of 5, the rest as the bucket allows), then groups as it refills
    expect([...perInstant.values()].slice(0, 1)).toEqual([34]);
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

describe('a night\'s part of the app-wide write limit (many tenants)', () => {
  it('lets no more writes out than the share\'s burst, then the share\'s rate, whatever the own bucket holds', () => {
    const core = createPacerCore(tuning, 0);
    core.setShare({ ratePerSecond: 2, burst: 3, writers: 8 }, 0);
    const released = [0, 0, 0].map(() => core.release(0).go);
    expect(released).toEqual([true, true, true]);
    const held = core.release(0);
    expect(held).toEqual({ go: false, waitMs: 500 });
    expect(core.release(499).go).toBe(false);
    expect(core.release(500).go).toBe(true);
    expect(core.rate()).toBe(2);
    // the own bucket still holds nearly all of its burst: the share is what held the writes back
    expect(core.state.tokens).toBeGreaterThan(2_900);
  });

  it('takes a smaller share at once and a larger one as it refills; none gives the own bucket back', () => {
    const core = createPacerCore(tuning, 0);
    core.setShare({ ratePerSecond: 10, burst: 10, writers: 2 }, 0);
    core.setShare({ ratePerSecond: 5, burst: 4, writers: 4 }, 0);
    expect([1, 2, 3, 4, 5].map(() => core.release(0).go)).toEqual([true, true, true, true, false]);
    core.setShare({ ratePerSecond: 20, burst: 20, writers: 1 }, 0);
    expect(core.release(0).go).toBe(false);
    expect(core.release(50).go).toBe(true);
    core.setShare(null, 50);
    expect(core.rate()).toBeCloseTo(19.4);
    expect(core.release(50).go).toBe(true);
  });

  it('cuts the share\'s rate by the same factor as its own on a 429', () => {
    const small: PacerTuning = { ...defaultTuning, quota: 10, ratePerSecond: 10 };
    const core = createPacerCore(small, 0);
    core.setShare({ ratePerSecond: 4, burst: 2, writers: 5 }, 0);
    const first = core.release(0);
    expect(first.go).toBe(true);
    core.observe({ ...(first.go ? { ticket: first.ticket } : {}), throttled: true, limitPercentage: null, latencyMs: 10 }, 5);
    expect(core.state.factor).toBeCloseTo(0.8);
    expect(core.rate()).toBeCloseTo(3.2);
  });

  it('asks its share source before the first write and reads the share at each release', async () => {
    let clock = 0;
    let asked = 0;
    const source = {
      beforeWrite: async () => {
        asked += 1;
      },
      current: () => ({ ratePerSecond: 4, burst: 1, writers: 3 }),
    };
    const pacer = createWritePacer({ ratePerSecond: 20, quota: 3_000, now: () => clock, sleep: async (ms) => void (clock += ms), share: source });
    await pacer.acquire();
    await pacer.acquire();
    await pacer.acquire();
    expect(asked).toBe(3);
    expect(clock).toBe(500);
    expect(pacer.rate).toBe(4);
  });
});

describe('a share smaller than a group', () => {
  it('lets writers waiting behind a share whose burst is one write out one by one, never waiting for a group that cannot fit', async () => {
    let clock = 0;
    const source = { beforeWrite: async () => undefined, current: () => ({ ratePerSecond: 40, burst: 1, writers: 2 }) };
    // a pacer that waits for ever (sleeping again and again for a group that cannot fit) fails here
    let sleeps = 0;
    const sleep = async (ms: number) => {
      sleeps += 1;
      if (sleeps > 1_000) throw new Error('the pacer never let the writers out');
      clock += ms;
    };
    const pacer = createWritePacer({ ratePerSecond: 100, quota: 3_000, now: () => clock, sleep, share: source });
    // twelve writers at once: a group at 40/s would be 10, more than the share's burst of 1
    const tickets = await Promise.all(Array.from({ length: 12 }, () => pacer.acquire()));
    expect(tickets).toHaveLength(12);
    // one at once, then one each 25 ms
    expect(clock).toBeCloseTo(275, 0);
  });
});

describe('writes sent again', () => {
  it('go before the first attempts waiting behind the rate, so a 429 storm cannot starve one write of its attempts', async () => {
    let clock = 0;
    const pacer = createWritePacer({ ratePerSecond: 10, quota: 1, tuning: { margin: 1 }, now: () => clock, sleep: async (ms) => void (clock += ms) });
    const order: string[] = [];
    await pacer.acquire();
    // five first attempts queue up behind the rate, then a write answered 429 asks to go again
    const firsts = Array.from({ length: 5 }, (_, index) => pacer.acquire().then(() => order.push(`first ${index}`)));
    const again = pacer.acquire(true).then(() => order.push('retry'));
    await Promise.all([...firsts, again]);
    expect(order[0]).toBe('retry');
    expect(order).toHaveLength(6);
  });
});
