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
    applications: { includeApplications: string[] };
    clientAppTypes: string[];
  };
  grantControls: { operator: string; builtInControls: string[] };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const policies = '/identity/conditionalAccess/policies';

describe('Conditional Access policies', () => {
  let t: TestSandbox;
  const scenario = async (name: ConditionalAccessScenario, throttled = false): Promise<void> => {
    const answer = await t.raw('/_sandbox/conditionalAccess', json({ scenario: name, throttled }));
    expect(answer.status).toBe(200);
  };
  const list = async (): Promise<Policy[]> => ((await t.client.api(policies).get()) as { value: Policy[] }).value;

  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 31, faults: { latency: false } });
    await t.raw('/_sandbox/conditionalAccess', json({ throttled: false }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the generated policy: enabled, MFA Required group in, both break-glass accounts out, grant mfa', async () => {
    const { manifest } = t.sandbox;
    const answer = (await t.client.api(policies).get()) as { '@odata.context': string; value: Policy[] };
    expect(answer['@odata.context']).toBe(`${t.sandbox.origin}/v1.0/$metadata#identity/conditionalAccess/policies`);
    expect(answer.value).toHaveLength(1);
    expect(answer.value[0]).toMatchObject({
      id: manifest.conditionalAccess.rolloutPolicyId,
      displayName: 'Require MFA — rollout group',
      state: 'enabled',
      conditions: {
        users: {
          includeUsers: [],
          excludeUsers: manifest.breakGlass.map((account) => account.id),
          includeGroups: [manifest.groups.mfaRequired],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [],
        },
        applications: { includeApplications: ['All'] },
        clientAppTypes: ['all'],
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'] },
    });
    expect(manifest.breakGlass).toHaveLength(2);
  });

  it('gets one policy by id, honours $select, and answers 404 for an unknown id', async () => {
    const id = t.sandbox.manifest.conditionalAccess.rolloutPolicyId;
    const one = (await t.client.api(`${policies}/${id}`).get()) as Policy;
    expect(one).toMatchObject({ id, state: 'enabled' });
    const selected = (await t.client.api(policies).select(['id', 'state']).get()) as { value: unknown[] };
    expect(selected.value).toEqual([{ id, state: 'enabled' }]);
    const missing = await caught(t.client.api(`${policies}/00000000-0000-4000-8000-000000000001`).get());
    expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('switches scenarios through the admin API', async () => {
    const { manifest } = t.sandbox;
    await scenario('reportOnly');
    expect((await list()).map((policy) => policy.state)).toEqual(['enabledForReportingButNotEnforced']);
    await scenario('disabled');
    expect((await list()).map((policy) => policy.state)).toEqual(['disabled']);
    await scenario('missingBreakGlassExclusion');
    expect((await list()).map((policy) => [policy.state, policy.conditions.users.excludeUsers])).toEqual([['enabled', []]]);
    await scenario('noMfaGrant');
    expect((await list())[0]?.grantControls.builtInControls).not.toContain('mfa');
    await scenario('allUsersMfa');
    const overlap = await list();
    expect(overlap.map((policy) => [policy.id, policy.state, policy.conditions.users.includeUsers, policy.grantControls.builtInControls])).toEqual([
      [manifest.conditionalAccess.rolloutPolicyId, 'enabled', [], ['mfa']],
      [manifest.conditionalAccess.allUsersPolicyId, 'enabled', ['All'], ['mfa']],
    ]);
    await scenario('none');
    expect(await list()).toEqual([]);
    const bad = await t.raw('/_sandbox/conditionalAccess', json({ scenario: 'everyone' }));
    expect([bad.status, (bad.json as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);
    await scenario('default');
    expect((await t.raw('/_sandbox/conditionalAccess')).json).toMatchObject({ scenario: 'default', throttled: false, policies: [{ state: 'enabled' }] });
  });

  it('decides who must do MFA from the enforced policies: group members unless report-only, disabled or without an mfa grant', async () => {
    const state = t.sandbox.state;
    const { manifest } = t.sandbox;
    const [member = '', outsider = ''] = manifest.users.filter((user) => user.category === 'ready').map((user) => user.id);
    const [breakGlass = ''] = manifest.breakGlass.map((account) => account.id);
    state.addGroupMembers(manifest.groups.mfaRequired, [member, breakGlass]);
    const required = () => [state.mfaRequired(member), state.mfaRequired(outsider), state.mfaRequired(breakGlass)];
    expect(required()).toEqual([true, false, false]);
    for (const name of ['reportOnly', 'disabled', 'noMfaGrant', 'none'] as const) {
      await scenario(name);
      expect(required()).toEqual([false, false, false]);
    }
    await scenario('missingBreakGlassExclusion');
    expect(required()).toEqual([true, false, true]);
    await scenario('allUsersMfa');
    expect(required()).toEqual([true, true, false]);
    await scenario('default');
    state.removeGroupMember(manifest.groups.mfaRequired, breakGlass);
    state.removeGroupMember(manifest.groups.mfaRequired, member);
  });

  it('throttles at 1 request per second per tenant with 429 TooManyRequests and no Retry-After', async () => {
    const token = await t.token();
    await scenario('default', true);
    t.sandbox.state.limits.conditionalAccess.reset();
    expect((await list()).length).toBe(1);
    const raw = await rawGraph(t, `/v1.0${policies}/${t.sandbox.manifest.conditionalAccess.rolloutPolicyId}`, { token });
    const throttled = await caught(t.client.api(policies).get());
    expect([raw.status, raw.headers.get('retry-after')]).toEqual([429, null]);
    expect([throttled.statusCode, throttled.code, throttled.message]).toEqual([429, 'TooManyRequests', 'Please retry again later.']);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect((await list()).length).toBe(1);
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
