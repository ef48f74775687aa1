import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter, retryDelayMs, retryVerdict } from '../../../shared/adapters/graph/retryDelay.js';

const now = Date.parse('2026-12-01T01:00:00Z');

describe('parseRetryAfter', () => {
  it('reads whole and fractional seconds, as Graph sends them', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('2.128', now)).toBeCloseTo(2_128);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date as the time from now, never negative', () => {
    expect(parseRetryAfter('Tue, 01 Dec 2026 01:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 00:59:00 GMT', now)).toBe(0);
  });

  it('returns null for an absent, empty or unreadable header', () => {
    expect([null, '', '  ', 'soon'].map((value) => parseRetryAfter(value, now))).toEqual([null, null, null, null]);
  });
});

describe('retryDelayMs', () => {
  it('waits what Graph asked plus a little jitter (at most a fifth, 100 ms to 1 s)', () => {
    expect(retryDelayMs({ retry: 1, retryAfter: '2', now, random: 0 })).toBe(2_000);
    expect(retryDelayMs({ retry: 1, retryAfter: '2', now, random: 0.999 })).toBe(2_500);
    expect(retryDelayMs({ retry: 1, retryAfter: '0.05', now, random: 0.999 })).toBe(160);
    expect(retryDelayMs({ retry: 1, retryAfter: '60', now, random: 0.999 })).toBe(60_999);
  });

  it('backs off exponentially without Retry-After, jittered between half and the whole ceiling, capped', () => {
    expect([1, 2, 3, 4].map((retry) => retryDelayMs({ retry, retryAfter: null, now, random: 0 }))).toEqual([250, 500, 1_000, 2_000]);
    expect([1, 2, 3, 4].map((retry) => retryDelayMs({ retry, retryAfter: null, now, random: 0.999 }))).toEqual([500, 1_000, 1_999, 3_998]);
    expect(retryDelayMs({ retry: 20, retryAfter: null, now, random: 0.999 })).toBeLessThanOrEqual(30_000);
  });
});

describe('retryVerdict', () => {
  const base = { retryable: true, attempt: 1, maxAttempts: 6, budgetLeft: 10, delayMs: 1_000, maxDelayMs: 180_000 };

  it('retries a retryable failure with attempts, patience and budget left', () => {
    expect(retryVerdict(base)).toEqual({ retry: true, delayMs: 1_000 });
  });

  it('names the first rule that says no: not retryable, attempts, Retry-After too long, budget', () => {
    expect(retryVerdict({ ...base, retryable: false, attempt: 6, budgetLeft: 0 })).toEqual({ retry: false, reason: 'notRetryable' });
    expect(retryVerdict({ ...base, attempt: 6, budgetLeft: 0 })).toEqual({ retry: false, reason: 'attempts' });
    expect(retryVerdict({ ...base, delayMs: 200_000, budgetLeft: 0 })).toEqual({ retry: false, reason: 'retryAfterTooLong' });
    expect(retryVerdict({ ...base, budgetLeft: 0 })).toEqual({ retry: false, reason: 'budget' });
  });
});
