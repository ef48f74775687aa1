import { describe, expect, it } from '@jest/globals';
import { dueMode, methodPosture, stragglerReason, verificationDue, type StragglerSettings } from '../../../shared/core/journey/journeyStanding.js';
import { nextJourneyCommand } from '../../../shared/core/journey/nextJourneyCommand.js';
import { methodAllows, methodAvailability, type MethodsPolicyTargets, type MethodTargets } from '../../../shared/core/journey/methodAvailability.js';
import { readmit, rollBackSteps, stepsWrittenBy } from '../../../shared/core/journey/journeyTransitions.js';
import type { Journey, JourneyProgress } from '../../../shared/core/journey/journeyTypes.js';
import { everythingAllowed, journeySettings } from './journeyDriver.js';

const now = new Date('2026-12-10T01:00:00.000Z');
const step = (waveId: string, wrote = true) => ({ waveId, at: '2026-12-01T01:00:00.000Z', wrote });
const base: Journey = {
  enteredWaveId: 'w1', enteredAt: '2026-12-01T01:00:00.000Z', announcedAt: null, enforceFrom: null, entryCompleteAt: '2026-12-01T01:00:00.000Z', phoneConflict: false,
  steps: { phoneMethod: { ...step('w1'), action: 'create' }, enforceMfa: { ...step('w1'), via: 'perUserMfa', previousMfaState: 'disabled' }, joinCampaign: { ...step('w1'), groupId: 'campaign' } },
  registration: null, lastCheckedAt: null, methods: { phone: true, passkey: false, authenticator: false, other: false }, mfaSeenAt: null, attempts: 0,
};
const active = (journey: Partial<Journey> = {}): JourneyProgress => ({ state: 'active', journey: { ...base, ...journey } });
const registered = { method: 'passkey' as const, seenAt: '2026-12-05T01:00:00Z', registeredAt: null, passkeyType: 'synced' as const, hadBefore: false };
const settings = journeySettings();
const stragglers: StragglerSettings = { ...settings, passkeyNudgeDays: 14, deadlineWarningDays: 30 };

const targets = (overrides: Partial<MethodTargets> = {}): MethodTargets => ({ state: 'enabled', includesAllUsers: true, includeGroupIds: [], excludeGroupIds: [], ...overrides });
const policy = (overrides: Partial<MethodsPolicyTargets> = {}): MethodsPolicyTargets => ({ sms: targets(), voice: targets(), fido2: targets(), microsoftAuthenticator: targets(), ...overrides });

describe('methodAvailability', () => {
  it('an excluded group wins over all users and over an included group', () => {
    expect(methodAllows(targets({ excludeGroupIds: ['G1'] }), new Set(['g1']))).toBe(false);
    expect(methodAllows(targets({ includesAllUsers: false, includeGroupIds: ['g2'], excludeGroupIds: ['g1'] }), new Set(['g1', 'g2']))).toBe(false);
    expect(methodAllows(targets({ includesAllUsers: false, includeGroupIds: ['G2'] }), new Set(['g2']))).toBe(true);
    expect(methodAllows(targets({ includesAllUsers: false, includeGroupIds: ['g2'] }), new Set())).toBe(false);
    expect(methodAllows(targets({ state: 'disabled' }), new Set())).toBe(false);
  });

  it('the phone works when SMS or voice allows the user, and until the retirement date with Microsoft\'s delivery', () => {
    const input = { memberships: new Set<string>(), isGlobalAdmin: false, settings };
    expect(methodAvailability({ ...input, policy: policy({ sms: targets({ state: 'disabled' }) }), now })).toMatchObject({ phone: true, phoneBlockedBy: null });
    expect(methodAvailability({ ...input, policy: policy({ sms: targets({ state: 'disabled' }), voice: targets({ state: 'disabled' }) }), now })).toMatchObject({ phone: false, phoneBlockedBy: 'policy' });
    expect(methodAvailability({ ...input, policy: policy(), now: new Date('2027-01-31T23:59:59.999Z') }).phone).toBe(true);
    expect(methodAvailability({ ...input, policy: policy(), now: new Date('2027-02-01T00:00:00.000Z') })).toMatchObject({ phone: false, phoneBlockedBy: 'retired' });
  });

  it('a customer-managed provider keeps the phone after the date; Global Administrators follow their own date', () => {
    const after = new Date('2027-03-01T01:00:00Z');
    expect(methodAvailability({ policy: policy(), memberships: new Set(), isGlobalAdmin: false, settings: { ...settings, smsDelivery: 'customerManaged' }, now: after }).phone).toBe(true);
    const adminSettings = { ...settings, smsRetirementDateAdmins: '2027-07-01' };
    expect(methodAvailability({ policy: policy(), memberships: new Set(), isGlobalAdmin: true, settings: adminSettings, now: after }).phone).toBe(true);
    expect(methodAvailability({ policy: policy(), memberships: new Set(), isGlobalAdmin: false, settings: adminSettings, now: after }).phone).toBe(false);
  });
});

