import { describe, expect, it } from '@jest/globals';
import { announceCount, noticeServed } from '../../shared/core/awareness.js';
import { nightGraceMs } from '../../shared/core/nightGrace.js';
import { testConfig } from './configBuilder.js';
import { announced, enforced, failed, now, parked, rolledBack } from './userBuilder.js';

const config = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '50', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '300' });
const noNotice = testConfig({ MFA_NOTICE_DAYS: '0' });

describe('noticeServed', () => {
  it('a new user must be announced first', () => {
    expect(noticeServed({ state: 'new' }, config, now)).toBe(false);
  });

  it('a new user may be enforced directly when noticeDays is 0', () => {
    expect(noticeServed({ state: 'new' }, noNotice, now)).toBe(true);
  });

  it('an announced user after exactly noticeDays × 24 h', () => {
    expect(noticeServed(announced(3), config, now)).toBe(true);
  });

  it('a run a few seconds earlier than the announcing one still counts (grace)', () => {
    const secondsShort = { state: 'announced', waveId: 'w', announcedAt: new Date(now.getTime() - 3 * 86_400_000 + 5_000).toISOString() } as const;
    expect(noticeServed(secondsShort, config, now)).toBe(true);
  });

  it('not one millisecond before the grace', () => {
    const justShort = { state: 'announced', waveId: 'w', announcedAt: new Date(now.getTime() - 3 * 86_400_000 + nightGraceMs + 1).toISOString() } as const;
    expect(noticeServed(justShort, config, now)).toBe(false);
  });

  it('an announced user after 2 days of 3 is not due', () => {
    expect(noticeServed(announced(2), config, now)).toBe(false);
  });

  it('an announced user is due at once when noticeDays drops to 0', () => {
    expect(noticeServed(announced(0), noNotice, now)).toBe(true);
  });

  it('a retry needs no new notice', () => {
    expect(noticeServed(failed(1), config, now)).toBe(true);
  });

  it('an unreadable announcedAt is never due', () => {
    expect(noticeServed({ state: 'announced', waveId: 'w', announcedAt: 'soon' }, config, now)).toBe(false);
  });

  it.each(['enforced', 'parked', 'rolledBack'] as const)('%s is never due', (state) => {
    const progress = state === 'enforced' ? enforced('w', 0) : state === 'parked' ? parked(3, 'X') : rolledBack('w', 'r');
    expect(noticeServed(progress, noNotice, now)).toBe(false);
  });
});

describe('announceCount', () => {
  it('announces nobody when noticeDays is 0', () => {
    expect(announceCount({ currentSize: 50, enforcesTonight: false, outstanding: 0 }, noNotice)).toBe(0);
  });

  it('from a standing start covers the next noticeDays waves from the current size', () => {
    expect(announceCount({ currentSize: 50, enforcesTonight: false, outstanding: 0 }, config)).toBe(50 + 100 + 200);
  });

  it('after a wave tonight covers the waves after it', () => {
    expect(announceCount({ currentSize: 50, enforcesTonight: true, outstanding: 300 }, config)).toBe(100 + 200 + 300 - 300);
  });

  it('announces only the shortfall', () => {
    expect(announceCount({ currentSize: 50, enforcesTonight: false, outstanding: 340 }, config)).toBe(10);
  });

  it('never a negative count', () => {
    expect(announceCount({ currentSize: 50, enforcesTonight: false, outstanding: 5000 }, config)).toBe(0);
  });

  it('projections stop at maxWaveSize', () => {
    expect(announceCount({ currentSize: 300, enforcesTonight: true, outstanding: 0 }, config)).toBe(900);
  });
});
