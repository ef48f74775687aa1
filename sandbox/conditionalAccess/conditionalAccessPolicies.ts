import { globalAdministratorRoleId, type AuthenticationStrengthPolicy, type ConditionalAccessPolicy, type ConditionalAccessScenario, type ConditionalAccessUsers } from '../tenant/tenantModel.js';
import { builtInStrengthIds } from './authenticationStrengths.js';

/** The ids a scenario's policies refer to: fixed per generated tenant. */
export interface ConditionalAccessIds {
  readonly rolloutPolicyId: string;
  readonly allUsersPolicyId: string;
  readonly phishingResistantPolicyId: string;
  readonly mfaRequiredGroupId: string;
  readonly phishingResistantGroupId: string;
  readonly breakGlassIds: readonly string[];
}

/** A scenario's policies and the custom authentication strengths they use. */
export interface ConditionalAccessSet {
  readonly policies: readonly ConditionalAccessPolicy[];
  readonly customStrengths: readonly AuthenticationStrengthPolicy[];
}

const createdDateTime = '2025-06-02T08:30:00Z';

/** Exchange Online: the one app of the `oneApp` scenarios. SharePoint Online: the app `excludedApp` leaves out. */
export const exchangeOnlineAppId = '00000002-0000-0ff1-ce00-000000000000';
export const sharePointOnlineAppId = '00000003-0000-0ff1-ce00-000000000000';

export const noUsers: ConditionalAccessUsers = {
  includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestsOrExternalUsers: null, excludeGuestsOrExternalUsers: null,
};

/** A policy on all cloud apps and client apps with no other condition, granting `mfa`: what a scenario changes. */
export function allAppsPolicy(fields: Pick<ConditionalAccessPolicy, 'id' | 'displayName' | 'users'> & Partial<ConditionalAccessPolicy>): ConditionalAccessPolicy {
  return {
    state: 'enabled', createdDateTime, modifiedDateTime: null, includeApplications: ['All'], excludeApplications: [], clientAppTypes: ['all'], platforms: null, locations: null,
    signInRiskLevels: [], userRiskLevels: [], builtInControls: ['mfa'], grantOperator: 'OR', authenticationStrengthId: null, ...fields,
  };
}

const customStrength = (id: string, displayName: string, allowedCombinations: readonly string[]): AuthenticationStrengthPolicy => ({
  id, displayName, description: '', policyType: 'custom', requirementsSatisfied: 'mfa', allowedCombinations, createdDateTime, modifiedDateTime: createdDateTime,
});

/** The custom strengths of the `customStrength…` scenarios (ids fixed: one per tenant in real life). */
export const customStrengths = {
  withSms: customStrength('7c1f5a3e-3f2b-4d6e-9a41-5b0e2d8c6f10', 'Contoso MFA (SMS allowed)', ['password,sms', 'password,microsoftAuthenticatorPush', 'fido2']),
  withoutSms: customStrength('9e4b2c71-8d3a-4f5e-b6c2-1a7d9e0f3b24', 'Contoso app or key', ['password,microsoftAuthenticatorPush', 'fido2', 'windowsHelloForBusiness']),
} as const;

type Change = (rollout: ConditionalAccessPolicy, phishingResistant: ConditionalAccessPolicy, ids: ConditionalAccessIds) => ConditionalAccessPolicy[];

const withStrength = (strengthId: string) => (rollout: ConditionalAccessPolicy, other: ConditionalAccessPolicy): ConditionalAccessPolicy[] => [{ ...rollout, builtInControls: [], authenticationStrengthId: strengthId }, other];