describe('dueMode', () => {
  it.each([
    ['not in the journey', { state: 'announced', waveId: 'w', announcedAt: '2026-12-01T01:00:00Z', enforceFrom: undefined } as JourneyProgress, null],
    ['entry not over (a failed entry step)', { state: 'failed', journey: { ...base, entryCompleteAt: null }, failure: { step: 'enforceMfa', waveId: 'w1', at: '', errorCode: 'GRAPH_UNAVAILABLE', requestId: null } } as JourneyProgress, 'enter'],
    ['registered, steps left', active({ registration: registered }), 'advance'],
    ['registered, every step done', active({ registration: registered, steps: { ...base.steps, joinPhishingResistant: { ...step('w2'), groupId: 'pr' }, joinPhoneRetired: { ...step('w2'), groupId: 'r' } } }), 'check'],
    ['nudged, already looked at tonight', active({ lastCheckedAt: '2026-12-10T00:40:00Z' }), null],
    ['nudged, looked at last night', active({ lastCheckedAt: '2026-12-09T01:10:00Z' }), 'check'],
    ['nudged, last looked at two nights ago', active({ lastCheckedAt: '2026-12-08T01:10:00Z' }), 'check'],
    ['parked', { state: 'parked', journey: base, failure: { step: 'read', waveId: 'w', at: '', errorCode: 'X', requestId: null } } as JourneyProgress, null],
    ['in flight in an entry step', { state: 'inFlight', journey: { ...base, entryCompleteAt: null }, pending: { step: 'joinCampaign', waveId: 'w', since: '', write: { kind: 'addGroupMember', groupId: 'c' }, previousMfaState: null } } as JourneyProgress, 'enter'],
  ])('%s', (_name, progress, expected) => {
    expect(dueMode(progress, settings, now)).toBe(expected);
  });

  it('phone track: checked until a sign-in shows MFA, then nothing', () => {
    const phone = journeySettings({ targetMethod: 'phone' });
    expect(dueMode(active(), phone, now)).toBe('check');
    expect(dueMode(active({ mfaSeenAt: '2026-12-03T08:00:00Z' }), phone, now)).toBeNull();
  });

  describe('MFA_VERIFY_AFTER_DAYS: the sign-in log is looked at once the days have passed since MFA was required', () => {
    // enforced at 01:20 on the night of the 8th; the entry looked at the methods two minutes later
    const enforcedAt = '2026-12-08T01:20:00.000Z';
    const enforcedJourney = (lastCheckedAt: string | null = '2026-12-08T01:22:00.000Z'): Journey =>
      ({ ...base, steps: { ...base.steps, enforceMfa: { waveId: 'w8', at: enforcedAt, wrote: true, via: 'perUserMfa', previousMfaState: 'disabled' } }, lastCheckedAt });
    const enforced = (lastCheckedAt?: string | null) => active(enforcedJourney(lastCheckedAt));
    const phone = (verifyAfterDays: number) => journeySettings({ targetMethod: 'phone', verifyAfterDays });
    const night = (day: number) => new Date(`2026-12-${String(day).padStart(2, '0')}T01:00:00.000Z`);

    it('with 2: not the night after (enforced yesterday), but two nights after; then once a week', () => {
      expect(dueMode(enforced(), phone(2), night(9))).toBeNull();
      expect(dueMode(enforced(), phone(2), night(10))).toBe('check');
      expect(verificationDue(enforcedJourney(), phone(2), night(9))).toBe(false);
      expect(verificationDue(enforcedJourney(), phone(2), night(10))).toBe(true);
      const checked = enforced('2026-12-10T01:04:00.000Z');
      expect(dueMode(checked, phone(2), night(11))).toBeNull();
      expect(dueMode(checked, phone(2), night(17))).toBe('check');
    });

    it('with 0: the same night, the entry\'s own look does not count', () => {
      const sameNight = new Date('2026-12-08T01:50:00.000Z');
      expect(dueMode(enforced(), phone(0), sameNight)).toBe('check');
      expect(dueMode(enforced(), phone(2), sameNight)).toBeNull();
      expect(dueMode(enforced('2026-12-09T01:03:00.000Z'), phone(0), night(10))).toBeNull(); // looked at since, the week has not passed
    });

    it('gates the sign-in log read of a nightly look on the passkey track too', () => {
      const checkMode = (verifyAfterDays: number, at: Date) =>
        nextJourneyCommand(enforced(), { availability: everythingAllowed, memberships: new Set() }, { mode: 'check', waveId: 'w', now: at, settings: journeySettings({ verifyAfterDays }) });
      expect(checkMode(2, night(9))).toEqual({ kind: 'read', needs: ['methods'] });
      expect(checkMode(2, night(10))).toEqual({ kind: 'read', needs: ['methods', 'mfaSignIn'] });
      expect(checkMode(0, night(9))).toEqual({ kind: 'read', needs: ['methods', 'mfaSignIn'] });
    });
  });
});

