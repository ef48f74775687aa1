import type { ConditionalAccessPolicy, ConditionalAccessScenario, ConditionalAccessUsers } from '../tenant/tenantModel.js';

/** The ids a scenario's policies refer to: fixed per generated tenant. */
export interface ConditionalAccessIds {
  readonly rolloutPolicyId: string;
  readonly allUsersPolicyId: string;
  readonly mfaRequiredGroupId: string;
  readonly breakGlassIds: readonly string[];
}

const createdDateTime = '2025-06-02T08:30:00Z';

const noUsers: ConditionalAccessUsers = { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] };

/**
 * The Conditional Access policies of a named scenario. `default`: one enabled "Require MFA — rollout group" that
 * includes the MFA Required group, excludes both break-glass accounts by id and grants `mfa`. The other scenarios
 * change that one policy (`reportOnly`, `disabled`, `missingBreakGlassExclusion`, `noMfaGrant`: compliant or
 * domain-joined device instead of MFA), add "Require MFA — all users" (`allUsersMfa`, the per-user/CA overlap), or
 * remove every policy (`none`). `modifiedDateTime` is null for the generated set and the switch time otherwise.
 */
export function conditionalAccessPolicies(scenario: ConditionalAccessScenario, ids: ConditionalAccessIds, modifiedDateTime: string | null): ConditionalAccessPolicy[] {
  const rollout: ConditionalAccessPolicy = {
    id: ids.rolloutPolicyId,
    displayName: 'Require MFA — rollout group',
    state: 'enabled',
    createdDateTime,
    modifiedDateTime,
    users: { ...noUsers, includeGroups: [ids.mfaRequiredGroupId], excludeUsers: [...ids.breakGlassIds] },
    builtInControls: ['mfa'],
    grantOperator: 'OR',
  };
  switch (scenario) {
    case 'default':
      return [rollout];
    case 'reportOnly':
      return [{ ...rollout, state: 'enabledForReportingButNotEnforced' }];
    case 'disabled':
      return [{ ...rollout, state: 'disabled' }];
    case 'missingBreakGlassExclusion':
      return [{ ...rollout, users: { ...rollout.users, excludeUsers: [] } }];
    case 'noMfaGrant':
      return [{ ...rollout, builtInControls: ['compliantDevice', 'domainJoinedDevice'] }];
    case 'allUsersMfa':
      return [
        rollout,
        {
          ...rollout,
          id: ids.allUsersPolicyId,
          displayName: 'Require MFA — all users',
          users: { ...noUsers, includeUsers: ['All'], excludeUsers: [...ids.breakGlassIds] },
        },
      ];
    case 'none':
      return [];
  }
}
