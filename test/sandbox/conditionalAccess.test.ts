import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { ConditionalAccessScenario } from '../../sandbox/tenant/tenantModel.js';
import { caught } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Policy {
  id: string;
  displayName: string;
  state: string;
  conditions: {
    users: Record<string, string[] | null>;
    applications: { includeApplications: string[]; excludeApplications: string[] };
    clientAppTypes: string[];
    locations: { includeLocations: string[]; excludeLocations: string[] } | null;
  };
  grantControls: { operator: string; builtInControls: string[]; authenticationStrength: Record<string, unknown> | null; 'authenticationStrength@odata.context': string };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const policies = '/identity/conditionalAccess/policies';

describe('Conditional Access policies', () => {
  let t: TestSandbox;
  const admin = (body: unknown) => t.raw('/_sandbox/conditionalAccess', json(body));
  const scenario = async (name: ConditionalAccessScenario, throttled = false): Promise<void> => {
    const answer = await admin({ scenario: name, throttled });
    expect(answer.status).toBe(200);
  };
  const list = async (): Promise<Policy[]> => ((await t.client.api(policies).get()) as { value: Policy[] }).value;
  const rollout = async (): Promise<Policy> => {
    const found = (await list()).find((policy) => policy.id === t.sandbox.manifest.conditionalAccess.rolloutPolicyId);
    if (found === undefined) throw new Error('no rollout policy');
    return found;
  };

  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 31, faults: { latency: false } });
    await admin({ throttled: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the generated policies: MFA for the MFA Required group, the built-in Phishing-resistant MFA strength expanded for its group, break-glass excluded', async () => {
    const { manifest, origin } = t.sandbox;
    const answer = (await t.client.api(policies).get()) as { '@odata.context': string; value: Policy[] };
    expect(answer['@odata.context']).toBe(`${origin}/v1.0/$metadata#identity/conditionalAccess/policies`);
    const breakGlass = manifest.breakGlass.map((account) => account.id);
    const users = (group: string) => ({ includeUsers: [], excludeUsers: breakGlass, includeGroups: [group], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null });
    const policyContext = (id: string) => `${origin}/v1.0/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength`;
    expect(answer.value).toEqual([
      expect.objectContaining({
        id: manifest.conditionalAccess.rolloutPolicyId,
        displayName: 'Require MFA — rollout group',
        state: 'enabled',
        conditions: expect.objectContaining({ users: users(manifest.groups.mfaRequired), clientAppTypes: ['all'], applications: expect.objectContaining({ includeApplications: ['All'], excludeApplications: [] }), platforms: null, locations: null }),
        grantControls: {
          operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [],
          'authenticationStrength@odata.context': `${policyContext(manifest.conditionalAccess.rolloutPolicyId)}/$entity`, authenticationStrength: null,
        },
      }),
      expect.objectContaining({
        id: manifest.conditionalAccess.phishingResistantPolicyId,
        displayName: 'Require phishing-resistant MFA — passkey users',
        state: 'enabled',
        conditions: expect.objectContaining({ users: users(manifest.groups.phishingResistant), clientAppTypes: ['all'] }),
        grantControls: {
          operator: 'OR', builtInControls: [], customAuthenticationFactors: [], termsOfUse: [],
          'authenticationStrength@odata.context': `${policyContext(manifest.conditionalAccess.phishingResistantPolicyId)}/$entity`,
          authenticationStrength: {
            id: '00000000-0000-0000-0000-000000000004',
            createdDateTime: '2021-12-01T08:00:00Z',
            modifiedDateTime: '2021-12-01T08:00:00Z',
            displayName: 'Phishing resistant MFA',
            description: 'Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
            policyType: 'builtIn',
            requirementsSatisfied: 'mfa',
            allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
            'combinationConfigurations@odata.context': `${policyContext(manifest.conditionalAccess.phishingResistantPolicyId)}/combinationConfigurations`,
            combinationConfigurations: [],
          },
        },
      }),
    ]);
    expect(manifest.breakGlass).toHaveLength(2);
  });

  it('honours $select; one policy by id is not modelled (the rollout lists them)', async () => {
    const id = t.sandbox.manifest.conditionalAccess.rolloutPolicyId;
    const selected = (await t.client.api(policies).select(['id', 'state']).get()) as { value: unknown[] };
    expect(selected.value).toEqual([{ id, state: 'enabled' }, { id: t.sandbox.manifest.conditionalAccess.phishingResistantPolicyId, state: 'enabled' }]);
    const byId = await caught(t.client.api(`${policies}/${id}`).get());
    expect([byId.statusCode, byId.code]).toEqual([400, 'SandboxNotModelled']);
  });

  it('switches scenarios through the admin API, each changing one thing of the default', async () => {
    const { manifest } = t.sandbox;
    await scenario('reportOnly');
    expect((await rollout()).state).toBe('enabledForReportingButNotEnforced');
    await scenario('mfaOrCompliantDevice');
    expect((await rollout()).grantControls).toMatchObject({ operator: 'OR', builtInControls: ['mfa', 'compliantDevice'] });
    await scenario('oneApp');
    expect((await rollout()).conditions.applications.includeApplications).toEqual(['00000002-0000-0ff1-ce00-000000000000']);
    await scenario('browserOnly');
    expect((await rollout()).conditions.clientAppTypes).toEqual(['browser']);
    await scenario('trustedLocationsExcluded');
    expect((await rollout()).conditions.locations).toEqual({ includeLocations: ['All'], excludeLocations: ['AllTrusted'] });
    await scenario('breakGlassExcludedByRole');
    expect((await rollout()).conditions.users).toMatchObject({ excludeUsers: [], excludeRoles: ['62e90394-69f5-4237-9190-012177145e10'] });
    await scenario('passwordlessStrength');
    expect((await rollout()).grantControls).toMatchObject({ builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000003', displayName: 'Passwordless MFA' } });
    await scenario('customStrengthWithSms');
    expect((await rollout()).grantControls.authenticationStrength).toMatchObject({ displayName: 'Contoso MFA (SMS allowed)', policyType: 'custom', allowedCombinations: ['password,sms', 'password,microsoftAuthenticatorPush', 'fido2'] });
    await scenario('phishingResistantOrCompliantDevice');
    expect((await list()).map((policy) => policy.grantControls.builtInControls)).toEqual([['mfa'], ['compliantDevice']]);
    await scenario('phishingResistantMissing');
    expect((await list()).map((policy) => policy.id)).toEqual([manifest.conditionalAccess.rolloutPolicyId]);
    await scenario('allUsersMfa');
    expect((await list()).map((policy) => [policy.id, policy.conditions.users.includeUsers])).toEqual([
      [manifest.conditionalAccess.rolloutPolicyId, []],
      [manifest.conditionalAccess.allUsersPolicyId, ['All']],
      [manifest.conditionalAccess.phishingResistantPolicyId, []],
    ]);
    await scenario('none');
    expect(await list()).toEqual([]);
    const bad = await admin({ scenario: 'everyone' });
    expect([bad.status, (bad.json as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);
    await scenario('default');
    expect((await t.raw('/_sandbox/conditionalAccess')).json).toMatchObject({ scenario: 'default', throttled: false, expandStrength: true, policies: [{ state: 'enabled' }, { state: 'enabled' }] });
  });

  it('renders a strength as its id alone when told to (the other documented shape)', async () => {
    await admin({ expandStrength: false });
    try {
      const [, passkeyPolicy] = await list();
      expect(passkeyPolicy?.grantControls.authenticationStrength).toEqual({ id: '00000000-0000-0000-0000-000000000004' });
    } finally {
      await admin({ expandStrength: true });
    }
  });

  it('takes a custom policy set, refusing what Graph refuses to store: mfa with an authentication strength', async () => {
    const set = await admin({
      policies: [{ displayName: 'Keys for admins', users: { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] }, authenticationStrengthId: 'c0ffee00-0000-4000-8000-000000000001' }],
      strengths: [{ id: 'c0ffee00-0000-4000-8000-000000000001', displayName: 'Keys only', allowedCombinations: ['fido2'] }],
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ scenario: 'custom', policies: [{ displayName: 'Keys for admins', builtInControls: [], authenticationStrengthId: 'c0ffee00-0000-4000-8000-000000000001' }] });
    expect((await list())[0]?.grantControls.authenticationStrength).toMatchObject({ displayName: 'Keys only', policyType: 'custom', allowedCombinations: ['fido2'] });
    const refused = await admin({ policies: [{ displayName: 'Both', builtInControls: ['mfa'], authenticationStrengthId: '00000000-0000-0000-0000-000000000002' }] });
    expect([refused.status, (refused.json as { error: { message: string } }).error.message]).toEqual([
      400, "conditionalAccess: policies[0]: 'mfa' and an authentication strength can't be used together in the same Conditional Access policy",
    ]);
    const unknown = await admin({ policies: [{ displayName: 'Ghost strength', authenticationStrengthId: '00000000-0000-0000-0000-000000000009' }] });
    expect(unknown.status).toBe(400);
    expect((await list()).map((policy) => policy.displayName)).toEqual(['Keys for admins']);
    await scenario('default');
  });

  it('decides who must do MFA from the enforced policies, their grant and the sign-in', async () => {
    const state = t.sandbox.state;
    const { manifest } = t.sandbox;
    const [member = '', outsider = ''] = manifest.users.filter((user) => user.category === 'ready').map((user) => user.id);
    const [breakGlass = ''] = manifest.breakGlass.map((account) => account.id);
    state.addGroupMembers(manifest.groups.mfaRequired, [member, breakGlass]);
    try {
      const required = () => [state.mfaRequired(member), state.mfaRequired(outsider), state.mfaRequired(breakGlass)];
      expect(required()).toEqual([true, false, false]);
      for (const name of ['reportOnly', 'disabled', 'noMfaGrant', 'none'] as const) {
        await scenario(name);
        expect(required()).toEqual([false, false, false]);
      }
      await scenario('mfaOrCompliantDevice');
      expect([state.conditionalAccessOutcome(member), state.conditionalAccessOutcome(member, { compliantDevice: true })]).toEqual(['mfaUnsatisfiable', 'granted']);
      await scenario('oneApp');
      expect([state.conditionalAccessOutcome(member), state.conditionalAccessOutcome(member, { appId: '00000003-0000-0ff1-ce00-000000000000' })]).toEqual(['mfaUnsatisfiable', 'notApplied']);
      await scenario('breakGlassExcludedByRole');
      expect(required()).toEqual([true, false, false]);
      await scenario('missingBreakGlassExclusion');
      expect(required()).toEqual([true, false, true]);
      await scenario('allUsersMfa');
      expect(required()).toEqual([true, true, false]);
    } finally {
      await scenario('default');
      state.removeGroupMember(manifest.groups.mfaRequired, breakGlass);
      state.removeGroupMember(manifest.groups.mfaRequired, member);
    }
  });

  it('asks a member of the phishing-resistant group for a passkey: an SMS phone does not meet the strength', async () => {
    const state = t.sandbox.state;
    const { manifest } = t.sandbox;
    const withPhone = manifest.users.find((user) => user.category === 'hasPhoneMethod')?.id ?? '';
    const breakGlass = manifest.breakGlass[0]?.id ?? '';
    state.addGroupMembers(manifest.groups.phishingResistant, [withPhone, breakGlass]);
    try {
      expect(state.conditionalAccessOutcome(withPhone)).toBe('mfaUnsatisfiable');
      expect(state.conditionalAccessOutcome(breakGlass)).toBe('notApplied');
      await scenario('phishingResistantWrongStrength');
      expect(state.conditionalAccessOutcome(withPhone)).toBe('mfa');
    } finally {
      await scenario('default');
      state.removeGroupMember(manifest.groups.phishingResistant, withPhone);
      state.removeGroupMember(manifest.groups.phishingResistant, breakGlass);
    }
  });

  it('throttles at 1 request per second per tenant with 429 TooManyRequests and no Retry-After', async () => {
    const token = await t.token();
    await scenario('default', true);
    t.sandbox.state.limits.conditionalAccess.reset();
    expect((await list()).length).toBe(2);
    const raw = await rawGraph(t, `/v1.0${policies}`, { token });
    const throttled = await caught(t.client.api(policies).get());
    expect([raw.status, raw.headers.get('retry-after')]).toEqual([429, null]);
    expect([throttled.statusCode, throttled.code, throttled.message]).toEqual([429, 'TooManyRequests', 'Please retry again later.']);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await list()).length).toBe(2);
    await scenario('default', false);
  });

  it('needs Policy.Read.All in the token', async () => {
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'Policy.Read.All'));
      const denied = await withFreshClient(t, (client) => caught(client.api(policies).get()));
      expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied']);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
