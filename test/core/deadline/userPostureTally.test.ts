import { describe, expect, it } from '@jest/globals';
import { deadlineVerdict } from '../../../shared/core/deadline/deadlineVerdict.js';
import { projectSmsOnly } from '../../../shared/core/deadline/projectSmsOnly.js';
import { createUserPostureTally, userPostureBuckets, usersAtRisk } from '../../../shared/core/deadline/userPostureTally.js';
import type { Journey, RegistrationRecord } from '../../../shared/core/journey/journeyTypes.js';
import { looksSensitive } from '../../../shared/log/redact.js';
import { smsCalendar } from '../../../shared/core/posture/smsCalendar.js';
import type { RosterUser } from '../../../shared/core/rosterUser.js';
import { exclusionGroupId, passkeyTrack, testConfig } from '../configBuilder.js';
import { announced, daysFrom, enforced, enteredSteps, now, parked, rosterUser, userId } from '../userBuilder.js';

const config = testConfig({ ...passkeyTrack, MFA_EXCLUSION_GROUP_ID: exclusionGroupId });
const smsOnly = { phone: true, passkey: false, authenticator: false, other: false };
const registration = (daysAgo: number, hadBefore = false): RegistrationRecord => ({ method: 'passkey', seenAt: daysFrom(now, -daysAgo).toISOString(), registeredAt: null, passkeyType: 'synced', hadBefore });
let next = 1;
const user = (progress: RosterUser['progress'], overrides: Parameters<typeof rosterUser>[0] = {}): RosterUser => rosterUser({ id: userId(next++), progress, ...overrides });
const inJourney = (fields: Partial<Journey>, daysAgo = 10) => enforced('w1', daysAgo, { lastCheckedAt: now.toISOString(), ...fields });

function tally(users: readonly RosterUser[]) {
  const counter = createUserPostureTally(config);
  for (const each of users) counter.add(each);
  return counter.finish();
}

const calendar = (at: Date) => smsCalendar(config, at);

describe('createUserPostureTally', () => {
  it('puts every present user in exactly one bucket, and the buckets add up to the roster', () => {
    const users = [
      user({ state: 'new' }),
      user(announced(2), { methods: 'registered' }),
      user({ state: 'new' }, { groupIds: [exclusionGroupId] }),
      user(parked(3)),
      user(inJourney({ methods: { phone: false, passkey: false, authenticator: false, other: false } })),
      user(inJourney({ methods: smsOnly })),
      user(inJourney({ methods: { ...smsOnly, authenticator: true } })),
      user(inJourney({ methods: { ...smsOnly, passkey: true }, registration: registration(3) })),
      user(inJourney({ registration: registration(3), steps: { ...enteredSteps('w1', 10), joinPhishingResistant: { waveId: 'w2', at: now.toISOString(), wrote: true, groupId: 'pr' } } })),
      user({ state: 'new' }, { present: false }),
    ];
    const { counts } = tally(users);
    expect(counts).toMatchObject({
      notInJourney: 2, excluded: 1, parked: 1, noMfaMethod: 1, smsVoiceOnly: 1, otherMethod: 1, targetRegistered: 1, phishingResistantEnforced: 1,
      total: 9, notPresent: 1, notInJourneyNoStrongMethod: 1,
    });
    expect(userPostureBuckets.reduce((sum, bucket) => sum + counts[bucket], 0)).toBe(counts.total);
    expect(usersAtRisk(counts)).toBe(3);
  });

  it('a disabled account not in the journey is counted in its bucket but not at risk: it cannot sign in to meet a prompt', () => {
    const { counts } = tally([user({ state: 'new' }, { accountEnabled: false }), user({ state: 'new' })]);
    expect(counts).toMatchObject({ notInJourney: 2, total: 2, notInJourneyNoStrongMethod: 1 });
    expect(usersAtRisk(counts)).toBe(1);
  });

  it('a user excluded after entering stays where the journey puts them', () => {
    const { counts } = tally([user(inJourney({ methods: smsOnly }), { groupIds: [exclusionGroupId] })]);
    expect(counts.smsVoiceOnly).toBe(1);
    expect(counts.excluded).toBe(0);
  });

  it('counts registrations the rollout saw by day, not those the users had before, and the first nudge', () => {
    const result = tally([
      user(inJourney({ registration: registration(1) }, 20)),
      user(inJourney({ registration: registration(1) }, 5)),
      user(inJourney({ registration: registration(4, true) }, 5)),
    ]);
    expect(result.registeredOn).toEqual({ [daysFrom(now, -1).toISOString().slice(0, 10)]: 2 });
    expect(result.firstNudgeAt).toBe(daysFrom(now, -20).toISOString());
  });
});

