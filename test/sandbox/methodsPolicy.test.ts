import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { externalMethodId } from '../../sandbox/render/methodsPolicyProperties.js';
import type { MethodsPolicyScenario } from '../../sandbox/tenant/methodsPolicyModel.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const policyPath = '/v1.0/policies/authenticationMethodsPolicy';
const configPath = (id: string, version = 'v1.0') => `/${version}/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`;
const smsType = '#microsoft.graph.smsAuthenticationMethodConfiguration';
const fido2Type = '#microsoft.graph.fido2AuthenticationMethodConfiguration';
const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

interface ErrorBody {
  error: { code: string; message: string };
}

describe('the Authentication methods policy and security defaults', () => {
  let t: TestSandbox;
  const admin = async (body: { scenario?: MethodsPolicyScenario; securityDefaults?: boolean }) => {
    const answer = await t.raw('/_sandbox/methodsPolicy', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return answer;
  };
  const patch = (path: string, body: unknown, token?: string) => rawGraph(t, path, { method: 'PATCH', body, ...(token === undefined ? {} : { token }) });
  const refusal = (answer: { status: number; json: unknown }) => [answer.status, (answer.json as ErrorBody).error.code, (answer.json as ErrorBody).error.message] as const;
  const campaignPatch = (campaign: Record<string, unknown>) => ({ registrationEnforcement: { authenticationMethodsRegistrationCampaign: campaign } });

  beforeAll(async () => {
    t = await startTestSandbox({ users: 40, seed: 12, faults: { latency: false } });
  });
  afterEach(async () => {
    t.sandbox.controls.setRoles(defaultAppRoles);
    t.sandbox.controls.setConditionalAccess({ scenario: 'default' });
    await admin({ scenario: 'default' });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('GET', () => {
    it('answers the tenant after 1 September 2026 with every configuration expanded, as v1.0 shows it', async () => {
      const answer = await rawGraph(t, policyPath);
      expect(answer.status).toBe(200);
      const body = answer.json as Record<string, unknown> & { authenticationMethodConfigurations: Record<string, unknown>[] };
      expect(body['@odata.context']).toBe(`${t.sandbox.origin}/v1.0/$metadata#authenticationMethodsPolicy`);
      expect(body['authenticationMethodConfigurations@odata.context']).toBe(`${t.sandbox.origin}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations`);
      expect(body).toMatchObject({
        id: 'authenticationMethodsPolicy',
        policyMigrationState: 'migrationComplete',
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            state: 'default',
            snoozeDurationInDays: 1,
            enforceRegistrationAfterAllowedSnoozes: false,
            includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'fido2' }],
            excludeTargets: [],
          },
        },
      });
      expect(body).not.toHaveProperty('microsoftAuthenticatorPlatformSettings');
      expect(body).not.toHaveProperty('optOutSettings');
      const ids = body.authenticationMethodConfigurations.map((configuration) => configuration.id);
      expect(ids).toEqual(expect.arrayContaining(['Sms', 'Voice', 'Fido2', 'MicrosoftAuthenticator', 'TemporaryAccessPass', 'SoftwareOath', 'Email', externalMethodId]));
      const byId = (id: string) => body.authenticationMethodConfigurations.find((configuration) => configuration.id === id);
      expect(byId('Sms')).toEqual({
        '@odata.type': smsType,
        id: 'Sms',
        state: 'enabled',
        excludeTargets: [],
        includeTargets: [{ id: 'all_users', targetType: 'group', isRegistrationRequired: false, isUsableForSignIn: false }],
      });
      expect(byId('Fido2')).toMatchObject({ '@odata.type': fido2Type, state: 'enabled', isSelfServiceRegistrationAllowed: true, passkeyProfiles: [{ passkeyTypes: 'deviceBound,synced' }] });
      expect(byId('Fido2')).toHaveProperty(['includeTargets@odata.context']);
      expect(byId('Voice')).toMatchObject({ state: 'disabled' });
    });

    it('adds the beta-only properties under beta', async () => {
      const body = (await rawGraph(t, '/beta/policies/authenticationMethodsPolicy')).json as Record<string, unknown>;
      expect(body).toHaveProperty('microsoftAuthenticatorPlatformSettings');
      expect(body['@odata.context']).toBe(`${t.sandbox.origin}/beta/$metadata#authenticationMethodsPolicy`);
    });

    it('reads one configuration by an id in any casing, 404 for one that does not exist', async () => {
      const fido2 = await rawGraph(t, configPath('fido2'));
      expect(fido2.status).toBe(200);
      expect(fido2.json).toMatchObject({ '@odata.context': `${t.sandbox.origin}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity`, id: 'Fido2' });
      expect((await rawGraph(t, configPath('TEMPORARYACCESSPASS'))).json).toMatchObject({ id: 'TemporaryAccessPass', minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480 });
      expect((await rawGraph(t, configPath('Carrier'))).status).toBe(404);
    });
  });

  describe('permissions', () => {
    it('reads with Policy.Read.AuthenticationMethod alone; 403 without a policy permission', async () => {
      t.sandbox.controls.setRoles(['Policy.Read.AuthenticationMethod']);
      const token = await t.token();
      expect((await rawGraph(t, policyPath, { token })).status).toBe(200);
      expect((await rawGraph(t, configPath('Sms'), { token })).status).toBe(200);
      expect(refusal(await rawGraph(t, '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy', { token }))).toEqual([403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
      t.sandbox.controls.setRoles(['User.Read.All']);
      expect(refusal(await rawGraph(t, policyPath, { token: await t.token() }))[1]).toBe('Authorization_RequestDenied');
    });

    it('writes only with Policy.ReadWrite.AuthenticationMethod (Policy.Read.All is not enough)', async () => {
      t.sandbox.controls.setRoles(['Policy.Read.All']);
      const token = await t.token();
      expect(refusal(await patch(policyPath, campaignPatch({ snoozeDurationInDays: 3 }), token))[0]).toBe(403);
      expect(refusal(await patch(configPath('Sms'), { '@odata.type': smsType, state: 'disabled' }, token))[0]).toBe(403);
      expect(refusal(await patch('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy', { isEnabled: false }, token))[0]).toBe(403);
      expect(t.sandbox.state.methodsPolicy().registrationEnforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays).toBe(1);
      expect(t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms.state).toBe('enabled');
    });
  });

  describe('PATCH of the policy', () => {
    it('changes only what it names and answers 200 with the policy; the journal has the write', async () => {
      const since = t.sandbox.journal.entries().length;
      const answer = await patch(policyPath, campaignPatch({ state: 'enabled', snoozeDurationInDays: 0 }));
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ id: 'authenticationMethodsPolicy', registrationEnforcement: { authenticationMethodsRegistrationCampaign: { state: 'enabled', snoozeDurationInDays: 0 } } });
      expect(answer.json).not.toHaveProperty('authenticationMethodConfigurations');
      const campaign = t.sandbox.state.methodsPolicy().registrationEnforcement.authenticationMethodsRegistrationCampaign;
      expect(campaign).toMatchObject({ state: 'enabled', snoozeDurationInDays: 0, enforceRegistrationAfterAllowedSnoozes: false, includeTargets: [{ id: 'all_users', targetedAuthenticationMethod: 'fido2' }] });
      expect(t.sandbox.journal.entries(since)).toEqual([expect.objectContaining({ method: 'PATCH', operation: 'methodsPolicy.update', status: 200, detail: { changed: ['campaign'] } })]);
    });

    it('keeps the targeted method as written, in either casing', async () => {
      const group = t.sandbox.manifest.groups.campaign;
      expect((await patch(policyPath, campaignPatch({ includeTargets: [{ id: group, targetType: 'group', targetedAuthenticationMethod: 'Fido2' }] }))).status).toBe(200);
      const read = (await rawGraph(t, policyPath)).json as { registrationEnforcement: { authenticationMethodsRegistrationCampaign: { includeTargets: unknown[] } } };
      expect(read.registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets).toEqual([{ id: group, targetType: 'group', targetedAuthenticationMethod: 'Fido2' }]);
    });

    it.each([
      ['a snooze of 15 days', { snoozeDurationInDays: 15 }, /snoozeDurationInDays.*0 to 14/],
      ['a snooze of 1.5 days', { snoozeDurationInDays: 1.5 }, /snoozeDurationInDays/],
      ['an unknown state', { state: 'microsoftManaged' }, /state/],
      ['a method the campaign cannot target', { includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'sms' }] }, /targetedAuthenticationMethod.*'fido2' or 'microsoftAuthenticator'/],
      ['two methods at once', { includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'fido2' }, { id: guid(1), targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }] }, /(one authentication method at a time|not a user or group)/],
      ['a target that is no group of the tenant', { includeTargets: [{ id: guid(7), targetType: 'group', targetedAuthenticationMethod: 'fido2' }] }, /not a user or group of this tenant/],
      ['a property the campaign does not have', { snoozeCount: 3 }, /'snoozeCount' does not exist on type 'microsoft\.graph\.authenticationMethodsRegistrationCampaign'/],
    ])('refuses %s with 400 and changes nothing', async (_name, campaign, message) => {
      const before = t.sandbox.state.methodsPolicy();
      const [status, code, text] = refusal(await patch(policyPath, campaignPatch(campaign)));
      expect([status, code]).toEqual([400, 'BadRequest']);
      expect(text).toMatch(message);
      expect(t.sandbox.state.methodsPolicy()).toBe(before);
    });

    it('refuses two targeted methods even when both groups exist', async () => {
      const { campaign, pilot } = t.sandbox.manifest.groups;
      const answer = await patch(policyPath, campaignPatch({ includeTargets: [{ id: campaign, targetType: 'group', targetedAuthenticationMethod: 'fido2' }, { id: pilot, targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }] }));
      expect(refusal(answer)).toEqual([400, 'BadRequest', expect.stringMatching(/one authentication method at a time/)]);
    });

    it('refuses the beta-only opt-out on v1.0 as an undeclared property, keeps it on beta and shows it only there', async () => {
      const optOut = { optOutSettings: { passkeyDynamicMigration: true } };
      expect(refusal(await patch(policyPath, optOut))).toEqual([400, 'BadRequest', expect.stringMatching(/^The property 'optOutSettings' does not exist on type 'microsoft\.graph\.authenticationMethodsPolicy'/)]);
      expect((await patch('/beta/policies/authenticationMethodsPolicy', optOut)).status).toBe(200);
      expect((await rawGraph(t, '/beta/policies/authenticationMethodsPolicy')).json).toMatchObject(optOut);
      expect((await rawGraph(t, policyPath)).json).not.toHaveProperty('optOutSettings');
    });

    it('refuses read-only properties and configurations written through the policy', async () => {
      expect(refusal(await patch(policyPath, { displayName: 'Ours' }))[2]).toMatch(/'displayName'.*read-only/);
      expect(refusal(await patch(policyPath, { authenticationMethodConfigurations: [] }))[2]).toMatch(/each configuration is updated on its own/);
    });
  });

  describe('PATCH of a configuration', () => {
    it('needs the configuration\'s @odata.type', async () => {
      expect(refusal(await patch(configPath('Sms'), { state: 'disabled' }))).toEqual([400, 'BadRequest', expect.stringMatching(/@odata\.type.*smsAuthenticationMethodConfiguration/)]);
      expect(refusal(await patch(configPath('Sms'), { '@odata.type': fido2Type, state: 'disabled' }))[2]).toMatch(/does not match/);
      expect(t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms.state).toBe('enabled');
    });

    it('excludes a group from SMS (204): its members lose SMS, everyone else keeps it', async () => {
      const group = t.sandbox.manifest.groups.phoneRetired;
      const [member, other] = t.sandbox.state.users.filter((user) => user.accountEnabled);
      if (member === undefined || other === undefined) throw new Error('the tenant has too few users');
      t.sandbox.state.addGroupMembers(group, [member.id]);
      try {
        const answer = await patch(configPath('sms'), { '@odata.type': smsType, excludeTargets: [{ id: group, targetType: 'group' }] });
        expect(answer.status).toBe(204);
        expect(t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms).toMatchObject({ state: 'enabled', excludeTargets: [{ id: group, targetType: 'group' }], includeTargets: [{ id: 'all_users' }] });
        expect(t.sandbox.state.methodAllowedFor(member.id, 'Sms')).toBe(false);
        expect(t.sandbox.state.methodAllowedFor(other.id, 'Sms')).toBe(true);
        expect(t.sandbox.state.methodAllowedFor(member.id, 'Fido2')).toBe(true);
      } finally {
        t.sandbox.state.removeGroupMember(group, member.id);
      }
    });

    it('makes an SMS target usable for sign-in unless the target says otherwise (the admin center\'s default)', async () => {
      expect((await patch(configPath('Sms'), { '@odata.type': smsType, includeTargets: [{ id: 'all_users', targetType: 'group' }] })).status).toBe(204);
      expect(t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms.includeTargets).toEqual([{ id: 'all_users', targetType: 'group', isRegistrationRequired: false, isUsableForSignIn: true }]);
    });

    it('keeps at most 3 passkey profiles, and targets only profiles that exist', async () => {
      const profile = (n: number) => ({ id: guid(n), name: `Profile ${n}`, passkeyTypes: 'deviceBound', attestationEnforcement: 'disabled', keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] } });
      const current = t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Fido2.passkeyProfiles;
      expect(refusal(await patch(configPath('Fido2'), { '@odata.type': fido2Type, passkeyProfiles: [...current, profile(1), profile(2), profile(3)] }))[2]).toMatch(/At most 3 passkey profiles/);
      expect((await patch(configPath('Fido2'), { '@odata.type': fido2Type, passkeyProfiles: [...current, profile(1), profile(2)] })).status).toBe(204);
      expect(refusal(await patch(configPath('Fido2'), { '@odata.type': fido2Type, includeTargets: [{ id: 'all_users', targetType: 'group', allowedPasskeyProfiles: [guid(9)] }] }))[2]).toMatch(/not one of the configuration's passkey profiles/);
    });

    it('refuses to grow the policy past 20 KB serialized (an AAGUID list too long)', async () => {
      const aaGuids = Array.from({ length: 600 }, (_, n) => guid(n + 100));
      const answer = await patch(configPath('Fido2'), { '@odata.type': fido2Type, keyRestrictions: { isEnforced: true, enforcementType: 'allow', aaGuids } });
      expect(refusal(answer)).toEqual([400, 'BadRequest', expect.stringMatching(/cannot exceed 20 KB/)]);
      expect(t.sandbox.state.methodsPolicy().authenticationMethodConfigurations.Fido2.keyRestrictions.aaGuids).toEqual([]);
      const fits = await patch(configPath('Fido2'), { '@odata.type': fido2Type, keyRestrictions: { isEnforced: true, enforcementType: 'allow', aaGuids: aaGuids.slice(0, 300) } });
      expect(fits.status).toBe(204);
      expect(t.sandbox.controls.methodsPolicy().serializedBytes).toBeLessThanOrEqual(20 * 1024);
    });

    it('keeps the Temporary Access Pass lifetimes in bounds and in order', async () => {
      const tapType = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration';
      expect(refusal(await patch(configPath('TemporaryAccessPass'), { '@odata.type': tapType, maximumLifetimeInMinutes: 50_000 }))[2]).toMatch(/maximumLifetimeInMinutes.*10 to 43200/);
      expect(refusal(await patch(configPath('TemporaryAccessPass'), { '@odata.type': tapType, defaultLifetimeInMinutes: 600 }))[2]).toMatch(/between minimumLifetimeInMinutes and maximumLifetimeInMinutes/);
      expect((await patch(configPath('TemporaryAccessPass'), { '@odata.type': tapType, maximumLifetimeInMinutes: 600, defaultLifetimeInMinutes: 600 })).status).toBe(204);
    });

    it('does not model writes to the other built-in methods, nor DELETE', async () => {
      expect(refusal(await patch(configPath('SoftwareOath'), { '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethodConfiguration', state: 'enabled' }))[1]).toBe('SandboxNotModelled');
      expect(refusal(await rawGraph(t, configPath('Fido2'), { method: 'DELETE' }))[1]).toBe('SandboxNotModelled');
    });
  });

  describe('security defaults', () => {
    const path = '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy';

    it('reads them off, with $select, and with Policy.Read.All', async () => {
      expect((await rawGraph(t, path)).json).toMatchObject({ id: '00000000-0000-0000-0000-000000000005', displayName: 'Security Defaults', isEnabled: false });
      expect((await rawGraph(t, `${path}?$select=isEnabled`)).json).toEqual({ '@odata.context': `${t.sandbox.origin}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy(isEnabled)/$entity`, isEnabled: false });
      expect((await rawGraph(t, `${path}?$select=isOn`)).status).toBe(400);
    });

    it('refuses to switch them on while a Conditional Access policy is enabled; 204 once none is', async () => {
      t.sandbox.controls.setRoles([...defaultAppRoles, 'Policy.ReadWrite.SecurityDefaults']);
      const token = await t.token();
      expect(refusal(await patch(path, { isEnabled: true }, token))[2]).toMatch(/while Conditional Access policies are enabled/);
      t.sandbox.controls.setConditionalAccess({ scenario: 'none' }); // no enabled policy at all (the 'disabled' scenario leaves the phishing-resistant one on)
      expect((await patch(path, { isEnabled: true }, token)).status).toBe(204);
      expect(t.sandbox.state.authenticationPolicies.securityDefaults()).toEqual({ isEnabled: true });
      expect(refusal(await patch(path, { displayName: 'x' }, token))[2]).toMatch(/read-only/);
    });
  });

  describe('admin scenarios', () => {
    it('switches to each refusal the preflight must name', async () => {
      const state = () => t.sandbox.state.methodsPolicy();
      const { groups } = t.sandbox.manifest;
      expect((await admin({ scenario: 'smsDisabled' })).status).toBe(200);
      expect(state().authenticationMethodConfigurations.Sms.state).toBe('disabled');
      await admin({ scenario: 'smsForOtherGroup' });
      expect(state().authenticationMethodConfigurations.Sms.includeTargets.map((target) => target.id)).toEqual([groups.exclusion]);
      await admin({ scenario: 'fido2NoSelfService' });
      expect(state().authenticationMethodConfigurations.Fido2).toMatchObject({ state: 'enabled', isSelfServiceRegistrationAllowed: false });
      await admin({ scenario: 'campaignAuthenticator' });
      expect(state().registrationEnforcement.authenticationMethodsRegistrationCampaign).toMatchObject({ state: 'enabled', includeTargets: [{ targetedAuthenticationMethod: 'microsoftAuthenticator' }] });
      await admin({ scenario: 'campaignOtherGroup' });
      expect(state().registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets.map((target) => target.id)).toEqual([groups.rings[0]?.id]);
      await admin({ scenario: 'smsSignInUsable' });
      expect(state().authenticationMethodConfigurations.Sms.includeTargets.every((target) => target.isUsableForSignIn)).toBe(true);
      await admin({ scenario: 'migrationInProgress' });
      expect(((await rawGraph(t, policyPath)).json as { policyMigrationState: string }).policyMigrationState).toBe('migrationInProgress');
      const on = await admin({ scenario: 'securityDefaultsOn' });
      expect(on.json).toMatchObject({ scenario: 'securityDefaultsOn', securityDefaults: { isEnabled: true } });
      expect(t.sandbox.state.conditionalAccessSettings().scenario).toBe('none');
      expect(t.sandbox.state.conditionalAccessPolicies().filter((policy) => policy.state === 'enabled')).toEqual([]);
      expect((await rawGraph(t, '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')).json).toMatchObject({ isEnabled: true });
      expect((await admin({ scenario: 'default' })).json).toMatchObject({ scenario: 'default', securityDefaults: { isEnabled: false } });
      expect((await admin({ scenario: 'nonsense' as MethodsPolicyScenario })).status).toBe(400);
    });

    it('seeds the three empty journey groups in the manifest', () => {
      const { campaign, phishingResistant, phoneRetired } = t.sandbox.manifest.groups;
      for (const id of [campaign, phishingResistant, phoneRetired]) expect(t.sandbox.state.findGroup(id)?.memberIds).toEqual([]);
    });
  });
});
