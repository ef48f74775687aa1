import type { PropertySet } from './propertySet.js';
import type { ConditionalAccessPolicy } from '../tenant/tenantModel.js';

/**
 * The Graph `conditionalAccessPolicy` properties the sandbox renders, in the shape of the v1.0 list example: every
 * policy applies to all cloud apps and all client app types; conditions the sandbox does not model are empty or null.
 */
export const conditionalAccessPolicyProperties: PropertySet<ConditionalAccessPolicy> = {
  typeName: 'conditionalAccessPolicy',
  getters: {
    id: (policy) => policy.id,
    templateId: () => null,
    displayName: (policy) => policy.displayName,
    createdDateTime: (policy) => policy.createdDateTime,
    modifiedDateTime: (policy) => policy.modifiedDateTime,
    state: (policy) => policy.state,
    sessionControls: () => null,
    conditions: (policy) => ({
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      users: {
        includeUsers: [...policy.users.includeUsers],
        excludeUsers: [...policy.users.excludeUsers],
        includeGroups: [...policy.users.includeGroups],
        excludeGroups: [...policy.users.excludeGroups],
        includeRoles: [...policy.users.includeRoles],
        excludeRoles: [...policy.users.excludeRoles],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
    }),
    grantControls: (policy) => ({
      operator: policy.grantOperator,
      builtInControls: [...policy.builtInControls],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: null,
    }),
  },
  defaults: ['id', 'templateId', 'displayName', 'createdDateTime', 'modifiedDateTime', 'state', 'sessionControls', 'conditions', 'grantControls'],
};
