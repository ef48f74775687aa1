import { isRolloutError } from '../errors/RolloutError.js';
import { readGroupMemberIds } from '../adapters/graph/directoryReads.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';

/**
 * The transitive user members of a group, ids in lower case; a group Graph no longer knows (a policy or a role
 * assignment may still name it) has none.
 */
export async function groupMembersOrNone(gateway: GraphGateway, groupId: string): Promise<ReadonlySet<string>> {
  try {
    return new Set([...(await readGroupMemberIds(gateway, groupId))].map((id) => id.toLowerCase()));
  } catch (error) {
    if (isRolloutError(error) && error.httpStatus === 404) return new Set();
    throw error;
  }
}
