import { describe, expect, it } from '@jest/globals';
import { progressByNight } from '../../shared/report/progressByNight.js';
import { night, wave } from '../core/waveBuilder.js';

describe('progressByNight', () => {
  it('nothing recorded: no night', () => {
    expect(progressByNight({ history: [], enforcedOn: {}, registeredOn: {}, until: new Date(night(0)) })).toEqual([]);
  });

  it('every calendar night from the first record to today, with cumulative counts and quiet nights as `none`', () => {
    const history = [
      wave({ startedAt: night(-3), enforced: 5, failed: 1 }),
      wave({ startedAt: night(-2), kind: 'held', status: 'held', enforced: 0 }),
      wave({ startedAt: night(0), enforced: 7, status: 'halted', failed: 3 }),
    ];
    const nights = progressByNight({
      history,
      enforcedOn: { '2026-11-22': 5, '2026-11-25': 6 },
      registeredOn: { '2026-11-24': 2, '2026-11-25': 1 },
      until: new Date('2026-11-26T09:00:00Z'),
    });
    expect(nights.map(({ date, outcome, enforced, failed, cumulativeEnforced, cumulativeRegistered }) => [date, outcome, enforced, failed, cumulativeEnforced, cumulativeRegistered])).toEqual([
      ['2026-11-22', 'completed', 5, 1, 5, 0],
      ['2026-11-23', 'held', 0, 0, 5, 0],
      ['2026-11-24', 'none', 0, 0, 5, 2],
      ['2026-11-25', 'halted', 6, 3, 11, 3],
      ['2026-11-26', 'none', 0, 0, 11, 3],
    ]);
    expect(nights[0]?.waveIds).toEqual([history[0]?.waveId]);
  });

  it('keeps the most recent nights, counting everything before them', () => {
    const nights = progressByNight({ history: [], enforcedOn: { '2026-11-01': 10, '2026-11-20': 1 }, registeredOn: {}, until: new Date('2026-11-21T00:00:00Z'), maxNights: 3 });
    expect(nights.map((entry) => [entry.date, entry.cumulativeEnforced])).toEqual([['2026-11-19', 10], ['2026-11-20', 11], ['2026-11-21', 11]]);
  });
});
