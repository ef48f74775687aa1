import { describe, expect, it } from '@jest/globals';
import { freeWaveId, waveIdAt } from '../../shared/shell/waveId.js';

describe('freeWaveId', () => {
  const at = new Date('2026-12-01T01:00:00.400Z');
  it('is the instant\'s id when the second is free, and never replaces a record of the same second', () => {
    expect(freeWaveId(at, [])).toBe('2026-12-01T01-00-00Z');
    expect(freeWaveId(at, [{ waveId: waveIdAt(at) }])).toBe('2026-12-01T01-00-00Z-2');
    expect(freeWaveId(at, [{ waveId: waveIdAt(at) }, { waveId: `${waveIdAt(at)}-2` }])).toBe('2026-12-01T01-00-00Z-3');
    expect(freeWaveId(at, [{ waveId: waveIdAt(at, 'rollback') }], 'rollback')).toBe('2026-12-01T01-00-00Z-rollback-2');
  });
});
