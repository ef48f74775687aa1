import type { PropertySet } from './propertySet.js';
import { renderStrength } from './authenticationStrengthProperties.js';
import type { AuthenticationStrengthPolicy, ConditionalAccessPolicy } from '../tenant/tenantModel.js';

/** One policy as a request renders it: the strength it refers to, whether to expand it, and the policy's own URL. */
export interface PolicyView {
  readonly policy: ConditionalAccessPolicy;
  readonly strength: AuthenticationStrengthPolicy | null;
  /** false: the strength is rendered as `{"id"}` only (the sandbox's `expandStrength` setting). */
  readonly expandStrength: boolean;
  /** e.g. `https://…/v1.0/$metadata#identity/conditionalAccess/policies('…')`, the base of the nested contexts. */
  readonly policyContext: string;
}

const guests = (types: string | null) => (types === null ? null : { guestOrExternalUserTypes: types, externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' } });

function strengthOf(view: PolicyView, now: Date): Record<string, unknown> | null {
  if (view.strength === null) return null;
  if (!view.expandStrength) return { id: view.strength.id };
  // the expansion inside a policy is dated 08:00 where the list of strengths says 00:00 (observed)
  const dated = view.strength.policyType === 'builtIn' ? { ...view.strength, createdDateTime: '2021-12-01T08:00:00Z', modifiedDateTime: '2021-12-01T08:00:00Z' } : view.strength;
  return renderStrength({ strength: dated, combinationsContext: `${view.policyContext}/grantControls/authenticationStrength/combinationConfigurations` }, now);
}

/**
 * The Graph `conditionalAccessPolicy` properties the sandbox renders, in the shape of the v1.0 list example
 * (docs/graph-behaviour.md#conditional-access): conditions the sandbox does not model are empty or null; the
 * authentication strength comes expanded with its `@odata.context`, or null.
 */
export const conditionalAccessPolicyProperties: PropertySet<PolicyView> = {
  typeName: 'conditionalAccessPolicy',
  getters: {
    id: ({ policy }) => policy.id,
    templateId: () => null,
    displayName: ({ policy }) => policy.displayName,
    createdDateTime: ({ policy }) => policy.createdDateTime,
    modifiedDateTime: ({ policy }) => policy.modifiedDateTime,
    state: ({ policy }) => policy.state,
    sessionControls: () => null,
    conditions: ({ policy }) => ({
      userRiskLevels: [...policy.userRiskLevels],
      signInRiskLevels: [...policy.signInRiskLevels],
      clientAppTypes: [...policy.clientAppTypes],
      servicePrincipalRiskLevels: [],
      platforms: policy.platforms === null ? null : { includePlatforms: [...policy.platforms.includePlatforms], excludePlatforms: [...policy.platforms.excludePlatforms] },
      locations: policy.locations === null ? null : { includeLocations: [...policy.locations.includeLocations], excludeLocations: [...policy.locations.excludeLocations] },
      devices: null,
      clientApplications: null,
      applications: { includeApplications: [...policy.includeApplications], excludeApplications: [...policy.excludeApplications], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
      users: {
        includeUsers: [...policy.users.includeUsers],
        excludeUsers: [...policy.users.excludeUsers],
        includeGroups: [...policy.users.includeGroups],
        excludeGroups: [...policy.users.excludeGroups],
        includeRoles: [...policy.users.includeRoles],
        excludeRoles: [...policy.users.excludeRoles],
        includeGuestsOrExternalUsers: guests(policy.users.includeGuestsOrExternalUsers),
        excludeGuestsOrExternalUsers: guests(policy.users.excludeGuestsOrExternalUsers),
      },
    }),
    grantControls: (view, now) => ({
      operator: view.policy.grantOperator,
      builtInControls: [...view.policy.builtInControls],
      customAuthenticationFactors: [],
      termsOfUse: [],
      'authenticationStrength@odata.context': `${view.policyContext}/grantControls/authenticationStrength/$entity`,
      authenticationStrength: strengthOf(view, now),
    }),
  },
  defaults: ['id', 'templateId', 'displayName', 'createdDateTime', 'modifiedDateTime', 'state', 'sessionControls', 'conditions', 'grantControls'],
};
