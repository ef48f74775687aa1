import { describe, expect, it } from '@jest/globals';
import { createConversionTally, nudgeOf } from '../../../shared/core/deadline/campaignConversion.js';
import { collectStragglers } from '../../../shared/core/deadline/collectStragglers.js';
import type { Journey, RegistrationRecord } from '../../../shared/core/journey/journeyTypes.js';
import type { RosterUser } from '../../../shared/core/rosterUser.js';
import { passkeyTrack, testConfig } from '../configBuilder.js';
import { announced, daysFrom, enforced, now, parked, rosterUser, userId } from '../userBuilder.js';

const config = testConfig({ ...passkeyTrack, MFA_EXCLUDE_UPN_PATTERNS: 'svc-*' });
const smsOnly = { phone: true, passkey: false, authenticator: false, other: false };
const seen = (nudgedDaysAgo: number, afterDays: number, hadBefore = false): RegistrationRecord => ({
  method: 'passkey', seenAt: daysFrom(now, -nudgedDaysAgo + afterDays).toISOString(), registeredAt: null, passkeyType: 'deviceBound', hadBefore,
});
let next = 1;
const user = (progress: RosterUser['progress'], overrides: Parameters<typeof rosterUser>[0] = {}): RosterUser => rosterUser({ id: userId(next++), progress, ...overrides });
const nudged = (waveId: string, daysAgo: number, fields: Partial<Journey> = {}) => enforced(waveId, daysAgo, { lastCheckedAt: now.toISOString(), methods: smsOnly, ...fields });

describe('createConversionTally', () => {
  it('gives each wave the share registered within 7 and 14 days of its nudge, those who had it before apart', () => {
    const tally = createConversionTally(config, now);
    for (const progress of [
      nudged('w-old', 20, { registration: seen(20, 3) }),
      nudged('w-old', 20, { registration: seen(20, 10) }),
      nudged('w-old', 20, { registration: seen(20, 16) }),
      nudged('w-old', 20),
      nudged('w-old', 20, { registration: seen(20, 0, true) }),
      nudged('w-new', 9, { registration: seen(9, 2) }),
      nudged('w-new', 9),
      announced(3),
    ].map((progress) => user(progress))) tally.add(progress.progress);
    const [old, young] = tally.finish();
    expect(old).toMatchObject({ waveId: 'w-old', nudged: 5, hadBefore: 1, registered: 3 });
    expect(old?.windows).toEqual([
      { days: 7, complete: true, registered: 1, share: 0.25 },
      { days: 14, complete: true, registered: 2, share: 0.5 },
    ]);
    expect(young).toMatchObject({ waveId: 'w-new', nudged: 2, hadBefore: 0, registered: 1 });
    expect(young?.windows).toEqual([
      { days: 7, complete: true, registered: 1, share: 0.5 },
      { days: 14, complete: false, registered: 1, share: null },
    ]);
  });

  it('in microsoftManaged mode the nudge is the end of the entry, in waves mode only the campaign step', () => {
    const progress = enforced('w1', 5);
    if (progress.state !== 'active') throw new Error('unreachable');
    const { joinCampaign: _joined, ...steps } = progress.journey.steps;
    const journey = { ...progress.journey, steps };
    expect(nudgeOf(journey, 'waves')).toBeNull();
    expect(nudgeOf(journey, 'microsoftManaged')).toEqual({ waveId: 'w1', at: journey.entryCompleteAt });
    expect(nudgeOf(progress.journey, 'waves')).toEqual({ waveId: 'w1', at: progress.journey.steps.joinCampaign?.at });
  });
});

describe('collectStragglers', () => {
  it('lists stragglers by reason, the longest nudged first, with their date and TAP; the list is bounded, the count is not', () => {
    const collector = collectStragglers(config, now, 2);
    const tap = { issuedAt: daysFrom(now, -1).toISOString(), expiresAt: daysFrom(now, 1).toISOString(), runId: 'run', count: 1 };
    const users = [
      user(nudged('w1', 20)), // SMS only, nudged 20 days ago: past the 14 nudge days
      user(nudged('w2', 15)),
      user(nudged('w3', 16, { methods: { phone: false, passkey: false, authenticator: false, other: false } })), // needs a TAP
      user(nudged('w4', 3)), // too early
      user(nudged('w5', 30, { methods: { phone: false, passkey: false, authenticator: false, other: false } })), // no method, a valid TAP: not needing one, still not registered after the nudge
      user(parked(3)),
      user(announced(2)),
    ];
    users.forEach((each, index) => collector.add(each, index === 4 ? tap : null));
    const list = collector.finish();
    expect(list.count).toBe(4);
    expect(list.byReason).toEqual({ passkeyRemoved: 0, needsTap: 1, smsOnlyNearDeadline: 0, notRegisteredAfterNudge: 3 });
    expect(list.users.map((each) => [each.upn, each.reason, each.daysSinceNudge])).toEqual([
      [users[4]?.directory.userPrincipalName, 'notRegisteredAfterNudge', 30],
      [users[0]?.directory.userPrincipalName, 'notRegisteredAfterNudge', 20],
    ]);
    expect(list.users[0]?.tap).toEqual({ issuedAt: tap.issuedAt, expiresAt: tap.expiresAt, valid: true });
    expect(list.users[1]).toMatchObject({ nudgeWaveId: 'w1', retirementDate: '2027-02-01', daysToDate: 68, tap: null });
  });

  it('near the date an SMS-only user is listed for the date, with the TAP issued to them', () => {
    const late = new Date('2027-01-20T01:00:00.000Z');
    const collector = collectStragglers(config, late);
    const tap = { issuedAt: '2027-01-18T09:00:00.000Z', expiresAt: '2027-01-18T10:00:00.000Z', runId: 'run', count: 1 };
    collector.add(user(nudged('w1', 2)), tap);
    // a user excluded since entering (a service account named later) is not chased
    collector.add(user(nudged('w1', 2), { userPrincipalName: 'svc-backup@contoso.com' }), null);
    const [listed, ...others] = collector.finish().users;
    expect(others).toEqual([]);
    expect(listed).toMatchObject({ reason: 'smsOnlyNearDeadline', daysToDate: 12, tap: { issuedAt: tap.issuedAt, expiresAt: tap.expiresAt, valid: false } });
  });
});
