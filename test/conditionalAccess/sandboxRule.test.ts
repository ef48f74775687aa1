import { describe, expect, it } from '@jest/globals';
import { builtInStrengths } from '../../sandbox/conditionalAccess/authenticationStrengths.js';
import { caOutcome, type PolicySubject, type SignInContext } from '../../sandbox/conditionalAccess/caOutcome.js';
import { customPolicySet } from '../../sandbox/conditionalAccess/customPolicySet.js';
import { customStrengthsOf, documentedStrengths, exchangeOnline, policyScenarios, refusedPolicies, scenarioUserLists, strengthId, type PolicyScenario, type ScenarioPolicy } from './policyScenarios.js';

/** The table's policy in the sandbox admin API's words (the way a test or an admin sets a custom policy set). */
function adminPolicy(policy: ScenarioPolicy): Record<string, unknown> {
  const users = policy.users ?? {};
  return {
    displayName: 'scenario',
    state: policy.state ?? 'enabled',
    users: {
      ...scenarioUserLists(policy),
      includeGuestsOrExternalUsers: users.includeGuestTypes ?? null,
      excludeGuestsOrExternalUsers: users.excludeGuestTypes ?? null,
    },
    includeApplications: policy.includeApplications ?? ['All'],
    excludeApplications: policy.excludeApplications ?? [],
    clientAppTypes: policy.clientAppTypes ?? ['all'],
    platforms: policy.platforms === undefined ? null : { includePlatforms: policy.platforms.include, excludePlatforms: policy.platforms.exclude },
    locations: policy.locations === undefined ? null : { includeLocations: policy.locations.include, excludeLocations: policy.locations.exclude },
    signInRiskLevels: policy.signInRiskLevels ?? [],
    builtInControls: policy.builtInControls ?? (policy.strength === undefined ? ['mfa'] : []),
    grantOperator: policy.operator ?? 'OR',
    ...(policy.strength === undefined ? {} : { authenticationStrengthId: strengthId(policy.strength) }),
  };
}

const modeOf = { sms: ['sms', 'voice'], authenticator: ['microsoftAuthenticatorPush'], fido2: ['fido2'] } as const;

function outcomeOf(row: PolicyScenario) {
  const set = customPolicySet([adminPolicy(row.policy)], customStrengthsOf(row.policy), '2026-12-01T00:00:00Z');
  const strengths = [...builtInStrengths, ...set.customStrengths];
  const user = row.user ?? { kind: 'member' };
  const subject: PolicySubject = { id: 'user-1', isGuest: user.kind === 'guest', roles: user.roles ?? [], isMemberOf: (groupId) => (user.groups ?? []).includes(groupId) };
  const signIn: SignInContext = {
    appId: row.signIn?.app ?? exchangeOnline,
    clientAppType: row.signIn?.client ?? 'browser',
    platform: row.signIn?.platform ?? 'windows',
    locationIds: [],
    trustedLocation: row.signIn?.trustedLocation ?? false,
    compliantDevice: row.signIn?.compliantDevice ?? false,
    domainJoinedDevice: false,
    signInRisk: row.signIn?.signInRisk ?? 'none',
    userRisk: 'none',
    methodModes: ['password', ...(row.signIn?.methods ?? ['sms']).flatMap((method) => modeOf[method])],
  };
  return caOutcome(set.policies, subject, signIn, (id) => strengths.find((strength) => strength.id === id));
}

describe("the sandbox's Conditional Access rule against the scenario table", () => {
  it.each(policyScenarios.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    expect(outcomeOf(row)).toBe(row.atSignIn);
  });

  it.each(refusedPolicies.map((row) => [row.name, row] as const))('refuses to store a policy Graph refuses: %s', (_name, row) => {
    expect(() => customPolicySet([adminPolicy(row.policy)], customStrengthsOf(row.policy), '2026-12-01T00:00:00Z')).toThrow(
      "conditionalAccess: policies[0]: 'mfa' and an authentication strength can't be used together in the same Conditional Access policy",
    );
  });

  it('serves the three built-in strengths exactly as documented', () => {
    expect(builtInStrengths.map(({ id, displayName, description, allowedCombinations, policyType, requirementsSatisfied }) => ({ id, displayName, description, allowedCombinations, policyType, requirementsSatisfied }))).toEqual(
      Object.values(documentedStrengths).map((strength) => ({ ...strength, allowedCombinations: [...strength.allowedCombinations], policyType: 'builtIn', requirementsSatisfied: 'mfa' })),
    );
  });

  it('the table is coherent: a row requiring MFA everywhere demands MFA (or blocks) at its sign-in', () => {
    for (const row of policyScenarios.filter((candidate) => candidate.requiresMfaEverywhere)) expect([row.name, ['mfa', 'mfaUnsatisfiable', 'blocked'].includes(row.atSignIn)]).toEqual([row.name, true]);
  });
});