describe('stragglerReason', () => {
  it('no method at all and no pass issued: needs a Temporary Access Pass; with one issued, no longer listed for that', () => {
    const none = { phone: false, passkey: false, authenticator: false, other: false };
    expect(stragglerReason({ ...base, methods: none }, stragglers, false, now)).toBe('needsTap');
    const pass = { issuedAt: '2026-12-09T10:00:00Z', expiresAt: '2026-12-10T18:00:00Z', runId: 'r', count: 1 };
    expect(stragglerReason({ ...base, methods: none }, stragglers, false, now, pass)).toBeNull();
    // expired unused: back on the helpdesk's list
    expect(stragglerReason({ ...base, methods: none }, stragglers, false, new Date('2026-12-11T01:00:00Z'), pass)).toBe('needsTap');
  });

  it('SMS-only within MFA_DEADLINE_WARNING_DAYS of the retirement date', () => {
    expect(stragglerReason(base, stragglers, false, new Date('2027-01-01T23:59:00Z'))).toBe('notRegisteredAfterNudge');
    expect(stragglerReason(base, stragglers, false, new Date('2027-01-02T01:00:00Z'))).toBe('smsOnlyNearDeadline');
    expect(stragglerReason(base, { ...stragglers, smsDelivery: 'customerManaged' }, false, new Date('2027-01-02T01:00:00Z'))).toBe('notRegisteredAfterNudge');
  });

  it('nudged MFA_PASSKEY_NUDGE_DAYS ago and not registered; registered users never', () => {
    expect(stragglerReason(base, stragglers, false, new Date('2026-12-14T01:00:00Z'))).toBeNull();
    expect(stragglerReason(base, stragglers, false, new Date('2026-12-15T01:00:00Z'))).toBe('notRegisteredAfterNudge');
    expect(stragglerReason({ ...base, registration: registered }, stragglers, false, new Date('2027-01-20T01:00:00Z'))).toBeNull();
  });
});

describe('methodPosture', () => {
  it.each([
    [{ state: 'new' } as JourneyProgress, 'notInJourney'],
    [active(), 'smsVoiceOnly'],
    [active({ methods: { phone: false, passkey: false, authenticator: false, other: false } }), 'noMfaMethod'],
    [active({ methods: { phone: true, passkey: false, authenticator: true, other: false } }), 'otherMethod'],
    [active({ registration: registered }), 'targetRegistered'],
    [active({ registration: registered, steps: { ...base.steps, joinPhishingResistant: { ...step('w2'), groupId: 'pr' } } }), 'phishingResistantEnforced'],
  ])('%#', (progress, posture) => {
    expect(methodPosture(progress)).toBe(posture);
  });
});

describe('rollback of a wave', () => {
  it('undoes only the steps that wave wrote, holds the user, and a readmitted user goes on from what remains', () => {
    const journey: Journey = { ...base, registration: registered, steps: { ...base.steps, enforceMfa: { ...step('w1', false), via: 'perUserMfa', previousMfaState: 'enforced' }, joinPhishingResistant: { ...step('w2'), groupId: 'pr' } } };
    expect(stepsWrittenBy(journey, 'w1').sort()).toEqual(['joinCampaign', 'phoneMethod']);
    expect(stepsWrittenBy(journey, 'w2')).toEqual(['joinPhishingResistant']);
    const rolledBack = rollBackSteps({ state: 'active', journey }, ['joinPhishingResistant'], { rollbackWaveId: 'rb', targetWaveId: 'w2', at: now });
    expect(rolledBack).toMatchObject({ state: 'rolledBack', rollback: { rollbackWaveId: 'rb', targetWaveId: 'w2' }, journey: { entryCompleteAt: base.entryCompleteAt } });
    expect(rolledBack.journey.steps.joinPhishingResistant).toBeUndefined();
    expect(dueMode(rolledBack, settings, now)).toBeNull();
    expect(dueMode(readmit(rolledBack), settings, now)).toBe('advance');
  });

  it('undoing an entry step sends a readmitted user back to new: announced again, with a new date, before anything is written', () => {
    const rolledBack = rollBackSteps({ state: 'active', journey: base }, ['joinCampaign', 'phoneMethod'], { rollbackWaveId: 'rb', targetWaveId: 'w1', at: now });
    expect(readmit(rolledBack)).toEqual({ state: 'new' });
  });
});
