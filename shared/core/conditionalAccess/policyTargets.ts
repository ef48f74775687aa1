import type { CaUsers } from './caPolicy.js';

/** Three-valued: what the rollout read settles it, or it could not tell (roles or group members not read). */
export type Known = boolean | 'unknown';

/** What Conditional Access looks at to decide whether a policy's user assignment covers someone. */
export interface CaSubject {
  readonly id: string;
  readonly userType: 'Member' | 'Guest';
  /** Holds the directory role (template id), directly or through a group. */
  holdsRole(roleId: string): Known;
  /** Is a direct or nested member of the group. */
  isMemberOf(groupId: string): Known;
}

/** Whether a policy's user assignment covers a subject, and what excludes them. */
export interface Targeting {
  readonly included: Known;
  readonly excluded: Known;
  /** What excludes the subject for certain: `user`, `group`, `role`, `guestType`. */
  readonly excludedBy: readonly ExclusionKind[];
  /** The policy applies to the subject: included and not excluded (exclusion wins). */
  readonly applies: Known;
}

export type ExclusionKind = 'user' | 'group' | 'role' | 'guestType';

/** true if any is true; otherwise unknown if any is unknown; otherwise false. */
export function anyOf(values: readonly Known[]): Known {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * A guest's kind is not in the roster (no `externalUserState` / `creationType`): a `Guest` is an internal guest or a
 * B2B collaboration guest, so a list naming one kind only is unknown for it. Members are taken as internal members
 * (a B2B collaboration *member* from another tenant is not told apart: docs/graph-behaviour.md#conditional-access).
 */
function guestTypesCover(types: readonly string[], subject: CaSubject): Known {
  if (subject.userType !== 'Guest' || types.length === 0) return false;
  const internal = types.includes('internalGuest');
  const b2b = types.includes('b2bCollaborationGuest');
  if (internal && b2b) return true;
  return internal || b2b ? 'unknown' : false;
}

function side(users: CaUsers, subject: CaSubject, which: 'include' | 'exclude'): Record<ExclusionKind, Known> {
  const ids = which === 'include' ? users.includeUsers : users.excludeUsers;
  return {
    user: ids.some((id) => id === 'All' || sameId(id, subject.id) || (id === 'GuestsOrExternalUsers' && subject.userType === 'Guest')),
    group: anyOf((which === 'include' ? users.includeGroups : users.excludeGroups).map((groupId) => subject.isMemberOf(groupId))),
    role: anyOf((which === 'include' ? users.includeRoles : users.excludeRoles).map((roleId) => subject.holdsRole(roleId))),
    guestType: guestTypesCover(which === 'include' ? users.includeGuestTypes : users.excludeGuestTypes, subject),
  };
}

/**
 * Conditional Access's user assignment (docs/graph-behaviour.md#conditional-access): a subject is included by all
 * users, by id, by a group (nested members count), by a role or by guest type, and any exclusion wins over every
 * inclusion. `None` includes nobody.
 */
export function policyTargets(users: CaUsers, subject: CaSubject): Targeting {
  const include = side(users, subject, 'include');
  const exclude = side(users, subject, 'exclude');
  const included = anyOf(Object.values(include));
  const excluded = anyOf(Object.values(exclude));
  const excludedBy = (Object.keys(exclude) as ExclusionKind[]).filter((kind) => exclude[kind] === true);
  const applies: Known = excluded === true || included === false ? false : included === true && excluded === false ? true : 'unknown';
  return { included, excluded, excludedBy, applies };
}
