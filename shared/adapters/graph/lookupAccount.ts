import { z } from 'zod';
import type { AccountFacts } from '../../core/assessBreakGlass.js';
import { isRolloutError } from '../../errors/RolloutError.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const accountSchema = z.object({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  accountEnabled: z.boolean().nullable().optional(),
  userType: z.string().nullable().optional(),
  onPremisesSyncEnabled: z.boolean().nullable().optional(),
});

/**
 * One user by object id or UPN (any case: Graph matches both without regard to case), `GET /users/{id|upn}` with
 * `$select`, or null when Graph knows no such user (404; a 400 for an identifier that is neither says the same).
 */
export async function lookupAccount(gateway: GraphGateway, idOrUpn: string): Promise<AccountFacts | null> {
  try {
    const answer = await gateway.send({
      operation: 'users.read',
      method: 'GET',
      version: 'v1.0',
      path: `/users/${encodeURIComponent(idOrUpn)}?$select=id,userPrincipalName,accountEnabled,userType,onPremisesSyncEnabled`,
      permission: graphPermissions.readUsers,
    });
    const user = readAnswer('users.read', answer, accountSchema);
    return {
      id: user.id,
      upn: user.userPrincipalName,
      enabled: user.accountEnabled !== false,
      guest: user.userType?.toLowerCase() === 'guest',
      cloudOnly: user.onPremisesSyncEnabled !== true,
    };
  } catch (error) {
    if (isRolloutError(error) && (error.code === 'GRAPH_USER_NOT_FOUND' || error.code === 'GRAPH_BAD_REQUEST')) return null;
    throw error;
  }
}
