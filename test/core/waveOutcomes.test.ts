import { describe, expect, it } from '@jest/globals';
import { compareWaves } from '../../shared/core/compareWaves.js';
import { failureRate } from '../../shared/core/failureRate.js';
import { topErrors } from '../../shared/core/topErrors.js';
import { night, wave } from './waveBuilder.js';

describe('failureRate', () => {
  it('is failed / attempted', () => {
    expect(failureRate({ attempted: 40, failed: 2 })).toBe(0.05);
  });

  it('is 0 when nobody was attempted', () => {
    expect(failureRate({ attempted: 0, failed: 0 })).toBe(0);
  });
});

describe('topErrors', () => {
  it('counts codes, most frequent first, ties by code', () => {
    expect(topErrors(['B', 'A', 'C', 'B', 'A', 'B'])).toEqual([
      { code: 'B', count: 3 },
      { code: 'A', count: 2 },
      { code: 'C', count: 1 },
    ]);
  });

  it('keeps at most limit codes', () => {
    expect(topErrors(['A', 'B', 'C'], 2)).toEqual([
      { code: 'A', count: 1 },
      { code: 'B', count: 1 },
    ]);
  });

  it('is empty for no failures', () => {
    expect(topErrors([])).toEqual([]);
  });
});

describe('compareWaves', () => {
  it('orders by start time as an instant, whatever the offset notation', () => {
    const utc = wave({ startedAt: '2026-11-24T01:00:00.000Z', waveId: 'b' });
    const cet = wave({ startedAt: '2026-11-24T01:30:00+01:00', waveId: 'a' });
    expect([utc, cet].sort(compareWaves).map((record) => record.waveId)).toEqual(['a', 'b']);
  });

  it('breaks ties by wave id', () => {
    const records = [wave({ startedAt: night(-1), waveId: 'y' }), wave({ startedAt: night(-1), waveId: 'x' })];
    expect(records.sort(compareWaves).map((record) => record.waveId)).toEqual(['x', 'y']);
  });

  it('puts an unreadable start time first', () => {
    const records = [wave({ startedAt: night(-1), waveId: 'ok' }), wave({ startedAt: 'garbage', waveId: 'bad' })];
    expect(records.sort(compareWaves).map((record) => record.waveId)).toEqual(['bad', 'ok']);
  });
});
