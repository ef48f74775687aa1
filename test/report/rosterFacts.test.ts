import { describe, expect, it } from '@jest/globals';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { collectRosterFacts } from '../../shared/report/rosterFacts.js';
import { daysFrom, enforced as entered, now, parked, rosterUser, userId } from '../core/userBuilder.js';

/** A user MFA was required of `daysAgo` days ago; the passkey seen at the last look (`verifiedDaysAgo`), or not, or never looked at. */
function enforced(daysAgo: number, registration: 'unknown' | 'registered' | 'notRegistered', verifiedDaysAgo: number | null = null): RolloutProgress {
  const lookedAt = verifiedDaysAgo === null ? null : daysFrom(now, -verifiedDaysAgo).toISOString();
  return entered(`w-${daysAgo}`, daysAgo, {
    lastCheckedAt: registration === 'unknown' ? null : lookedAt,
    registration: registration === 'registered' && lookedAt !== null ? { method: 'passkey', seenAt: lookedAt, registeredAt: null, passkeyType: 'synced', hadBefore: false } : null,
  });
}

describe('collectRosterFacts', () => {
  it('counts registration, progress by date, stuck users (oldest first) and parked users', () => {
    const facts = collectRosterFacts({ stuckAfterDays: 14, targetMethod: 'passkey' }, now, 2);
    const users = [
      rosterUser({ id: userId(1), progress: enforced(20, 'notRegistered', 1) }),
      rosterUser({ id: userId(2), progress: enforced(30, 'notRegistered', 1) }),
      rosterUser({ id: userId(3), progress: enforced(14, 'notRegistered', 0) }),
      rosterUser({ id: userId(4), progress: enforced(13, 'notRegistered', 0) }), // not stuck yet
      rosterUser({ id: userId(5), progress: enforced(20, 'registered', 18) }),
      rosterUser({ id: userId(6), progress: enforced(20, 'unknown') }), // never checked: not stuck
      rosterUser({ id: userId(7), progress: enforced(20, 'notRegistered', 1), present: false }), // gone: not counted
      rosterUser({ id: userId(8), progress: parked(3, 'PHONE_CONFLICT') }),
      rosterUser({ id: userId(9) }),
    ];
    for (const user of users) facts.add(user);
    const result = facts.finish();
    expect(result.registration).toEqual({ registered: 1, notRegistered: 4, unknown: 1 });
    expect(result.enforcedOn).toEqual({ '2026-10-26': 1, '2026-11-05': 3, '2026-11-11': 1, '2026-11-12': 1 });
    expect(result.registeredOn).toEqual({ '2026-11-07': 1 });
    expect(result.stuck.count).toBe(3);
    expect(result.stuck.afterDays).toBe(14);
    expect(result.stuck.users.map((user) => [user.userId, user.days])).toEqual([[userId(2), 30], [userId(1), 20]]); // the two oldest of three
    expect(result.parked.count).toBe(1);
    expect(result.parked.users[0]).toMatchObject({ userId: userId(8), errorCode: 'PHONE_CONFLICT', hint: expect.stringContaining('never overwritten') });
  });

  it('on the phone track the rollout\'s own phone proves nothing: a user counts once a sign-in showed MFA, or a method of their own is seen', () => {
    const facts = collectRosterFacts({ stuckAfterDays: 14, targetMethod: 'phone' }, now);
    const looked = daysFrom(now, -1).toISOString();
    const phoneOnly = { phone: true, passkey: false, authenticator: false, other: false };
    facts.add(rosterUser({ id: userId(1), progress: entered('w', 20, { lastCheckedAt: looked, methods: phoneOnly, mfaSeenAt: daysFrom(now, -18).toISOString() }) }));
    facts.add(rosterUser({ id: userId(2), progress: entered('w', 20, { lastCheckedAt: looked, methods: { ...phoneOnly, authenticator: true } }) }));
    facts.add(rosterUser({ id: userId(3), progress: entered('w', 20, { lastCheckedAt: looked, methods: phoneOnly }) }));
    const result = facts.finish();
    expect(result.registration).toEqual({ registered: 2, notRegistered: 1, unknown: 0 });
    expect(result.stuck.users.map((user) => user.userId)).toEqual([userId(3)]);
  });
});
