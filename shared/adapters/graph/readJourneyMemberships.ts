import { z } from 'zod';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** Graph checks at most this many groups per `checkMemberGroups` request (docs/graph-behaviour.md#groups-and-membership). */
export const checkMemberGroupsLimit = 20;

const answerSchema = z.object({ value: z.array(z.string()) });

/**
 * Which of `groupIds` the user is a transitive member of, read live (`FactNeed` `memberships`): lower-case ids, only
 * among those asked about. `POST /users/{id}/checkMemberGroups` takes up to 20 ids a request, so more are asked in
 * turns of 20; it needs User.Read.All and GroupMember.Read.All together (docs/graph-behaviour.md#groups-and-membership),
 * and Graph meters it as a write (a POST), so the gateway paces it with the writes.
 */
export async function readJourneyMemberships(gateway: GraphGateway, userId: string, groupIds: readonly string[]): Promise<ReadonlySet<string>> {
  const asked = [...new Set(groupIds.map((id) => id.toLowerCase()))];
  const members = new Set<string>();
  for (let start = 0; start < asked.length; start += checkMemberGroupsLimit) {
    const chunk = asked.slice(start, start + checkMemberGroupsLimit);
    const answer = await gateway.send({
      operation: 'users.checkMemberGroups',
      method: 'POST',
      version: 'v1.0',
      path: `/users/${encodeURIComponent(userId)}/checkMemberGroups`,
      body: { groupIds: chunk },
      permission: `${graphPermissions.readUsers} and ${graphPermissions.readGroupMembers}`,
      changesNothing: true,
    });
    // only ids that were asked about: an answer naming another group is not taken at its word
    for (const id of readAnswer('users.checkMemberGroups', answer, answerSchema).value) if (chunk.includes(id.toLowerCase())) members.add(id.toLowerCase());
  }
  return members;
}
