import type { PropertySet } from './propertySet.js';
import type { SandboxGroup } from '../tenant/tenantModel.js';

/** The Graph `group` properties the sandbox renders: security groups with assigned membership. */
export const groupProperties: PropertySet<SandboxGroup> = {
  typeName: 'group',
  getters: {
    id: (group) => group.id,
    displayName: (group) => group.displayName,
    description: (group) => group.description,
    mailNickname: (group) => group.mailNickname,
    mail: () => null,
    mailEnabled: () => false,
    securityEnabled: () => true,
    groupTypes: () => [],
    membershipRule: () => null,
    membershipRuleProcessingState: () => null,
    isAssignableToRole: () => null,
    visibility: () => null,
    onPremisesSyncEnabled: () => null,
    createdDateTime: (group) => group.createdDateTime,
  },
  defaults: [
    'id',
    'createdDateTime',
    'description',
    'displayName',
    'groupTypes',
    'isAssignableToRole',
    'mail',
    'mailEnabled',
    'mailNickname',
    'membershipRule',
    'membershipRuleProcessingState',
    'onPremisesSyncEnabled',
    'securityEnabled',
    'visibility',
  ],
};
