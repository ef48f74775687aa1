import { z } from 'zod';
import type { CaPolicyFacts } from '../../core/caPreflight.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** The parts of a Conditional Access policy the preflight reads (the core's type). */
export type CaPolicy = CaPolicyFacts;

const list = z.array(z.string()).nullable().optional().transform((value) => value ?? []);
const policySchema = z.object({
  id: z.string(),
  displayName: z.string().nullable().optional().transform((value) => value ?? ''),
  state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
  conditions: z.object({
    users: z.object({ includeUsers: list, excludeUsers: list, includeGroups: list, excludeGroups: list }).nullable().optional(),
  }).nullable().optional(),
  grantControls: z.object({
    builtInControls: list,
    authenticationStrength: z.unknown().optional(),
  }).nullable().optional(),
});

/**
 * Lists the tenant's Conditional Access policies. This API allows about one request per second per tenant and
 * sends no Retry-After, so the call is spaced by the gateway (`minIntervalMs`) and retried with backoff.
 */
export async function readCaPolicies(gateway: GraphGateway): Promise<CaPolicy[]> {
  const policies: CaPolicy[] = [];
  for await (const page of gateway.pages({ operation: 'conditionalAccess.list', method: 'GET', version: 'v1.0', path: '/identity/conditionalAccess/policies', permission: graphPermissions.readConditionalAccess, minIntervalMs: 1100 })) {
    for (const item of page) {
      const policy = policySchema.parse(item);
      const users = policy.conditions?.users;
      policies.push({
        id: policy.id,
        displayName: policy.displayName,
        state: policy.state,
        includeUsers: users?.includeUsers ?? [],
        excludeUsers: users?.excludeUsers ?? [],
        includeGroups: users?.includeGroups ?? [],
        excludeGroups: users?.excludeGroups ?? [],
        requiresMfa: (policy.grantControls?.builtInControls ?? []).includes('mfa') || (policy.grantControls?.authenticationStrength ?? null) !== null,
      });
    }
  }
  return policies;
}
