import { describe, expect, it } from '@jest/globals';
import { nextWaveSize, pilotWaveSize, projectWaveSizes } from '../../shared/core/waveSizing.js';
import { testConfig } from './configBuilder.js';
import { now } from './userBuilder.js';
import { night, wave } from './waveBuilder.js';

const config = testConfig({ MFA_WAVE_SIZE: '50', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '300', MFA_WARN_FAILURE_RATE: '0.02' });

describe('nextWaveSize', () => {
  it('waveSize when there is no history', () => {
    expect(nextWaveSize([], config)).toBe(50);
  });

  it('waveSize for the first wave after the pilot', () => {
    expect(nextWaveSize([wave({ pilot: true, targetSize: 12, planned: 12, attempted: 12 })], config)).toBe(50);
  });

  it('grows by waveGrowth after a clean wave', () => {
    expect(nextWaveSize([wave({ targetSize: 50 })], config)).toBe(100);
  });

  it('rounds growth up', () => {
    const slow = testConfig({ MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '1.5' });
    expect(nextWaveSize([wave({ targetSize: 5, planned: 5, attempted: 5, enforced: 5 })], slow)).toBe(8);
  });

  it('is not fooled by binary fractions (50 × 1.1 = 55)', () => {
    const slow = testConfig({ MFA_WAVE_SIZE: '50', MFA_WAVE_GROWTH: '1.1' });
    expect(nextWaveSize([wave({ targetSize: 50 })], slow)).toBe(55);
  });

  it('stops at maxWaveSize', () => {
    expect(nextWaveSize([wave({ targetSize: 200, planned: 200, attempted: 200 })], config)).toBe(300);
  });

  it('applies a lowered maxWaveSize at once', () => {
    const lowered = testConfig({ MFA_WAVE_SIZE: '50', MFA_MAX_WAVE_SIZE: '80' });
    expect(nextWaveSize([wave({ targetSize: 200, planned: 200, attempted: 200 })], lowered)).toBe(80);
  });

  it('stays the same after a wave whose failure rate crossed warnFailureRate', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 100, attempted: 100, failed: 3 })], config)).toBe(100);
  });

  it('grows when the failure rate is exactly warnFailureRate', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 100, attempted: 100, failed: 2 })], config)).toBe(200);
  });

  it('does not grow after a wave stopped by the time budget', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 100, attempted: 60, status: 'stopped' })], config)).toBe(100);
  });

  it('does not grow after a halted wave', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 100, attempted: 20, failed: 5, status: 'halted' })], config)).toBe(100);
  });

  it('does not grow after a wave that never closed', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 100, attempted: 40, status: 'running', endedAt: null })], config)).toBe(100);
  });

  it('does not grow after a wave that found fewer users than its size', () => {
    expect(nextWaveSize([wave({ targetSize: 100, planned: 3, attempted: 3, enforced: 3 })], config)).toBe(100);
  });

  it('ignores held nights, resume and rollback records', () => {
    const history = [
      wave({ startedAt: night(-4), targetSize: 50 }),
      wave({ startedAt: night(-3), kind: 'held', status: 'held', targetSize: 0, planned: 0, attempted: 0 }),
      wave({ startedAt: night(-2), kind: 'rollback', status: 'done', targetSize: 0, planned: 0, attempted: 0 }),
      wave({ startedAt: night(-1), kind: 'resume', status: 'done', targetSize: 0, planned: 0, attempted: 0 }),
    ];
    expect(nextWaveSize(history, config)).toBe(100);
  });

  it('ignores nights that only announced (the notice gap)', () => {
    const history = [wave({ startedAt: night(-3), targetSize: 50 }), wave({ startedAt: night(-1), targetSize: 100, planned: 0, attempted: 0, announced: 400 })];
    expect(nextWaveSize(history, config)).toBe(100);
  });

  it('ignores pilot waves after the ramp started', () => {
    const history = [wave({ startedAt: night(-2), targetSize: 100, planned: 100, attempted: 100 }), wave({ startedAt: night(-1), pilot: true, targetSize: 3, planned: 3, attempted: 3 })];
    expect(nextWaveSize(history, config)).toBe(200);
  });

  it('reads the latest ramp wave whatever order the history comes in', () => {
    const history = [wave({ startedAt: night(-1), targetSize: 100, planned: 100, attempted: 100, failed: 50 }), wave({ startedAt: night(-2), targetSize: 50 })];
    expect(nextWaveSize(history, config)).toBe(100);
  });

  it('follows a changed waveGrowth at once', () => {
    expect(nextWaveSize([wave({ targetSize: 50 })], testConfig({ MFA_WAVE_GROWTH: '3' }))).toBe(150);
  });
});

