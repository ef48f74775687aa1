import { describe, expect, it } from '@jest/globals';
import { toCaPolicy } from '../../shared/adapters/graph/toCaPolicy.js';
import { mfaCoverage, requiresMfaEverywhere } from '../../shared/core/conditionalAccess/mfaCoverage.js';
import type { CaSubject } from '../../shared/core/conditionalAccess/policyTargets.js';
import { isRolloutError } from '../../shared/errors/RolloutError.js';
import { documentedStrengths, policyScenarios, refusedPolicies, scenarioUserLists, type PolicyScenario, type ScenarioPolicy } from './policyScenarios.js';

const guests = (types: string | undefined) => (types === undefined ? null : { guestOrExternalUserTypes: types, externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' } });

/** The table's policy as `GET /identity/conditionalAccess/policies` returns it (docs/graph-behaviour.md#conditional-access). */
function graphPolicy(policy: ScenarioPolicy): Record<string, unknown> {
  const users = policy.users ?? {};
  const strength = policy.strength === undefined ? null : typeof policy.strength === 'string' ? { ...documentedStrengths[policy.strength], policyType: 'builtIn', requirementsSatisfied: 'mfa' } : { ...policy.strength, description: '', policyType: 'custom', requirementsSatisfied: 'mfa' };
  return {
    id: '4f1e2d3c-0000-4000-8000-00000000a001',
    templateId: null,
    displayName: 'scenario',
    createdDateTime: '2025-06-02T08:30:00Z',
    modifiedDateTime: null,
    state: policy.state ?? 'enabled',
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: policy.signInRiskLevels ?? [],
      clientAppTypes: policy.clientAppTypes ?? ['all'],
      servicePrincipalRiskLevels: [],
      platforms: policy.platforms === undefined ? null : { includePlatforms: policy.platforms.include, excludePlatforms: policy.platforms.exclude },
      locations: policy.locations === undefined ? null : { includeLocations: policy.locations.include, excludeLocations: policy.locations.exclude },
      devices: null,
      clientApplications: null,
      applications: { includeApplications: policy.includeApplications ?? ['All'], excludeApplications: policy.excludeApplications ?? [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
      users: {
        ...scenarioUserLists(policy),
        includeGuestsOrExternalUsers: guests(users.includeGuestTypes),
        excludeGuestsOrExternalUsers: guests(users.excludeGuestTypes),
      },
    },
    grantControls: {
      operator: policy.operator ?? 'OR',
      builtInControls: policy.builtInControls ?? (strength === null ? ['mfa'] : []),
      customAuthenticationFactors: [],
      termsOfUse: [],
      'authenticationStrength@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies(\'4f1e2d3c-0000-4000-8000-00000000a001\')/grantControls/authenticationStrength/$entity',
      authenticationStrength: strength === null ? null : { ...strength, createdDateTime: '2021-12-01T08:00:00Z', modifiedDateTime: '2021-12-01T08:00:00Z', combinationConfigurations: [] },
    },
  };
}

function coverageOf(row: PolicyScenario) {
  const { policy } = toCaPolicy(graphPolicy(row.policy), 1);
  const user = row.user ?? { kind: 'member' };
  const subject: CaSubject = {
    id: 'user-1',
    userType: user.kind === 'guest' ? 'Guest' : 'Member',
    holdsRole: (roleId) => (user.roles ?? []).includes(roleId),
    isMemberOf: (groupId) => (user.groups ?? []).includes(groupId),
  };
  return mfaCoverage(policy, subject);
}

describe("the product's Conditional Access rule against the scenario table", () => {
  it.each(policyScenarios.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const coverage = coverageOf(row);
    expect(requiresMfaEverywhere(coverage)).toBe(row.requiresMfaEverywhere);
    if (row.smsPhoneSatisfies !== undefined) expect(coverage.grant.kind === 'mfa' && coverage.grant.smsPhoneSatisfies).toBe(row.smsPhoneSatisfies);
  });

  it.each(refusedPolicies.map((row) => [row.name, row] as const))('reads a policy Graph refuses to store as malformed, naming it: %s', (_name, row) => {
    const caught = (() => {
      try {
        toCaPolicy(graphPolicy(row.policy), 1);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(isRolloutError(caught) && [caught.code, caught.message]).toEqual([
      'GRAPH_MALFORMED_RESPONSE',
      "conditionalAccess.list: Conditional Access policy 4f1e2d3c-0000-4000-8000-00000000a001 'scenario' grants both 'mfa' and an authentication strength, which Graph refuses to store (docs/graph-behaviour.md#conditional-access)",
    ]);
  });
});
