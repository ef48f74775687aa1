import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { documentedStrengths } from '../conditionalAccess/policyScenarios.js';
import { caught } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const collection = '/policies/authenticationStrengthPolicies';
const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('authentication strengths', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 30, seed: 5, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the three built-ins exactly as the v1.0 example documents them', async () => {
    const { origin } = t.sandbox;
    const answer = (await t.client.api(collection).get()) as Record<string, unknown>;
    expect(answer).toEqual({
      '@odata.context': `${origin}/v1.0/$metadata#policies/authenticationStrengthPolicies`,
      value: Object.values(documentedStrengths).map((strength) => ({
        id: strength.id,
        createdDateTime: '2021-12-01T00:00:00Z',
        modifiedDateTime: '2021-12-01T00:00:00Z',
        displayName: strength.displayName,
        description: strength.description,
        policyType: 'builtIn',
        requirementsSatisfied: 'mfa',
        allowedCombinations: [...strength.allowedCombinations],
        'combinationConfigurations@odata.context': `${origin}/v1.0/$metadata#policies/authenticationStrengthPolicies('${strength.id}')/combinationConfigurations`,
        combinationConfigurations: [],
      })),
    });
  });

  it('adds the custom strengths of the scenario in force, gets one by id, and answers 404 for an unknown one', async () => {
    await t.raw('/_sandbox/conditionalAccess', json({ scenario: 'customStrengthWithoutSms' }));
    try {
      const names = ((await t.client.api(collection).get()) as { value: { displayName: string; policyType: string }[] }).value.map((strength) => [strength.displayName, strength.policyType]);
      expect(names).toEqual([['Multifactor authentication', 'builtIn'], ['Passwordless MFA', 'builtIn'], ['Phishing resistant MFA', 'builtIn'], ['Contoso app or key', 'custom']]);
      const one = (await t.client.api(`${collection}/${documentedStrengths.phishingResistant.id}`).get()) as Record<string, unknown>;
      expect(one).toMatchObject({ '@odata.context': `${t.sandbox.origin}/v1.0/$metadata#policies/authenticationStrengthPolicies/$entity`, displayName: 'Phishing resistant MFA' });
      const missing = await caught(t.client.api(`${collection}/00000000-0000-0000-0000-000000000009`).get());
      expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
    } finally {
      await t.raw('/_sandbox/conditionalAccess', json({ scenario: 'default' }));
    }
  });

  it('does not model $filter', async () => {
    const refused = await caught(t.client.api(collection).filter("policyType eq 'builtIn'").get());
    expect([refused.statusCode, refused.code]).toEqual([400, 'SandboxNotModelled']);
  });

  it('opens with Policy.Read.AuthenticationMethod (least privileged) or Policy.Read.All, and refuses a token with neither', async () => {
    const withRoles = async (roles: readonly string[]) => {
      t.sandbox.controls.setRoles(roles);
      return withFreshClient(t, (client) => client.api(collection).get().then(() => 200, (error: { statusCode: number }) => error.statusCode));
    };
    try {
      const others = defaultAppRoles.filter((role) => role !== 'Policy.Read.All' && role !== 'Policy.ReadWrite.AuthenticationMethod');
      expect(await withRoles([...others, 'Policy.Read.AuthenticationMethod'])).toBe(200);
      expect(await withRoles([...others, 'Policy.Read.All'])).toBe(200);
      expect(await withRoles(others)).toBe(403);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
