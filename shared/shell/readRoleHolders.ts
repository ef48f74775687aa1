import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import { readRoleAssignments } from '../adapters/graph/readRoleAssignments.js';
import { groupMembersOrNone } from './groupMembersOrNone.js';

/**
 * Who holds each of the given directory roles (template ids), as user object ids in lower case: users assigned
 * directly, and the transitive members of role-assignable groups assigned the role (a group Graph no longer knows
 * has none). Service principals hold roles too but never sign in interactively: they are left out. Active
 * assignments only: an eligible (PIM) assignment is not a role held tonight (docs/graph-behaviour.md#directory-roles).
 */
export async function readRoleHolders(gateway: GraphGateway, roleIds: readonly string[]): Promise<ReadonlyMap<string, ReadonlySet<string>>> {
  const holders = new Map<string, Set<string>>(roleIds.map((id) => [id.toLowerCase(), new Set<string>()]));
  if (roleIds.length === 0) return holders;
  const groupMembers = new Map<string, ReadonlySet<string>>();
  for (const holding of await readRoleAssignments(gateway, roleIds)) {
    const users = holders.get(holding.roleId.toLowerCase());
    if (users === undefined) continue;
    if (holding.principalType === 'user') users.add(holding.principalId.toLowerCase());
    if (holding.principalType !== 'group') continue;
    const key = holding.principalId.toLowerCase();
    let members = groupMembers.get(key);
    if (members === undefined) {
      members = await groupMembersOrNone(gateway, holding.principalId);
      groupMembers.set(key, members);
    }
    for (const id of members) users.add(id);
  }
  return holders;
}
