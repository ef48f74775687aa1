import { describe, expect, it } from '@jest/globals';
import { methodAvailability } from '../../../shared/core/journey/methodAvailability.js';
import { decideTenantPosture } from '../../../shared/core/posture/decideTenantPosture.js';
import type { PostureInput, PostureProblem, PostureSettings } from '../../../shared/core/posture/postureTypes.js';
import { smsCalendar } from '../../../shared/core/posture/smsCalendar.js';
import { campaignGroup, everyone, group, otherGroup, phoneRetiredGroup, postureInput, postureSettings, rolloutMembership, setUpPolicy, staffGroup } from './postureBuilder.js';

const before = new Date('2026-12-15T01:00:00Z');
const onTheDay = new Date('2027-02-01T01:00:00Z');
const after = new Date('2027-03-01T01:00:00Z');

const decide = (input: PostureInput = postureInput(), settings: PostureSettings = postureSettings(), now = before) => decideTenantPosture(input, settings, now);
const codes = (problems: readonly PostureProblem[]) => problems.map((problem) => `${problem.severity}:${problem.code}`);
const policyWith = setUpPolicy;
const base = setUpPolicy();

describe('decideTenantPosture', () => {
  it('finds nothing wrong with the tenant setup-passkeys leaves for the default settings', () => {
    const posture = decide();
    expect(posture.problems).toEqual([]);
    expect(posture.blocked).toBe(false);
    expect(posture.campaign).toMatchObject({ state: 'enabled', nudges: 'passkey', rolloutUsersIncluded: 0 });
    expect(posture.methods.sms).toEqual({ enabled: true, present: true, includesAllUsers: true, includeGroupIds: [], excludeGroupIds: [phoneRetiredGroup], rolloutUsersAllowed: 10 });
    expect(posture.temporaryAccessPass).toMatchObject({ enabled: true, includesAllUsers: true, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480 });
    expect(posture.sms).toMatchObject({ delivery: 'microsoft', daysLeft: 48, bridgeOpen: true });
    expect(posture.rolloutUsers).toBe(10);
  });

  it('gives the journey targets it decides availability with: the phone-retired group loses SMS, keeps passkeys', () => {
    const posture = decide();
    const availability = (groups: string[]) =>
      methodAvailability({ policy: posture.targets, memberships: new Set(groups), isGlobalAdmin: false, settings: postureSettings(), now: before });
    expect(availability([])).toEqual({ phone: true, phoneBlockedBy: null, fido2: true, authenticator: true });
    expect(availability([phoneRetiredGroup])).toEqual({ phone: false, phoneBlockedBy: 'policy', fido2: true, authenticator: true });
  });

  it('names the groups the roster refresh must read: every group the policy targets and the journey groups', () => {
    const input = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, voice: { enabled: true, includeTargets: [group(staffGroup.toUpperCase())], excludeTargets: [] } } }) });
    expect(decide(input, postureSettings({ MFA_PHISHING_RESISTANT_GROUP_ID: otherGroup })).membershipGroupIds).toEqual([phoneRetiredGroup, campaignGroup, otherGroup, staffGroup].sort());
  });

  describe('security defaults', () => {
    const on = postureInput({ securityDefaults: { isEnabled: true } });
    it('make the Conditional Access strategy and the phishing-resistant step impossible', () => {
      expect(codes(decide(on, postureSettings({ MFA_STRATEGY: 'conditionalAccessGroup', MFA_CA_GROUP_ID: otherGroup })).problems)).toEqual(['blocking:securityDefaultsOn']);
      const phishing = decide(on, postureSettings({ MFA_PHISHING_RESISTANT_GROUP_ID: otherGroup }));
      expect(phishing.problems[0]).toMatchObject({ code: 'securityDefaultsOn', severity: 'blocking', message: expect.stringContaining('the phishing-resistant step (MFA_PHISHING_RESISTANT_GROUP_ID) is impossible') });
      expect(phishing.problems[0]?.fix).toMatch(/^Entra admin center > Identity > Overview > Properties > Manage security defaults/);
    });
    it('are a warning for per-user MFA without the phishing-resistant step', () => {
      expect(codes(decide(on).problems)).toEqual(['warning:securityDefaultsOn']);
    });
  });

  describe('the phone bridge and the calendar (MFA_SMS_DELIVERY either side of the date)', () => {
    it.each([
      ['microsoft', before, 48, true],
      ['microsoft', onTheDay, 0, false],
      ['microsoft', after, -28, false],
      ['customerManaged', before, 48, true],
      ['customerManaged', after, -28, true],
    ] as const)('%s delivery on %s: %s day(s) left, bridge open %s', (delivery, now, daysLeft, bridgeOpen) => {
      const calendar = smsCalendar(postureSettings({ MFA_SMS_DELIVERY: delivery }), now);
      expect(calendar).toMatchObject({ delivery, daysLeft, bridgeOpen, bridgeOpenAdmins: bridgeOpen });
      expect(calendar.summary).toContain(delivery === 'customerManaged' ? 'customer-managed provider' : 'by Microsoft');
    });

    it('keeps the bridge open for Global Administrators until their own date', () => {
      const calendar = smsCalendar(postureSettings({ MFA_SMS_RETIREMENT_DATE_ADMINS: '2027-07-01' }), after);
      expect(calendar).toMatchObject({ bridgeOpen: false, bridgeOpenAdmins: true, daysLeftAdmins: 122 });
      expect(calendar.summary).toBe('SMS and voice by Microsoft, retired since 2027-02-01: no phone is pre-registered; Global Administrators and external users: 122 day(s) left to 2027-07-01');
    });

    it('SMS and voice off for the rollout: blocking on the phone track, a warning on the passkey track, nothing once the bridge is closed', () => {
      const off = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, sms: { ...base.methods.sms!, enabled: false } } }) });
      expect(codes(decide(off).problems)).toEqual(['warning:smsVoiceOff']);
      expect(decide(off).problems[0]?.message).toContain('users without the target method go the Temporary Access Pass path');
      expect(codes(decide(off, postureSettings({ MFA_TARGET_METHOD: 'phone' })).problems)).toEqual(['blocking:smsVoiceOff']);
      expect(codes(decide(off, postureSettings({ MFA_TARGET_METHOD: 'phone', MFA_SMS_DELIVERY: 'customerManaged' }), after).problems)).toEqual(['blocking:smsVoiceOff']);
      expect(codes(decide(off, postureSettings(), after).problems)).toEqual([]);
    });

    it('SMS for a group that leaves the rollout out counts as off; one that leaves some out is a warning with the count', () => {
      const forOthers = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, sms: { enabled: true, includeTargets: [group('e0000000-0000-4000-8000-000000000000')], excludeTargets: [] } } }) });
      expect(codes(decide(forOthers, postureSettings({ MFA_TARGET_METHOD: 'phone' })).problems)).toEqual(['blocking:smsVoiceOff']);
      const forStaff = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, sms: { enabled: true, includeTargets: [group(staffGroup)], excludeTargets: [group(phoneRetiredGroup)] } } }) });
      const posture = decide(forStaff);
      expect(codes(posture.problems)).toEqual(['warning:smsVoicePartial']);
      expect(posture.problems[0]?.message).toBe('5 of 10 rollout users are not allowed SMS or voice by the methods policy: they get no phone bridge');
    });

    it('without the roster, only what the policy says on its own is checked', () => {
      const unknown = postureInput({ rollout: null, methodsPolicy: policyWith({ methods: { ...base.methods, sms: { enabled: true, includeTargets: [group(staffGroup)], excludeTargets: [group(phoneRetiredGroup)] } } }) });
      const posture = decide(unknown);
      expect(posture.problems).toEqual([]);
      expect(posture.rolloutUsers).toBeNull();
      expect(posture.methods.sms.rolloutUsersAllowed).toBeNull();
    });

    it('the phone track on and after the retirement date, with Microsoft delivery: blocking', () => {
      const phone = postureSettings({ MFA_TARGET_METHOD: 'phone' });
      expect(codes(decide(postureInput(), phone, before).problems)).toEqual([]);
      expect(codes(decide(postureInput(), phone, onTheDay).problems)).toEqual(['blocking:phoneTrackRetired']);
      expect(codes(decide(postureInput(), postureSettings({ MFA_TARGET_METHOD: 'phone', MFA_SMS_DELIVERY: 'customerManaged' }), after).problems)).toEqual([]);
    });
  });

  describe('SMS sign-in (a pre-registered mobile would become a sign-in credential)', () => {
    const signIn = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, sms: { ...base.methods.sms!, includeTargets: [{ ...everyone, isUsableForSignIn: true }] } } }) });
    it('is blocking for targets that reach the rollout, unless acknowledged', () => {
      const posture = decide(signIn);
      expect(codes(posture.problems)).toEqual(['blocking:smsSignInOn']);
      expect(posture.problems[0]?.message).toBe('SMS is usable for sign-in for 10 rollout user(s): pre-registering their mobile would also let them sign in with phone number and code alone');
      expect(posture.smsSignInTargetIds).toEqual(['all_users']);
      expect(codes(decide(signIn, postureSettings({ MFA_ACK_SMS_SIGN_IN: 'true' })).problems)).toEqual(['warning:smsSignInOn']);
    });
    it('is nothing for a target that holds none of the rollout, or once no phone is pre-registered', () => {
      const elsewhere = postureInput({
        methodsPolicy: policyWith({ methods: { ...base.methods, sms: { ...base.methods.sms!, includeTargets: [{ ...everyone, isUsableForSignIn: false }, group(otherGroup.replace('07e4', '0000'), { isUsableForSignIn: true })] } } }),
      });
      expect(codes(decide(elsewhere).problems)).toEqual([]);
      expect(codes(decide(signIn, postureSettings(), after).problems)).toEqual([]);
    });
  });

  it('the Sms and Voice configurations must exclude the phone-retired group while phones are retired', () => {
    const noExclusion = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, sms: { ...base.methods.sms!, excludeTargets: [] }, voice: { enabled: true, includeTargets: [everyone], excludeTargets: [] } } }) });
    const posture = decide(noExclusion);
    expect(codes(posture.problems)).toEqual(['blocking:phoneRetiredNotExcluded']);
    expect(posture.problems[0]?.message).toBe(`Sms and Voice do not exclude MFA_PHONE_RETIRED_GROUP_ID (${phoneRetiredGroup}): users put there would keep SMS and voice`);
    expect(codes(decide(noExclusion, postureSettings({ MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' })).problems)).toEqual([]);
  });

  describe('passkeys (Fido2) on the passkey track', () => {
    it.each([
      ['off', { ...base.methods.fido2!, enabled: false }, ['blocking:fido2Off']],
      ['without self-service set-up', { ...base.methods.fido2!, selfServiceRegistration: false }, ['blocking:fido2NoSelfService']],
      ['for another group only', { ...base.methods.fido2!, includeTargets: [group(staffGroup)] }, ['blocking:fido2MissesCampaignGroup', 'warning:fido2MissesUsers']],
      ['excluding the campaign group', { ...base.methods.fido2!, excludeTargets: [group(campaignGroup)] }, ['blocking:fido2MissesCampaignGroup']],
      ['missing from the list', null, ['blocking:fido2Off', 'warning:methodConfigurationMissing']],
    ])('%s', (_name, fido2, expected) => {
      const input = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, fido2 } }) });
      expect(codes(decide(input).problems)).toEqual(expected);
      expect(codes(decide(input, postureSettings({ MFA_TARGET_METHOD: 'phone' })).problems).filter((code) => code.includes('fido2'))).toEqual([]);
    });

    it('names the admin-center setting for each', () => {
      const input = postureInput({ methodsPolicy: policyWith({ methods: { ...base.methods, fido2: { ...base.methods.fido2!, selfServiceRegistration: false } } }) });
      expect(decide(input).problems[0]?.fix).toBe('Entra admin center > Protection > Authentication methods > Policies > Passkey (FIDO2) > Configure > Allow self-service set up: Yes, or run `mfa-rollout setup-passkeys --apply`');
    });
  });

  describe('Microsoft Authenticator on the authenticator track', () => {
    const authenticatorCampaign = { ...base.campaign, includeTargets: [group(campaignGroup, { targetedAuthenticationMethod: 'microsoftAuthenticator' })] };
    const authenticator = postureSettings({ MFA_TARGET_METHOD: 'authenticator' });
    it('needs it enabled for the campaign group, and warns about passwordless-only targets', () => {
      expect(codes(decide(postureInput({ methodsPolicy: policyWith({ campaign: authenticatorCampaign }) }), authenticator).problems)).toEqual([]);
      const off = policyWith({ campaign: authenticatorCampaign, methods: { ...base.methods, microsoftAuthenticator: { ...base.methods.microsoftAuthenticator!, enabled: false } } });
      expect(codes(decide(postureInput({ methodsPolicy: off }), authenticator).problems)).toEqual(['blocking:authenticatorOff']);
      const passwordless = policyWith({ campaign: authenticatorCampaign, methods: { ...base.methods, microsoftAuthenticator: { enabled: true, includeTargets: [group(staffGroup, { authenticationMode: 'deviceBasedPush' })], excludeTargets: [] } } });
      expect(codes(decide(postureInput({ methodsPolicy: passwordless }), authenticator).problems)).toEqual(['blocking:authenticatorMissesCampaignGroup', 'warning:authenticatorPasswordlessOnly']);
    });
  });

  describe('the registration campaign, waves mode', () => {
    const withCampaign = (campaign: Partial<typeof base.campaign>) => postureInput({ methodsPolicy: policyWith({ campaign: { ...base.campaign, ...campaign } }) });
    it.each([
      ['disabled', { state: 'disabled' as const }, ['blocking:campaignOff']],
      ['Microsoft managed (as Microsoft left it)', { state: 'default' as const, includeTargets: [{ ...everyone, targetedAuthenticationMethod: 'fido2' }] }, ['blocking:campaignOff', 'blocking:campaignMissesGroup', 'warning:campaignIncludesEveryone']],
      ['targeting another group', { includeTargets: [group(otherGroup, { targetedAuthenticationMethod: 'fido2' })] }, ['blocking:campaignMissesGroup']],
      ['targeting Authenticator', { includeTargets: [group(campaignGroup, { targetedAuthenticationMethod: 'microsoftAuthenticator' })] }, ['blocking:campaignWrongMethod']],
      ['excluding the campaign group', { excludeTargets: [group(campaignGroup)] }, ['blocking:campaignExcludesRollout']],
      ['excluding a group of rollout users', { excludeTargets: [group(staffGroup)] }, ['blocking:campaignExcludesRollout']],
      ['excluding a group of nobody in the rollout', { excludeTargets: [group('0ff00000-0000-4000-8000-000000000000')] }, []],
      ['targeting Fido2 in capitals', { includeTargets: [group(campaignGroup.toUpperCase(), { targetedAuthenticationMethod: 'Fido2' })] }, []],
    ])('%s', (_name, campaign, expected) => {
      expect(codes(decide(withCampaign(campaign)).problems)).toEqual(expected);
    });

    it('says what the campaign targets', () => {
      const [problem] = decide(withCampaign({ state: 'default', includeTargets: [{ ...everyone, targetedAuthenticationMethod: 'fido2' }] })).problems;
      expect(problem?.message).toBe('the registration campaign is Microsoft managed for all_users with fido2; MFA_CAMPAIGN_MODE=waves needs it enabled for MFA_CAMPAIGN_GROUP_ID');
    });

    it('does not look at the campaign on the phone track', () => {
      expect(codes(decide(withCampaign({ state: 'disabled' }), postureSettings({ MFA_TARGET_METHOD: 'phone' })).problems)).toEqual([]);
    });
  });

  describe('the registration campaign, Microsoft managed mode', () => {
    const managed = postureSettings({ MFA_CAMPAIGN_MODE: 'microsoftManaged' });
    const asMicrosoftLeftIt = { ...base.campaign, state: 'default' as const, includeTargets: [{ ...everyone, targetedAuthenticationMethod: 'fido2' }] };
    const withCampaign = (campaign: Partial<typeof base.campaign>, methods = base.methods) => postureInput({ methodsPolicy: policyWith({ campaign: { ...asMicrosoftLeftIt, ...campaign }, methods }) });
    it('accepts the campaign as Microsoft left it and says it nudges passkeys', () => {
      const posture = decide(withCampaign({}), managed);
      expect(posture.problems).toEqual([]);
      expect(posture.campaign).toMatchObject({ state: 'default', nudges: 'passkey', rolloutUsersIncluded: 10 });
    });
    it.each([
      ['disabled', { state: 'disabled' as const }, ['blocking:campaignOff']],
      ['customised (enabled) for Authenticator', { state: 'enabled' as const, includeTargets: [{ ...everyone, targetedAuthenticationMethod: 'microsoftAuthenticator' }] }, ['blocking:campaignWrongMethod', 'warning:campaignNotMicrosoftManaged']],
      ['for a group of half the rollout', { includeTargets: [group(staffGroup, { targetedAuthenticationMethod: 'fido2' })] }, ['warning:campaignMissesUsers']],
      ['for a group of none of the rollout', { includeTargets: [group('0ff00000-0000-4000-8000-000000000000', { targetedAuthenticationMethod: 'fido2' })] }, ['blocking:campaignMissesUsers']],
    ])('%s', (_name, campaign, expected) => {
      expect(codes(decide(withCampaign(campaign), managed).problems)).toEqual(expected);
    });
    it('nudges Authenticator when Microsoft managed and passkeys are not set up: wrong for the passkey track', () => {
      const methods = { ...base.methods, fido2: { ...base.methods.fido2!, selfServiceRegistration: false } };
      const posture = decide(withCampaign({}, methods), managed);
      expect(posture.campaign.nudges).toBe('authenticator');
      expect(codes(posture.problems)).toEqual(['blocking:fido2NoSelfService', 'blocking:campaignWrongMethod']);
    });
  });

  it('warns about an incomplete migration, a policy near 20 KB, user targets and the TAP off', () => {
    const input = postureInput({
      methodsPolicy: policyWith({
        policyMigrationState: 'migrationInProgress',
        serializedBytes: 18_500,
        methods: { ...base.methods, voice: { enabled: true, includeTargets: [{ id: 'u3', targetType: 'user' }], excludeTargets: [] }, temporaryAccessPass: { ...base.methods.temporaryAccessPass!, enabled: false } },
      }),
    });
    const posture = decide(input);
    expect(codes(posture.problems)).toEqual(['blocking:phoneRetiredNotExcluded', 'warning:migrationIncomplete', 'warning:policyNearSizeLimit', 'warning:userTargetsIgnored', 'warning:tapOff']);
    expect(posture.problems.find((problem) => problem.code === 'policyNearSizeLimit')?.message).toBe('the methods policy is 18.1 KB of the 20 KB Graph can save: more targets may be refused');
  });

  it('holds the night for a group a setting names that the tenant does not have', () => {
    const posture = decide(postureInput({ missingGroups: [{ setting: 'MFA_CAMPAIGN_GROUP_ID', groupId: campaignGroup }] }));
    expect(posture.blocked).toBe(true);
    expect(posture.problems[0]).toMatchObject({ code: 'groupNotFound', message: `MFA_CAMPAIGN_GROUP_ID names the group ${campaignGroup}, which the tenant does not have` });
  });

  it('lists blocking problems before warnings', () => {
    const input = postureInput({ methodsPolicy: policyWith({ policyMigrationState: 'preMigration', campaign: { ...base.campaign, state: 'disabled' } }) });
    expect(codes(decide(input).problems)).toEqual(['blocking:campaignOff', 'warning:migrationIncomplete']);
    expect(rolloutMembership.userIds).toHaveLength(10);
  });
});