describe('nextWaveSize counts nights, not runs (issue 11 item 4)', () => {
  const tonight = wave({ startedAt: now.toISOString(), targetSize: 50 });

  it('a second wave tonight has tonight\'s size, however clean the first', () => {
    expect(nextWaveSize([wave({ startedAt: night(-1), targetSize: 25 }), tonight], config, new Date(now.getTime() + 20 * 60_000))).toBe(50);
  });

  it('tomorrow, tonight\'s waves are judged together: both clean and one full, the ramp grows once', () => {
    const second = wave({ startedAt: new Date(now.getTime() + 30 * 60_000).toISOString(), waveId: 'again', targetSize: 50, planned: 4, attempted: 4, enforced: 4 });
    expect(nextWaveSize([tonight, second], config, new Date(now.getTime() + 86_400_000))).toBe(100);
  });

  it('one unclean wave of the night keeps the size, even when the rerun after it was clean', () => {
    const died = wave({ startedAt: now.toISOString(), targetSize: 50, status: 'stopped', attempted: 0, enforced: 0 });
    const again = wave({ startedAt: new Date(now.getTime() + 30 * 60_000).toISOString(), waveId: 'again', targetSize: 50 });
    expect(nextWaveSize([died, again], config, new Date(now.getTime() + 86_400_000))).toBe(50);
  });
});

describe('nextWaveSize after a rollback (issue 11 item 5)', () => {
  const rolledBack = wave({ startedAt: night(-2), targetSize: 100, planned: 80, attempted: 80, enforced: 80 });
  const rollback = wave({ startedAt: night(-1).replace('T01', 'T09'), waveId: 'rb', kind: 'rollback', status: 'done', targetWaveId: rolledBack.waveId, targetSize: 0, planned: 0, attempted: 80 });

  it('is no larger than the rolled-back wave until a resume', () => {
    expect(nextWaveSize([wave({ startedAt: night(-3), targetSize: 50 }), rolledBack, rollback], config, now)).toBe(80);
    // later clean waves do not grow it either
    const after = wave({ startedAt: night(0), targetSize: 80, planned: 80, attempted: 80 });
    expect(nextWaveSize([rolledBack, rollback, after], config, new Date(now.getTime() + 86_400_000))).toBe(80);
  });

  it('a resume after the rollback lifts the brake, in the same second as well', () => {
    const resume = wave({ startedAt: night(-1).replace('T01', 'T10'), waveId: 'z-resume', kind: 'resume', status: 'done', targetWaveId: rolledBack.waveId, targetSize: 0, planned: 0, attempted: 0 });
    expect(nextWaveSize([rolledBack, rollback, resume], config, now)).toBe(100); // the size it had (that wave was not full)
    const sameSecond = { ...resume, startedAt: rollback.startedAt, waveId: 'a-resume' };
    expect(nextWaveSize([rolledBack, rollback, sameSecond], config, now)).toBe(100);
  });
});

describe('pilotWaveSize', () => {
  it('is the whole ready pilot ring', () => {
    expect(pilotWaveSize(12, config)).toBe(12);
  });

  it('is capped by maxWaveSize', () => {
    expect(pilotWaveSize(1000, config)).toBe(300);
  });
});

describe('projectWaveSizes', () => {
  it('grows as if every wave were clean, capped at maxWaveSize', () => {
    expect(projectWaveSizes(50, 5, config)).toEqual([50, 100, 200, 300, 300]);
  });

  it('is empty for no waves', () => {
    expect(projectWaveSizes(50, 0, config)).toEqual([]);
  });
});
