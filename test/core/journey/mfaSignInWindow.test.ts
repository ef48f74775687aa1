import { describe, expect, it } from '@jest/globals';
import { mfaSignInWindow } from '../../../shared/core/journey/mfaSignInWindow.js';
import type { Journey, JourneyProgress } from '../../../shared/core/journey/journeyTypes.js';

const now = new Date('2026-12-01T01:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const journey = (enforcedDaysAgo: number | null, mfaSeenAt: string | null = null): Journey => ({
  enteredWaveId: 'w', enteredAt: daysAgo(40), announcedAt: null, enforceFrom: null, entryCompleteAt: daysAgo(40),
  steps: enforcedDaysAgo === null ? {} : { enforceMfa: { waveId: 'w', at: daysAgo(enforcedDaysAgo), wrote: true, previousMfaState: 'disabled', via: 'perUserMfa' } },
  phoneConflict: false, registration: null, lastCheckedAt: null, methods: null, mfaSeenAt, attempts: 0,
});
const active = (enforcedDaysAgo: number | null, mfaSeenAt: string | null = null): JourneyProgress => ({ state: 'active', journey: journey(enforcedDaysAgo, mfaSeenAt) });
const config = { stuckAfterDays: 14, verifyAfterDays: 0 };

describe('mfaSignInWindow', () => {
  it('needs no read when nobody checked tonight is enforced and not yet seen doing MFA', () => {
    expect(mfaSignInWindow([], config, now)).toBeNull();
    expect(mfaSignInWindow([{ state: 'new' }, active(null), active(3, daysAgo(1))], config, now)).toBeNull();
  });

  it('starts at the oldest enforcement among those who need it', () => {
    expect(mfaSignInWindow([active(2), active(5), active(9, daysAgo(8))], config, now)).toBe(daysAgo(5));
  });

  it('reaches back no further than MFA_STUCK_AFTER_DAYS + 7 days, nor than the log keeps (30 days)', () => {
    expect(mfaSignInWindow([active(60)], config, now)).toBe(daysAgo(21));
    expect(mfaSignInWindow([active(60)], { stuckAfterDays: 90, verifyAfterDays: 0 }, now)).toBe(daysAgo(30));
  });

  it('leaves out users whose MFA_VERIFY_AFTER_DAYS have not passed since MFA was required', () => {
    const twoDays = { stuckAfterDays: 14, verifyAfterDays: 2 };
    expect(mfaSignInWindow([active(1)], twoDays, now)).toBeNull();
    expect(mfaSignInWindow([active(1), active(2)], twoDays, now)).toBe(daysAgo(2));
    expect(mfaSignInWindow([active(0)], config, now)).toBe(daysAgo(0));
  });
});
