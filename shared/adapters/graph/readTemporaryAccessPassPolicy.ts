import { z } from 'zod';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';
import type { TapPolicy } from '../../core/decideTapIssue.js';

const target = z.object({ id: z.string().min(1), targetType: z.string().optional().transform((value) => value ?? 'group') });
const policySchema = z.object({
  state: z.enum(['enabled', 'disabled']),
  includeTargets: z.array(target),
  excludeTargets: z.array(target).optional().transform((value) => value ?? []),
  defaultLifetimeInMinutes: z.number().int(),
  minimumLifetimeInMinutes: z.number().int(),
  maximumLifetimeInMinutes: z.number().int(),
  isUsableOnce: z.boolean(),
  defaultLength: z.number().int().optional(),
});

/**
 * The Temporary Access Pass configuration of the Authentication methods policy
 * (`GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass`,
 * docs/graph-behaviour.md#temporary-access-pass): whether it is on, whom it includes and excludes, the lifetime
 * bounds and default, and whether every pass is one-time.
 */
export async function readTemporaryAccessPassPolicy(gateway: GraphGateway): Promise<TapPolicy> {
  const answer = await gateway.send({
    operation: 'methodConfigurations.read',
    method: 'GET',
    version: 'v1.0',
    path: '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass',
    permission: graphPermissions.readMethodsPolicy,
  });
  const policy = readAnswer('methodConfigurations.read', answer, policySchema);
  const ids = (targets: readonly { id: string; targetType: string }[]) => targets.filter((entry) => entry.id !== 'all_users').map((entry) => entry.id.toLowerCase());
  return {
    state: policy.state,
    includesAllUsers: policy.includeTargets.some((entry) => entry.id === 'all_users'),
    includeIds: ids(policy.includeTargets),
    excludeIds: ids(policy.excludeTargets),
    targetGroupIds: ids([...policy.includeTargets, ...policy.excludeTargets].filter((entry) => entry.targetType === 'group')),
    defaultLifetimeMinutes: policy.defaultLifetimeInMinutes,
    minimumLifetimeMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeMinutes: policy.maximumLifetimeInMinutes,
    usableOnce: policy.isUsableOnce,
  };
}
