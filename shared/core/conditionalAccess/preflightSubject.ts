import type { CaSubject, Known } from './policyTargets.js';

/** The directory facts the shell read for the preflight: group members and role holders (ids in lower case). */
export interface DirectoryFacts {
  /** Transitive user members of each group read; a group not in the map is unknown. */
  readonly groupMembers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Users holding each role (template id) read; a role not in the map, or a null map, is unknown. */
  readonly roleHolders: ReadonlyMap<string, ReadonlySet<string>> | null;
}

/**
 * A member user as the preflight knows them; `joining` is a group the rollout is about to add them to (the MFA group),
 * which counts as theirs already.
 */
export function preflightSubject(userId: string, facts: DirectoryFacts, joining?: string): CaSubject {
  const id = userId.toLowerCase();
  const joiningKey = joining?.toLowerCase();
  return {
    id,
    userType: 'Member',
    holdsRole: (roleId): Known => {
      const holders = facts.roleHolders?.get(roleId.toLowerCase());
      return holders === undefined ? 'unknown' : holders.has(id);
    },
    isMemberOf: (groupId): Known => {
      const key = groupId.toLowerCase();
      if (key === joiningKey) return true;
      const members = facts.groupMembers.get(key);
      return members === undefined ? 'unknown' : members.has(id);
    },
  };
}

/** Anyone in the group and in nothing else the policy names: how a policy on the group treats its members. */
export function groupMemberSubject(groupId: string): CaSubject {
  const key = groupId.toLowerCase();
  return { id: '', userType: 'Member', holdsRole: () => false, isMemberOf: (candidate) => candidate.toLowerCase() === key };
}
