import type { ConditionalAccessPolicy, ConditionalAccessUsers } from '../tenant/tenantModel.js';

/** What Conditional Access needs to know about a user to decide whether a policy applies. */
export interface PolicySubject {
  readonly id: string;
  readonly isGuest: boolean;
  /** Directory role template ids the user holds. */
  readonly roles: readonly string[];
  isMemberOf(groupId: string): boolean;
}

function targets(users: ConditionalAccessUsers, subject: PolicySubject, side: 'include' | 'exclude'): boolean {
  const ids = side === 'include' ? users.includeUsers : users.excludeUsers;
  const groups = side === 'include' ? users.includeGroups : users.excludeGroups;
  const roles = side === 'include' ? users.includeRoles : users.excludeRoles;
  return (
    ids.some((id) => id === 'All' || id.toLowerCase() === subject.id.toLowerCase() || (id === 'GuestsOrExternalUsers' && subject.isGuest)) ||
    groups.some((groupId) => subject.isMemberOf(groupId)) ||
    roles.some((roleId) => subject.roles.includes(roleId))
  );
}

/**
 * True when an enforced policy (state `enabled`, not report-only) makes this user do MFA at sign-in: the user is
 * included (all users, by id, by group or by role), not excluded (exclusion beats inclusion), and the grant controls
 * demand `mfa` (alone, or with AND; `mfa` OR something else can be met without MFA).
 */
export function policyRequiresMfa(policy: ConditionalAccessPolicy, subject: PolicySubject): boolean {
  if (policy.state !== 'enabled') return false;
  const demandsMfa = policy.builtInControls.includes('mfa') && (policy.grantOperator === 'AND' || policy.builtInControls.length === 1);
  return demandsMfa && targets(policy.users, subject, 'include') && !targets(policy.users, subject, 'exclude');
}
