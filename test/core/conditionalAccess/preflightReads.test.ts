import { describe, expect, it } from '@jest/globals';
import type { CaPolicy } from '../../../shared/core/conditionalAccess/caPolicy.js';
import { preflightReads } from '../../../shared/core/conditionalAccess/preflightReads.js';

const policy = (id: string, users: Partial<CaPolicy['users']>, change: Partial<CaPolicy> = {}): CaPolicy => ({
  id, displayName: id, state: 'enabled',
  users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestTypes: [], excludeGuestTypes: [], ...users },
  applications: { include: ['All'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] },
  clientAppTypes: ['all'], platforms: null, locations: null, signInRiskLevels: [], userRiskLevels: [], otherConditions: [],
  grantControls: { operator: 'OR', builtInControls: ['mfa'], termsOfUse: [], customAuthenticationFactors: [], authenticationStrength: null },
  ...change,
});

describe('preflightReads', () => {
  const policies = [
    policy('everyone', { includeUsers: ['All'], excludeGroups: ['G-EXCLUDED'], excludeRoles: ['R-EXCLUDED'] }),
    policy('admins', { includeRoles: ['R-ADMIN'], includeGroups: ['g-admins'] }),
    policy('one app', { includeGroups: ['g-app'] }, { applications: { include: ['app'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] } }),
    policy('report only', { includeGroups: ['g-report'] }, { state: 'enabledForReportingButNotEnforced' }),
    policy('mfa group', { includeGroups: ['mfa'], excludeGroups: ['g-bg', 'mfa'], excludeRoles: ['r-bg'] }),
    policy('passkeys', { includeGroups: ['pk'], excludeGroups: ['g-pk'] }),
    policy('disabled on the group', { includeGroups: ['mfa'], excludeGroups: ['g-disabled'] }, { state: 'disabled' }),
  ];

  it('perUserMfa: the groups and roles of enabled policies that could require MFA everywhere, not the own phishing-resistant one', () => {
    expect(preflightReads(policies, { strategy: 'perUserMfa', caGroupId: undefined, acknowledgeCaOverlap: false, phishingResistantGroupId: 'PK' })).toEqual({
      groupIds: ['g-admins', 'g-bg', 'g-excluded', 'g-pk', 'mfa'],
      roleIds: ['r-admin', 'r-bg', 'r-excluded'],
    });
  });

  it('conditionalAccessGroup: only the exclusions of the policies on the group (never the group itself)', () => {
    expect(preflightReads(policies, { strategy: 'conditionalAccessGroup', caGroupId: 'MFA', acknowledgeCaOverlap: false })).toEqual({ groupIds: ['g-bg'], roleIds: ['r-bg'] });
  });
});
