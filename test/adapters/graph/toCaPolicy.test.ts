import { describe, expect, it } from '@jest/globals';
import { toCaPolicy } from '../../../shared/adapters/graph/toCaPolicy.js';
import { isRolloutError } from '../../../shared/errors/RolloutError.js';

/** A policy as the v1.0 list returns it (docs/graph-behaviour.md#conditional-access), with `change` merged in. */
const wire = (change: Record<string, unknown> = {}, conditions: Record<string, unknown> = {}, grant: Record<string, unknown> | null = {}): Record<string, unknown> => ({
  id: '7e2c9a41-0000-4000-8000-000000000001', templateId: null, displayName: 'Require MFA', createdDateTime: '2025-06-02T08:30:00Z', modifiedDateTime: null, state: 'enabled', sessionControls: null,
  conditions: {
    userRiskLevels: [], signInRiskLevels: [], clientAppTypes: ['all'], servicePrincipalRiskLevels: [], platforms: null, locations: null, devices: null, clientApplications: null,
    applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
    users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null },
    ...conditions,
  },
  grantControls: grant === null ? null : { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], 'authenticationStrength@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#…/$entity', authenticationStrength: null, ...grant },
  ...change,
});

function failure(item: unknown, position = 1): [string, string] | undefined {
  try {
    toCaPolicy(item, position);
  } catch (error) {
    return isRolloutError(error) ? [error.code, error.message] : ['not a RolloutError', String(error)];
  }
  return undefined;
}

describe('toCaPolicy', () => {
  it('reads the fields the preflight decides on', () => {
    const { policy, unexpandedStrengthId } = toCaPolicy(
      wire({}, {
        users: { includeUsers: [], excludeUsers: ['u1'], includeGroups: ['g1'], excludeGroups: ['g2'], includeRoles: ['r1'], excludeRoles: [], includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest', externalTenants: { membershipKind: 'all' } }, excludeGuestsOrExternalUsers: null },
        locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
        devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } },
      }, { operator: 'and', builtInControls: ['mfa', 'riskRemediation'] }),
      1,
    );
    expect(unexpandedStrengthId).toBeNull();
    expect(policy).toEqual({
      id: '7e2c9a41-0000-4000-8000-000000000001', displayName: 'Require MFA', state: 'enabled',
      users: { includeUsers: [], excludeUsers: ['u1'], includeGroups: ['g1'], excludeGroups: ['g2'], includeRoles: ['r1'], excludeRoles: [], includeGuestTypes: ['internalGuest', 'b2bCollaborationGuest'], excludeGuestTypes: [] },
      applications: { include: ['All'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] },
      clientAppTypes: ['all'], platforms: null, locations: { include: ['All'], exclude: ['AllTrusted'] }, signInRiskLevels: [], userRiskLevels: [], otherConditions: ['devices'],
      grantControls: { operator: 'AND', builtInControls: ['mfa', 'riskRemediation'], termsOfUse: [], customAuthenticationFactors: [], authenticationStrength: null },
    });
  });

  it('reads a policy with session controls only as one without grant controls', () => {
    expect(toCaPolicy(wire({}, {}, null), 1).policy.grantControls).toBeNull();
  });

  it('hands back the id of a strength Graph sent without its combinations', () => {
    const read = toCaPolicy(wire({}, {}, { builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } }), 1);
    expect([read.unexpandedStrengthId, read.policy.grantControls?.authenticationStrength]).toEqual(['00000000-0000-0000-0000-000000000004', null]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown state', wire({ state: 'on' }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' has an unexpected 'state'"],
    ['no conditions', wire({ conditions: null }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' has an unexpected 'conditions'"],
    ['controls as a string', wire({}, {}, { builtInControls: 'mfa' }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' has an unexpected 'grantControls.builtInControls'"],
    ['users of the wrong type', wire({}, { users: { includeUsers: 'All' } }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' has an unexpected 'conditions.users.includeUsers'"],
    ['an operator that is neither AND nor OR', wire({}, {}, { operator: 'XOR', builtInControls: ['mfa', 'compliantDevice'] }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' has an unexpected 'grantControls.operator' (expected AND or OR)"],
    ['mfa and a strength', wire({}, {}, { authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' } }), "policy 7e2c9a41-0000-4000-8000-000000000001 'Require MFA' grants both 'mfa' and an authentication strength, which Graph refuses to store"],
    ['no id', wire({ id: undefined }), "entry 3 of the list (no readable id) 'Require MFA' has an unexpected 'id'"],
  ])('refuses %s as GRAPH_MALFORMED_RESPONSE naming the policy', (_name, item, detail) => {
    const [code, message] = failure(item, 3) ?? [];
    expect(code).toBe('GRAPH_MALFORMED_RESPONSE');
    expect(message).toContain(`conditionalAccess.list: Conditional Access ${detail}`);
  });

  it('names an entry that is not even an object by its place in the list', () => {
    expect(failure(42, 5)).toEqual(['GRAPH_MALFORMED_RESPONSE', "conditionalAccess.list: Conditional Access entry 5 of the list (no readable id) has an unexpected 'body' (Invalid input: expected object, received number)"]);
  });
});
