import { afterEach, describe, expect, it } from '@jest/globals';
import { readMethodsPolicy, writeCampaign, writeMethodConfiguration } from '../../../shared/adapters/graph/methodsPolicy.js';
import { readSecurityDefaults } from '../../../shared/adapters/graph/securityDefaults.js';
import { defaultAppRoles } from '../../../sandbox/auth/graphPermissions.js';
import { useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 40, seed: 21 });

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the read to fail');
}

describe('the methods policy and security defaults adapters', () => {
  afterEach(() => {
    harness().sandbox.traffic.clearFaults();
    harness().sandbox.controls.setRoles(defaultAppRoles);
    harness().sandbox.controls.setMethodsPolicy({ scenario: 'default' });
  });

  it('reads the five configurations, the campaign, the migration state and the size', async () => {
    const policy = await readMethodsPolicy(harness().gateway());
    expect(policy.policyMigrationState).toBe('migrationComplete');
    expect(policy.methods.sms).toEqual({ enabled: true, includeTargets: [{ id: 'all_users', targetType: 'group', isRegistrationRequired: false, isUsableForSignIn: false }], excludeTargets: [] });
    expect(policy.methods.voice).toMatchObject({ enabled: false });
    expect(policy.methods.fido2).toMatchObject({ enabled: true, selfServiceRegistration: true, passkeyProfiles: 1, includeTargets: [{ id: 'all_users', allowedPasskeyProfiles: ['00000000-0000-0000-0000-000000000001'] }] });
    expect(policy.methods.microsoftAuthenticator?.includeTargets).toEqual([{ id: 'all_users', targetType: 'group', isRegistrationRequired: false, authenticationMode: 'any' }]);
    expect(policy.methods.temporaryAccessPass).toMatchObject({ enabled: true, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, isUsableOnce: false });
    expect(policy.campaign).toEqual({
      state: 'default',
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'fido2' }],
      excludeTargets: [],
    });
    expect(policy.serializedBytes).toBeGreaterThan(harness().sandbox.controls.methodsPolicy().serializedBytes);
    expect(policy.serializedBytes).toBeLessThan(20 * 1024);
  });

  it.each([
    ['missingField', 'authenticationMethodConfigurations.Fido2.isSelfServiceRegistrationAllowed'],
    ['wrongType', 'authenticationMethodConfigurations.Sms.includeTargets'],
    ['wrongType', 'registrationEnforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays'],
    ['missingField', 'registrationEnforcement'],
    ['wrongType', 'authenticationMethodConfigurations.TemporaryAccessPass.maximumLifetimeInMinutes'],
  ])('names the field of a malformed answer (%s %s) as GRAPH_MALFORMED_RESPONSE', async (shape, field) => {
    harness().addFault({ kind: 'malformed', shape, field, operations: ['methodsPolicy.read'], count: 1 });
    const error = await failure(readMethodsPolicy(harness().gateway()));
    expect(error.code).toBe('GRAPH_MALFORMED_RESPONSE');
    expect(error.message).toContain(`methodsPolicy.read: Graph's answer has an unexpected '${field}`);
  });

  it('reads a configuration missing from the list as null, and ignores methods it does not know', async () => {
    harness().addFault({ kind: 'malformed', shape: 'missingField', field: 'authenticationMethodConfigurations.Voice', operations: ['methodsPolicy.read'], count: 1 });
    const policy = await readMethodsPolicy(harness().gateway());
    expect(policy.methods.voice).toBeNull();
    expect(policy.methods.sms).not.toBeNull();
  });

  it('refuses a campaign state that is not a string', async () => {
    harness().addFault({ kind: 'malformed', shape: 'wrongType', field: 'registrationEnforcement.authenticationMethodsRegistrationCampaign.state', operations: ['methodsPolicy.read'], count: 1 });
    const error = await failure(readMethodsPolicy(harness().gateway()));
    expect(error.message).toContain("'registrationEnforcement.authenticationMethodsRegistrationCampaign.state'");
  });

  it('needs Policy.Read.All (or a methods-policy permission) and says which', async () => {
    harness().sandbox.controls.setRoles(['User.Read.All']);
    const error = await failure(readMethodsPolicy(harness().gateway()));
    expect(error.code).toBe('GRAPH_PERMISSION_MISSING');
    expect(error.message).toContain('methodsPolicy.read needs the Graph application permission Policy.Read.All');
  });

  it('reads security defaults, and a malformed answer is named', async () => {
    await expect(readSecurityDefaults(harness().gateway())).resolves.toEqual({ isEnabled: false });
    harness().sandbox.controls.setMethodsPolicy({ scenario: 'securityDefaultsOn' });
    await expect(readSecurityDefaults(harness().gateway())).resolves.toEqual({ isEnabled: true });
    harness().addFault({ kind: 'malformed', shape: 'wrongType', field: 'isEnabled', operations: ['securityDefaults.read'], count: 1 });
    expect((await failure(readSecurityDefaults(harness().gateway()))).message).toContain("securityDefaults.read: Graph's answer has an unexpected 'isEnabled'");
  });

  it('writes the campaign and a configuration: the sandbox tenant holds what was written', async () => {
    const { campaign, phoneRetired } = harness().manifest.groups;
    const gateway = harness().gateway();
    const since = harness().mark();
    await writeCampaign(gateway, { state: 'enabled', includeTargets: [{ id: campaign, targetType: 'group', targetedAuthenticationMethod: 'fido2' }] });
    await writeMethodConfiguration(gateway, 'sms', { excludeTargets: [{ id: phoneRetired, targetType: 'group' }] });
    const policy = harness().sandbox.state.methodsPolicy();
    expect(policy.registrationEnforcement.authenticationMethodsRegistrationCampaign).toMatchObject({ state: 'enabled', snoozeDurationInDays: 1, includeTargets: [{ id: campaign, targetedAuthenticationMethod: 'fido2' }] });
    expect(policy.authenticationMethodConfigurations.Sms.excludeTargets).toEqual([{ id: phoneRetired, targetType: 'group' }]);
    expect(since().journal.map((entry) => [entry.operation, entry.status])).toEqual([
      ['methodsPolicy.update', 200],
      ['methodConfigurations.update', 204],
    ]);
  });
});
