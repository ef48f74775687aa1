import { createDeadlineCollector } from '../../../shared/core/deadline/deadlineReport.js';
import type { DeadlineReport } from '../../../shared/core/deadline/deadlineReport.js';
import type { TenantPosture } from '../../../shared/core/posture/postureTypes.js';
import { passkeyTrack, testConfig } from '../../core/configBuilder.js';
import { daysFrom, enforced, rosterUser, userId } from '../../core/userBuilder.js';

/**
 * A deadline section as buildReport makes it, from a handful of users 20 days into the campaign: users by posture,
 * one wave's conversion, two stragglers (one with a TAP), and three nights of the SMS-only line.
 */
export function sampleDeadline(now = new Date('2026-11-25T09:00:00.000Z'), posture: TenantPosture | null = null): DeadlineReport {
  const config = testConfig(passkeyTrack);
  const collector = createDeadlineCollector(config, now);
  const smsOnly = { phone: true, passkey: false, authenticator: false, other: false };
  const seen = (daysAgo: number) => ({ method: 'passkey' as const, seenAt: daysFrom(now, -daysAgo).toISOString(), registeredAt: null, passkeyType: 'synced' as const, hadBefore: false });
  const tap = { issuedAt: daysFrom(now, -1).toISOString(), expiresAt: daysFrom(now, 2).toISOString(), runId: 'run-tap', count: 1 };
  const users = [
    rosterUser({ id: userId(1), userPrincipalName: 'ann@contoso.com', progress: enforced('w-1', 20, { methods: smsOnly, lastCheckedAt: now.toISOString() }) }),
    rosterUser({ id: userId(2), userPrincipalName: 'bo@contoso.com', progress: enforced('w-1', 20, { methods: { ...smsOnly, phone: false }, lastCheckedAt: now.toISOString() }) }),
    rosterUser({ id: userId(3), userPrincipalName: 'cy@contoso.com', progress: enforced('w-1', 20, { registration: seen(15), lastCheckedAt: now.toISOString() }) }),
    rosterUser({ id: userId(4), userPrincipalName: 'di@contoso.com', progress: enforced('w-1', 20, { registration: seen(2), lastCheckedAt: now.toISOString() }) }),
    rosterUser({ id: userId(5), userPrincipalName: 'ed@contoso.com' }),
  ];
  users.forEach((user, index) => collector.add(user, index === 0 ? tap : null));
  const counts = (smsVoiceOnly: number, notInJourney: number) => ({
    noMfaMethod: 1, smsVoiceOnly, otherMethod: 0, targetRegistered: 0, phishingResistantEnforced: 0, notInJourney, excluded: 0, parked: 0,
    total: 1 + smsVoiceOnly + notInJourney, notPresent: 0, notInJourneyNoStrongMethod: notInJourney,
  });
  return collector.finish({
    posture,
    nights: [{ date: daysFrom(now, -2).toISOString().slice(0, 10), counts: counts(3, 1) }, { date: daysFrom(now, -1).toISOString().slice(0, 10), counts: counts(2, 1) }],
    rampNightsLeft: 3,
  });
}
