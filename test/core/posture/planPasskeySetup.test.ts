import { describe, expect, it } from '@jest/globals';
import { planPasskeySetup } from '../../../shared/core/posture/planPasskeySetup.js';
import { planSetupRestore } from '../../../shared/core/posture/planSetupRestore.js';
import { campaignGroup, everyone, group, otherGroup, phoneRetiredGroup, postureSettings, setUpPolicy } from './postureBuilder.js';

const options = { allUsers: false, campaignGroupOnly: false };
const base = setUpPolicy();

describe('planPasskeySetup', () => {
  it('has nothing to write on a tenant already set up, and nothing on the phone track', () => {
    expect(planPasskeySetup(base, postureSettings(), options)).toEqual({ writes: [], left: [] });
    expect(planPasskeySetup(base, postureSettings({ MFA_TARGET_METHOD: 'phone' }), options)).toEqual({ writes: [], left: ['MFA_TARGET_METHOD=phone: there is no passkey track to set up'] });
  });

  it('takes the journey groups out of the exclusions of Fido2 and the campaign', () => {
    const policy = setUpPolicy({
      methods: { ...base.methods, fido2: { ...base.methods.fido2!, includeTargets: [group(otherGroup)], excludeTargets: [group(campaignGroup.toUpperCase()), group(otherGroup)] } },
      campaign: { ...base.campaign, excludeTargets: [group(campaignGroup), group(otherGroup)] },
    });
    const plan = planPasskeySetup(policy, postureSettings(), options);
    expect(plan.writes).toEqual([
      {
        target: 'fido2',
        before: { includeTargets: [group(otherGroup)], excludeTargets: [group(campaignGroup.toUpperCase()), group(otherGroup)] },
        after: { includeTargets: [group(otherGroup), { id: campaignGroup, targetType: 'group', isRegistrationRequired: false, allowedPasskeyProfiles: ['00000000-0000-0000-0000-000000000001'] }], excludeTargets: [group(otherGroup)] },
        changes: [`include the group ${campaignGroup}`, `stop excluding ${campaignGroup.toUpperCase()}`],
      },
      { target: 'campaign', before: { excludeTargets: [group(campaignGroup), group(otherGroup)] }, after: { excludeTargets: [group(otherGroup)] }, changes: [`stop excluding the campaign group ${campaignGroup}`] },
    ]);
    expect(plan.left).toEqual([`the registration campaign still excludes ${otherGroup}: remove them in the admin center if they hold rollout users`]);
  });

  it('includes the phishing-resistant group in Fido2 too, with the default passkey profile', () => {
    const policy = setUpPolicy({ methods: { ...base.methods, fido2: { ...base.methods.fido2!, includeTargets: [group(campaignGroup)] } } });
    const [write] = planPasskeySetup(policy, postureSettings({ MFA_PHISHING_RESISTANT_GROUP_ID: otherGroup }), options).writes;
    expect(write?.after).toEqual({ includeTargets: [group(campaignGroup), { id: otherGroup, targetType: 'group', isRegistrationRequired: false, allowedPasskeyProfiles: ['00000000-0000-0000-0000-000000000001'] }] });
  });

  it('sets up Microsoft Authenticator and an Authenticator campaign on the authenticator track', () => {
    const policy = setUpPolicy({ methods: { ...base.methods, microsoftAuthenticator: { enabled: false, includeTargets: [{ ...everyone, authenticationMode: 'any' }], excludeTargets: [] } } });
    const plan = planPasskeySetup(policy, postureSettings({ MFA_TARGET_METHOD: 'authenticator' }), options);
    expect(plan.writes.map((write) => [write.target, write.after])).toEqual([
      ['microsoftAuthenticator', { state: 'enabled', includeTargets: [{ id: campaignGroup, targetType: 'group', isRegistrationRequired: false, authenticationMode: 'any' }] }],
      ['campaign', { includeTargets: [group(campaignGroup, { targetedAuthenticationMethod: 'microsoftAuthenticator' })] }],
    ]);
  });

  it('excludes the phone-retired group from Voice when Voice is on, never from a disabled one', () => {
    const voiceOn = setUpPolicy({ methods: { ...base.methods, voice: { enabled: true, includeTargets: [everyone], excludeTargets: [] } } });
    expect(planPasskeySetup(voiceOn, postureSettings(), options).writes).toEqual([{ target: 'voice', before: { excludeTargets: [] }, after: { excludeTargets: [group(phoneRetiredGroup)] }, changes: [`exclude the phone-retired group ${phoneRetiredGroup}`] }]);
    expect(planPasskeySetup(voiceOn, postureSettings({ MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' }), options).writes).toEqual([]);
  });

  it('does not change a campaign in a state it does not know', () => {
    const plan = planPasskeySetup(setUpPolicy({ campaign: { ...base.campaign, state: 'unknown' } }), postureSettings(), options);
    expect(plan.writes).toEqual([]);
    expect(plan.left).toEqual(['the registration campaign: not changed, its state is one the rollout does not know; set it in the admin center']);
  });
});

describe('planSetupRestore', () => {
  const disabledFido2 = setUpPolicy({ methods: { ...base.methods, fido2: { ...base.methods.fido2!, enabled: false, selfServiceRegistration: false } } });
  const setup = planPasskeySetup(disabledFido2, postureSettings({ MFA_CAMPAIGN_MODE: 'microsoftManaged' }), options).writes;

  it('puts back each property still as the setup left it, in reverse order', () => {
    const asSetUp = setUpPolicy({ methods: { ...base.methods, fido2: { ...base.methods.fido2!, includeTargets: [group(campaignGroup)] } } });
    expect(planSetupRestore(setup, asSetUp, false)).toEqual({
      writes: [{ target: 'fido2', body: { state: 'disabled', includeTargets: disabledFido2.methods.fido2?.includeTargets, isSelfServiceRegistrationAllowed: false } }],
      skipped: [],
    });
  });

  it('skips what changed since, unless forced', () => {
    const changed = setUpPolicy({ methods: { ...base.methods, fido2: { ...base.methods.fido2!, includeTargets: [group(otherGroup)] } } });
    expect(planSetupRestore(setup, changed, false).skipped).toEqual([{ target: 'fido2', property: 'includeTargets' }]);
    expect(planSetupRestore(setup, changed, true).writes[0]?.body).toHaveProperty('includeTargets');
  });
});
