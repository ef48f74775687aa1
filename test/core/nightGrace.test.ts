import { describe, expect, it } from '@jest/globals';
import { daysHavePassed, nightGraceMs } from '../../shared/core/nightGrace.js';

describe('daysHavePassed: whole days as a nightly job counts them', () => {
  const enforcedAt = '2026-12-01T01:20:00.000Z';

  it('a user enforced at 01:20 is two days past at the 01:00 run two nights later (the grace absorbs the 20 minutes)', () => {
    expect(daysHavePassed(enforcedAt, 2, new Date('2026-12-03T01:00:00.000Z'))).toBe(true);
  });

  it('not at the run the night before, and never earlier than the grace before the period ends', () => {
    expect(daysHavePassed(enforcedAt, 2, new Date('2026-12-02T01:00:00.000Z'))).toBe(false);
    const end = Date.parse(enforcedAt) + 2 * 86_400_000;
    expect(daysHavePassed(enforcedAt, 2, new Date(end - nightGraceMs))).toBe(true);
    expect(daysHavePassed(enforcedAt, 2, new Date(end - nightGraceMs - 1))).toBe(false);
  });

  it('zero days have always passed', () => {
    expect(daysHavePassed(enforcedAt, 0, new Date(Date.parse(enforcedAt) - nightGraceMs))).toBe(true);
  });
});