/** How each scenario changes the default pair (rollout-group policy, phishing-resistant policy). */
const changes: Readonly<Record<ConditionalAccessScenario, Change>> = {
  default: (rollout, other) => [rollout, other],
  reportOnly: (rollout, other) => [{ ...rollout, state: 'enabledForReportingButNotEnforced' }, other],
  disabled: (rollout, other) => [{ ...rollout, state: 'disabled' }, other],
  missingBreakGlassExclusion: (rollout, other) => [{ ...rollout, users: { ...rollout.users, excludeUsers: [] } }, other],
  noMfaGrant: (rollout, other) => [{ ...rollout, builtInControls: ['compliantDevice', 'domainJoinedDevice'] }, other],
  mfaOrCompliantDevice: (rollout, other) => [{ ...rollout, builtInControls: ['mfa', 'compliantDevice'], grantOperator: 'OR' }, other],
  oneApp: (rollout, other) => [{ ...rollout, includeApplications: [exchangeOnlineAppId] }, other],
  excludedApp: (rollout, other) => [{ ...rollout, excludeApplications: [sharePointOnlineAppId] }, other],
  browserOnly: (rollout, other) => [{ ...rollout, clientAppTypes: ['browser'] }, other],
  trustedLocationsExcluded: (rollout, other) => [{ ...rollout, locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } }, other],
  breakGlassExcludedByRole: (rollout, other) => [{ ...rollout, users: { ...rollout.users, excludeUsers: [], excludeRoles: [globalAdministratorRoleId] } }, other],
  mfaStrength: withStrength(builtInStrengthIds.multifactor),
  passwordlessStrength: withStrength(builtInStrengthIds.passwordless),
  customStrengthWithSms: withStrength(customStrengths.withSms.id),
  customStrengthWithoutSms: withStrength(customStrengths.withoutSms.id),
  allUsersMfa: (rollout, other, ids) => [
    rollout,
    allAppsPolicy({ id: ids.allUsersPolicyId, displayName: 'Require MFA — all users', users: { ...noUsers, includeUsers: ['All'], excludeUsers: [...ids.breakGlassIds] } }),
    other,
  ],
  phishingResistantMissing: (rollout) => [rollout],
  phishingResistantReportOnly: (rollout, other) => [rollout, { ...other, state: 'enabledForReportingButNotEnforced' }],
  phishingResistantDisabled: (rollout, other) => [rollout, { ...other, state: 'disabled' }],
  phishingResistantWrongStrength: (rollout, other) => [rollout, { ...other, authenticationStrengthId: builtInStrengthIds.multifactor }],
  phishingResistantOrCompliantDevice: (rollout, other) => [rollout, { ...other, builtInControls: ['compliantDevice'], grantOperator: 'OR' }],
  phishingResistantOneApp: (rollout, other) => [rollout, { ...other, includeApplications: [exchangeOnlineAppId] }],
  phishingResistantMissingBreakGlassExclusion: (rollout, other) => [rollout, { ...other, users: { ...other.users, excludeUsers: [] } }],
  none: () => [],
};

/**
 * The Conditional Access policies of a named scenario. `default`: the tenant set up as the README describes —
 * "Require MFA — rollout group" (enabled, includes the MFA Required group, excludes both break-glass accounts by id,
 * grants `mfa`) and "Require phishing-resistant MFA — passkey users" (enabled, includes the Phishing-resistant MFA
 * group, excludes both break-glass accounts, grants the built-in Phishing-resistant MFA strength); both on all cloud
 * apps and client apps. Every other scenario changes one thing of that (its name says what), adds "Require MFA — all
 * users" (`allUsersMfa`, the per-user/CA overlap) or removes every policy (`none`). `modifiedDateTime` is null for the
 * generated set and the switch time otherwise.
 */
export function conditionalAccessPolicies(scenario: ConditionalAccessScenario, ids: ConditionalAccessIds, modifiedDateTime: string | null): ConditionalAccessSet {
  const rollout = allAppsPolicy({
    id: ids.rolloutPolicyId, displayName: 'Require MFA — rollout group', modifiedDateTime,
    users: { ...noUsers, includeGroups: [ids.mfaRequiredGroupId], excludeUsers: [...ids.breakGlassIds] },
  });
  const phishingResistant = allAppsPolicy({
    id: ids.phishingResistantPolicyId, displayName: 'Require phishing-resistant MFA — passkey users', modifiedDateTime,
    users: { ...noUsers, includeGroups: [ids.phishingResistantGroupId], excludeUsers: [...ids.breakGlassIds] },
    builtInControls: [], authenticationStrengthId: builtInStrengthIds.phishingResistant,
  });
  const policies = changes[scenario](rollout, phishingResistant, ids).map((policy) => ({ ...policy, modifiedDateTime }));
  const used = new Set(policies.map((policy) => policy.authenticationStrengthId));
  return { policies, customStrengths: Object.values(customStrengths).filter((strength) => used.has(strength.id)) };
}
