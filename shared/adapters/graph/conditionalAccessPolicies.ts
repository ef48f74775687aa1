import type { CaAuthenticationStrength, CaPolicy } from '../../core/conditionalAccess/caPolicy.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { readAuthenticationStrengths } from './authenticationStrengths.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';
import { toCaPolicy, type ReadCaPolicy } from './toCaPolicy.js';

/**
 * Lists the tenant's Conditional Access policies (docs/graph-behaviour.md#conditional-access). This API allows one
 * request per second per tenant and sends no Retry-After, so the call is spaced by the gateway (`minIntervalMs`) and
 * retried with backoff. Graph expands each policy's authentication strength; a strength it sent only as `{"id": …}`
 * is looked up in the tenant's strengths (docs/graph-behaviour.md#authentication-strengths), and a strength the tenant
 * does not list is GRAPH_MALFORMED_RESPONSE naming the policy.
 */
export async function readCaPolicies(gateway: GraphGateway): Promise<CaPolicy[]> {
  const read: ReadCaPolicy[] = [];
  for await (const page of gateway.pages({ operation: 'conditionalAccess.list', method: 'GET', version: 'v1.0', path: '/identity/conditionalAccess/policies', permission: graphPermissions.readConditionalAccess, minIntervalMs: 1100 })) {
    for (const item of page) read.push(toCaPolicy(item, read.length + 1));
  }
  if (read.every((entry) => entry.unexpandedStrengthId === null)) return read.map((entry) => entry.policy);
  const strengths = await readAuthenticationStrengths(gateway);
  return read.map(({ policy, unexpandedStrengthId }) => {
    if (unexpandedStrengthId === null || policy.grantControls === null) return policy;
    const strength: CaAuthenticationStrength | undefined = strengths.get(unexpandedStrengthId.toLowerCase());
    if (strength === undefined) {
      throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `conditionalAccess.list: Conditional Access policy ${policy.id} '${policy.displayName}' requires the authentication strength ${unexpandedStrengthId}, which the tenant's authentication strengths do not list`);
    }
    return { ...policy, grantControls: { ...policy.grantControls, authenticationStrength: strength } };
  });
}
