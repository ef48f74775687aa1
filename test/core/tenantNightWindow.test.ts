import { describe, expect, it } from '@jest/globals';
import { decideFanOut, messageTiming, tenantNightWindow } from '../../shared/core/tenantNightWindow.js';

const at = (iso: string) => new Date(iso);
const twoAm = { waveSchedule: '0 0 2 * * *', startWindowMinutes: 240 };
const candidate = { tenantId: 't1', enabled: true, lastEnqueuedNight: null, config: twoAm };

describe('tenantNightWindow', () => {
  it('opens at the tenant\'s scheduled time on the night\'s date, for MFA_START_WINDOW_MINUTES', () => {
    expect(tenantNightWindow('2026-12-02', twoAm)).toEqual({ start: at('2026-12-02T02:00:00Z'), end: at('2026-12-02T06:00:00Z') });
  });
});

describe('decideFanOut', () => {
  it('enqueues a tenant once its window opens, once a night', () => {
    expect(decideFanOut(candidate, at('2026-12-02T01:00:00Z'))).toEqual({ tenantId: 't1', night: '2026-12-02', verdict: 'notYet' });
    expect(decideFanOut(candidate, at('2026-12-02T02:00:00Z'))).toEqual({ tenantId: 't1', night: '2026-12-02', verdict: 'due' });
    // a tick a moment early is the scheduled tick; a minute and more early is not
    expect(decideFanOut(candidate, at('2026-12-02T01:59:59.900Z')).verdict).toBe('due');
    expect(decideFanOut(candidate, at('2026-12-02T01:58:59.000Z')).verdict).toBe('notYet');
    expect(decideFanOut({ ...candidate, lastEnqueuedNight: '2026-12-02' }, at('2026-12-02T03:00:00Z')).verdict).toBe('alreadyEnqueued');
    expect(decideFanOut({ ...candidate, lastEnqueuedNight: '2026-12-01' }, at('2026-12-02T03:00:00Z')).verdict).toBe('due');
  });

  it('misses a night whose window closed before any tick, rather than running it by day', () => {
    expect(decideFanOut(candidate, at('2026-12-02T06:00:00Z')).verdict).toBe('windowClosed');
  });

  it('never enqueues a disabled tenant or one whose settings do not validate', () => {
    expect(decideFanOut({ ...candidate, enabled: false }, at('2026-12-02T02:30:00Z')).verdict).toBe('disabled');
    expect(decideFanOut({ ...candidate, config: null }, at('2026-12-02T02:30:00Z'))).toEqual({ tenantId: 't1', night: null, verdict: 'settingsInvalid' });
  });

  it('each tenant by its own schedule: an hourly timer enqueues the 23:00 tenant on the night it belongs to', () => {
    const late = { ...candidate, config: { waveSchedule: '0 0 23 * * *', startWindowMinutes: 120 } };
    expect(decideFanOut(late, at('2026-12-01T23:00:00Z'))).toEqual({ tenantId: 't1', night: '2026-12-01', verdict: 'due' });
    expect(decideFanOut(late, at('2026-12-02T00:30:00Z'))).toEqual({ tenantId: 't1', night: '2026-12-01', verdict: 'due' });
    expect(decideFanOut(late, at('2026-12-02T01:00:00Z')).verdict).toBe('windowClosed');
  });
});

describe('messageTiming', () => {
  it('runs tonight\'s message inside the window, drops it as late after, and refuses another night\'s', () => {
    expect(messageTiming('2026-12-02', twoAm, at('2026-12-02T02:10:00Z'))).toBe('tonight');
    expect(messageTiming('2026-12-02', twoAm, at('2026-12-02T06:00:00Z'))).toBe('late');
    expect(messageTiming('2026-12-01', twoAm, at('2026-12-02T02:10:00Z'))).toBe('late');
    expect(messageTiming('2026-12-03', twoAm, at('2026-12-02T02:10:00Z'))).toBe('notTonight');
  });
});