describe('projectSmsOnly and deadlineVerdict', () => {
  // 10 users at risk; 7 registrations over the last 7 nights: a pace of 1 a night
  const atRisk = Array.from({ length: 10 }, () => user(inJourney({ methods: smsOnly }, 30)));
  const registered = Array.from({ length: 7 }, (_, index) => user(inJourney({ registration: registration(index) }, 30)));
  const older = user(inJourney({ registration: registration(9) }, 30));
  const result = tally([...atRisk, ...registered, older]);

  it('takes the pace over the last 7 nights off the users at risk for each night left', () => {
    const projection = projectSmsOnly({ tally: result, calendar: calendar(now), now });
    expect(projection).toMatchObject({ atRiskNow: 10, smsVoiceOnly: 10, daysLeft: 68, nightsLeft: 68, pace: { nights: 7, registrations: 7, perNight: 1 }, projectedOnDate: 0, nightsToClear: 10 });
    expect(projection.method).toContain('last 7 nights');
    expect(deadlineVerdict(projection, 'microsoft').status).toBe('onTrack');
  });

  it('is at risk when the nights left at that pace do not reach everyone', () => {
    const late = new Date('2027-01-27T01:00:00.000Z'); // 5 days left; no registration in the last 7 nights
    const projection = projectSmsOnly({ tally: result, calendar: calendar(late), now: late });
    expect(projection).toMatchObject({ daysLeft: 5, pace: { registrations: 0, perNight: 0 }, projectedOnDate: 10, nightsToClear: null });
    const verdict = deadlineVerdict(projection, 'microsoft');
    expect(verdict.status).toBe('atRisk');
    expect(verdict.message).toContain('10 of 10');
    const slower = projectSmsOnly({ tally: result, calendar: { retirementDate: '2026-11-29', daysLeft: 4 }, now });
    expect(slower.projectedOnDate).toBe(6);
    expect(deadlineVerdict(slower, 'microsoft').status).toBe('atRisk');
  });

  it('after the date anyone at risk is at risk now; with a customer-managed provider the date does not apply', () => {
    const after = new Date('2027-02-03T01:00:00.000Z');
    const projection = projectSmsOnly({ tally: result, calendar: calendar(after), now: after });
    expect(projection).toMatchObject({ daysLeft: -2, nightsLeft: 0, projectedOnDate: 10 });
    expect(deadlineVerdict(projection, 'microsoft')).toMatchObject({ status: 'atRisk' });
    expect(deadlineVerdict(projection, 'customerManaged').status).toBe('notApplicable');
    // the verdict is logged as the alert's reason: nothing in it may read like a number, token or pass to the redactor
    for (const verdict of [deadlineVerdict(projection, 'microsoft'), deadlineVerdict(projection, 'customerManaged'), deadlineVerdict({ ...projection, daysLeft: 3, nightsLeft: 3 }, 'microsoft')]) expect(looksSensitive(verdict.message)).toBe(false);
    const nobody = projectSmsOnly({ tally: tally(registered), calendar: calendar(after), now: after });
    expect(deadlineVerdict(nobody, 'microsoft').status).toBe('onTrack');
  });

  it('a campaign younger than the window measures the pace over its own nights', () => {
    const young = tally([user(inJourney({ methods: smsOnly }, 1)), user(inJourney({ registration: registration(0) }, 1)), user(inJourney({ registration: registration(1) }, 1))]);
    const projection = projectSmsOnly({ tally: young, calendar: calendar(now), now });
    expect(projection.pace).toEqual({ nights: 2, registrations: 2, perNight: 1 });
  });
});
