import type { Config } from '../config/configSchema.js';
import { caPreflight, type PreflightResult } from '../core/caPreflight.js';
import { exclusionReason } from '../core/exclusions.js';
import { isRolloutError } from '../errors/RolloutError.js';
import { readGroupMemberIds } from '../adapters/graph/directoryReads.js';
import { readCaPolicies } from '../adapters/graph/conditionalAccessPolicies.js';
import { readGroup } from '../adapters/graph/groupMembership.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

/**
 * Gathers what the strategy preflight needs (CA policies, members of the groups they name, the rollout's
 * users and break-glass ids from the freshly refreshed roster) and lets the core decide.
 */
export async function runPreflight(config: Config, ports: RolloutPorts): Promise<PreflightResult> {
  const policies = await readCaPolicies(ports.gateway);
  const relevant = policies.filter((policy) => policy.requiresMfa && policy.state !== 'disabled');
  const rolloutUserIds = new Set<string>();
  const idsByName = new Map<string, string>();
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row) || !row.user.present) continue;
    const user = row.user.directory;
    idsByName.set(user.id.toLowerCase(), user.id);
    idsByName.set(user.userPrincipalName.toLowerCase(), user.id);
    if (exclusionReason(user, config) === null) rolloutUserIds.add(user.id);
  }
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
  const breakGlass = config.breakGlass.map((name) => ({ name, id: idsByName.get(name.toLowerCase()) ?? null }));
  return caPreflight({ policies: relevant, groupMembers, rolloutUserIds, breakGlass, caGroupExists }, config);
}
