import { describe, expect, it } from '@jest/globals';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { collectRosterFacts } from '../../shared/report/rosterFacts.js';
import { daysFrom, now, rosterUser, userId } from '../core/userBuilder.js';

/** An enforced user; `mfa` is what the sign-in log showed at the last check: a sign-in that satisfied MFA, none, or never read. */
function enforced(daysAgo: number, registration: 'unknown' | 'registered' | 'notRegistered', verifiedDaysAgo: number | null = null, mfa: 'seen' | 'none' | 'unread' = verifiedDaysAgo === null ? 'unread' : 'none'): RolloutProgress {
  const verifiedAt = verifiedDaysAgo === null ? null : daysFrom(now, -verifiedDaysAgo).toISOString();
  return {
    state: 'enforced', waveId: `w-${daysAgo}`, enforcedAt: daysFrom(now, -daysAgo).toISOString(), attempts: 1, previousMfaState: 'disabled',
    phoneMethodCreated: true, alreadyDone: false, phoneConflict: false, registration, verifiedAt,
    mfaCheckedAt: mfa === 'unread' ? null : verifiedAt, mfaSignInAt: mfa === 'seen' ? daysFrom(now, -(daysAgo - 1)).toISOString() : null,
  };
}

describe('collectRosterFacts', () => {
  it('counts registration, progress by date, stuck users (no MFA sign-in seen since enforcement; oldest first) and parked users', () => {
    const facts = collectRosterFacts({ stuckAfterDays: 14 }, now, 2);
    const users = [
      rosterUser({ id: userId(1), progress: enforced(20, 'notRegistered', 1) }),
      rosterUser({ id: userId(2), progress: enforced(30, 'notRegistered', 1) }),
      rosterUser({ id: userId(3), progress: enforced(14, 'notRegistered', 0) }),
      rosterUser({ id: userId(4), progress: enforced(13, 'notRegistered', 0) }), // not stuck yet
      rosterUser({ id: userId(5), progress: enforced(20, 'registered', 18, 'seen') }), // did MFA: not stuck
      rosterUser({ id: userId(6), progress: enforced(20, 'unknown') }), // never checked: not stuck
      // the report calls the rollout's own phone "registered" within hours: registered without an MFA sign-in is stuck
      rosterUser({ id: userId(10), progress: enforced(25, 'registered', 2, 'none') }),
      // the sign-in log was unavailable (no licence): not stuck for want of it
      rosterUser({ id: userId(11), progress: enforced(25, 'notRegistered', 2, 'unread') }),
      rosterUser({ id: userId(7), progress: enforced(20, 'notRegistered', 1), present: false }), // gone: not counted
      rosterUser({ id: userId(8), progress: { state: 'parked', waveId: 'w-p', parkedAt: now.toISOString(), attempts: 3, errorCode: 'PHONE_CONFLICT', requestId: null } }),
      rosterUser({ id: userId(9) }),
    ];
    for (const user of users) facts.add(user);
    const result = facts.finish();
    expect(result.registration).toEqual({ registered: 2, notRegistered: 5, unknown: 1 });
    expect(result.enforcedOn).toEqual({ '2026-10-26': 1, '2026-10-31': 2, '2026-11-05': 3, '2026-11-11': 1, '2026-11-12': 1 });
    expect(result.registeredOn).toEqual({ '2026-11-07': 1, '2026-11-23': 1 });
    expect(result.stuck.count).toBe(4);
    expect(result.stuck.afterDays).toBe(14);
    expect(result.stuck.users.map((user) => [user.userId, user.days])).toEqual([[userId(2), 30], [userId(10), 25]]); // the two oldest of four
    expect(result.parked.count).toBe(1);
    expect(result.parked.users[0]).toMatchObject({ userId: userId(8), errorCode: 'PHONE_CONFLICT', hint: expect.stringContaining('never overwritten') });
  });
});
