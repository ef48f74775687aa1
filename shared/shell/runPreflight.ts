import type { Config } from '../config/configSchema.js';
import { caPreflight, type PreflightFacts, type PreflightResult } from '../core/caPreflight.js';
import { isRolloutError } from '../errors/RolloutError.js';
import { readGroupMemberIds } from '../adapters/graph/directoryReads.js';
import { readCaPolicies } from '../adapters/graph/conditionalAccessPolicies.js';
import { readGroup } from '../adapters/graph/groupMembership.js';
import type { RolloutPorts } from './rolloutPorts.js';

/**
 * Gathers what the strategy preflight needs from Graph (CA policies, members of the groups they name, whether the
 * MFA group exists), adds the rollout's users and break-glass ids that the night's roster read found
 * (`readNightRoster`), and lets the core decide.
 */
export async function runPreflight(config: Config, ports: Pick<RolloutPorts, 'gateway'>, roster: Pick<PreflightFacts, 'rolloutUserIds' | 'breakGlass'>): Promise<PreflightResult> {
  const policies = await readCaPolicies(ports.gateway);
  const relevant = policies.filter((policy) => policy.requiresMfa && policy.state !== 'disabled');
  const groupIds = new Set<string>();
  for (const policy of relevant) {
    if (config.strategy === 'perUserMfa' && policy.state === 'enabled') policy.includeGroups.forEach((id) => groupIds.add(id));
    policy.excludeGroups.forEach((id) => groupIds.add(id));
  }
  const groupMembers = new Map<string, ReadonlySet<string>>();
  for (const groupId of groupIds) groupMembers.set(groupId, await readGroupMemberIds(ports.gateway, groupId));

  let caGroupExists = false;
  if (config.strategy === 'conditionalAccessGroup' && config.caGroupId !== undefined) {
    try {
      await readGroup(ports.gateway, config.caGroupId);
      caGroupExists = true;
    } catch (error) {
      if (!(isRolloutError(error) && error.httpStatus === 404)) throw error;
    }
  }
  return caPreflight({ policies: relevant, groupMembers, rolloutUserIds: roster.rolloutUserIds, breakGlass: roster.breakGlass, caGroupExists }, config);
}
