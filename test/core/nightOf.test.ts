import { describe, expect, it } from '@jest/globals';
import { nightOf, scheduledMinuteOfDay } from '../../shared/core/nightOf.js';
import { tonightsWave } from '../../shared/core/tonightsWave.js';
import { testConfig } from './configBuilder.js';
import { now } from './userBuilder.js';
import { night, wave } from './waveBuilder.js';

const nightly = testConfig({ MFA_WAVE_SCHEDULE: '0 0 1 * * *' });

describe('nightOf', () => {
  it('a night runs from 12 hours before the scheduled time of day to 12 hours after it (01:00 UTC: 13:00 to 13:00)', () => {
    expect(nightOf('2026-11-25T01:00:00Z', nightly)).toBe('2026-11-25');
    expect(nightOf('2026-11-24T13:00:00Z', nightly)).toBe('2026-11-25');
    expect(nightOf('2026-11-25T12:59:59Z', nightly)).toBe('2026-11-25');
    expect(nightOf('2026-11-25T13:00:00Z', nightly)).toBe('2026-11-26');
    expect(nightOf('2026-11-24T12:59:59Z', nightly)).toBe('2026-11-24');
  });

  it('follows the schedule: a run at 22:30 UTC and a late one the next morning are the same night', () => {
    const evening = testConfig({ MFA_WAVE_SCHEDULE: '0 30 22 * * *' });
    expect(nightOf('2026-11-24T22:30:00Z', evening)).toBe('2026-11-24');
    expect(nightOf('2026-11-25T09:00:00Z', evening)).toBe('2026-11-24');
    expect(nightOf('2026-11-25T10:30:00Z', evening)).toBe('2026-11-25');
  });

  it('a schedule that is not one time of day counts nights noon to noon UTC', () => {
    const hourly = testConfig({ MFA_WAVE_SCHEDULE: '0 0 */1 * * *' });
    expect(scheduledMinuteOfDay(hourly.waveSchedule)).toBe(0);
    expect(nightOf('2026-11-24T12:00:00Z', hourly)).toBe('2026-11-25');
    expect(nightOf('2026-11-25T11:59:59Z', hourly)).toBe('2026-11-25');
  });

  it('has no night for an unreadable instant', () => {
    expect(nightOf('garbage', nightly)).toBeNull();
  });
});

describe('tonightsWave', () => {
  it('is the latest wave of tonight, whatever its status; held nights and markers do not count', () => {
    const earlier = wave({ startedAt: night(-1) });
    const died = wave({ startedAt: now.toISOString(), status: 'running', endedAt: null, waveId: 'tonight' });
    expect(tonightsWave([earlier, died], nightly, new Date(now.getTime() + 3_600_000))).toBe(died);
    expect(tonightsWave([earlier], nightly, now)).toBeNull();
    const held = wave({ startedAt: now.toISOString(), kind: 'held', status: 'held' });
    const resumed = wave({ startedAt: now.toISOString(), kind: 'resume', status: 'done' });
    expect(tonightsWave([earlier, held, resumed], nightly, now)).toBeNull();
  });
});
