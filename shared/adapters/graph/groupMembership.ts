import { z } from 'zod';
import { isRolloutError } from '../../errors/RolloutError.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const groupSchema = z.object({ id: z.string(), displayName: z.string().nullable().optional() });

/** Reads a group; GRAPH_NOT_FOUND when it does not exist. */
export async function readGroup(gateway: GraphGateway, groupId: string): Promise<{ id: string; displayName: string | null }> {
  const answer = await gateway.send({ operation: 'groups.read', method: 'GET', version: 'v1.0', path: `/groups/${encodeURIComponent(groupId)}?$select=id,displayName`, permission: graphPermissions.readGroupMembers });
  const group = readAnswer('groups.read', answer, groupSchema);
  return { id: group.id, displayName: group.displayName ?? null };
}

/**
 * Adds one user to a group (`POST members/$ref`). The gateway packs concurrent adds into `$batch` requests of
 * up to 20, where each item succeeds or fails on its own: an already-member answer (Graph's 400
 * `Request_BadRequest` "One or more added object references already exist...") is `alreadyMember`, not an
 * error, and never costs the other 19 their write (which a 20-member `members@odata.bind` PATCH would).
 */
export async function addGroupMember(gateway: GraphGateway, groupId: string, userId: string): Promise<'added' | 'alreadyMember'> {
  try {
    await gateway.send({
      operation: 'groups.addMember',
      method: 'POST',
      version: 'v1.0',
      path: `/groups/${encodeURIComponent(groupId)}/members/$ref`,
      body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` },
      permission: graphPermissions.writeGroupMembers,
    });
    return 'added';
  } catch (error) {
    if (isRolloutError(error) && error.httpStatus === 400 && error.graphCode === 'Request_BadRequest' && /already exist/i.test(error.message)) return 'alreadyMember';
    throw error;
  }
}

/** Removes one user from a group (`DELETE members/{id}/$ref`); a user who is not a member is `notMember`. */
export async function removeGroupMember(gateway: GraphGateway, groupId: string, userId: string): Promise<'removed' | 'notMember'> {
  try {
    await gateway.send({
      operation: 'groups.removeMember',
      method: 'DELETE',
      version: 'v1.0',
      path: `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}/$ref`,
      permission: graphPermissions.writeGroupMembers,
    });
    return 'removed';
  } catch (error) {
    if (isRolloutError(error) && error.httpStatus === 404) return 'notMember';
    throw error;
  }
}
