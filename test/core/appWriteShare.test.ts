import { describe, expect, it } from '@jest/globals';
import { countWriters, joinCannotOvershoot, shareCadence, writeShareOf } from '../../shared/core/appWriteShare.js';

const graphLimit = { quota: 35_000, windowSeconds: 300 };

describe('a night\'s part of the app-wide write limit', () => {
  it('divides the app\'s rate (a margin under it) and a burst that keeps a window under the quota among the nights writing now', () => {
    const alone = writeShareOf(graphLimit, 1, 0.97);
    expect(alone.ratePerSecond).toBeCloseTo(113.17, 2);
    expect(alone.burst).toBeCloseTo(525);
    // the burst and five minutes at the rate: under the quota, were Graph to count a window
    expect(alone.burst + alone.ratePerSecond * 300).toBeLessThan(35_000);
    const sixteen = writeShareOf(graphLimit, 16, 0.97);
    expect(sixteen.ratePerSecond).toBeCloseTo(7.07, 2);
    expect(sixteen.burst).toBeCloseTo(32.81, 2);
    expect(sixteen.writers).toBe(16);
    // never fewer than one writer (itself), never a burst below one write
    expect(writeShareOf(graphLimit, 0, 0.97).writers).toBe(1);
    expect(writeShareOf({ quota: 10, windowSeconds: 1 }, 100, 0.97).burst).toBe(1);
  });

  it('counts the announcements that still hold, itself always, each writer once', () => {
    const rows = [
      { writerId: 'a', expiresAtMs: 2_000 },
      { writerId: 'b', expiresAtMs: 999 },
      { writerId: 'c', expiresAtMs: 1_001 },
      { writerId: 'c', expiresAtMs: 5_000 },
    ];
    expect(countWriters(rows, 'a', 1_000)).toBe(2);
    expect(countWriters(rows, 'self', 1_000)).toBe(3);
    expect(countWriters([], 'self', 1_000)).toBe(1);
    expect(countWriters(rows, 'a', 3_000)).toBe(2);
  });

  it('renews a third of the window, between 1 and 5 s, and lets an announcement hold three renewals', () => {
    expect(shareCadence(graphLimit)).toEqual({ refreshMs: 5_000, ttlMs: 15_000, joinWaitMs: 7_500 });
    expect(shareCadence({ quota: 350, windowSeconds: 3 })).toEqual({ refreshMs: 1_000, ttlMs: 3_000, joinWaitMs: 1_500 });
    expect(shareCadence({ quota: 10, windowSeconds: 1 })).toEqual({ refreshMs: 1_000, ttlMs: 3_000, joinWaitMs: 1_500 });
    expect(shareCadence({ quota: 100, windowSeconds: 6 })).toEqual({ refreshMs: 2_000, ttlMs: 6_000, joinWaitMs: 3_000 });
  });

  it('lets a joining night skip the join wait only when every writer\'s own pace together stays under the planned limit', () => {
    const limit = { quota: 300, windowSeconds: 3 }; // 100/s, 97 planned
    const self = { writerId: 'c~3', pacePerSecond: 30 };
    const row = (writerId: string, pacePerSecond: number | null | undefined, expiresAtMs = 10_000) => ({ writerId, expiresAtMs, ...(pacePerSecond === undefined ? {} : { pacePerSecond }) });
    expect(joinCannotOvershoot(limit, [row('a~1', 30), row('b~2', 30), row('c~3', 30)], self, 0, 0.97)).toBe(true);
    expect(joinCannotOvershoot(limit, [row('a~1', 30), row('b~2', 40)], self, 0, 0.97)).toBe(false);
    // a writer that does not say its pace may write at its whole part
    expect(joinCannotOvershoot(limit, [row('a~1', 30), row('b~2', undefined)], self, 0, 0.97)).toBe(false);
    expect(joinCannotOvershoot(limit, [row('a~1', 30), row('b~2', null)], self, 0, 0.97)).toBe(false);
    // a lapsed announcement writes no more
    expect(joinCannotOvershoot(limit, [row('a~1', 30), row('b~2', 60, 5)], self, 10, 0.97)).toBe(true);
    expect(joinCannotOvershoot(limit, [row('a~1', 30)], { writerId: 'c~3', pacePerSecond: null }, 0, 0.97)).toBe(false);
  });
});
