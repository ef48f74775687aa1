import type { Config } from '../config/configSchema.js';
import { settings as settingTable } from '../config/configSchema.js';
import { createExclusionCheck } from '../core/exclusions.js';
import { decideTenantPosture } from '../core/posture/decideTenantPosture.js';
import type { PostureInput, RolloutMembership, TenantPosture } from '../core/posture/postureTypes.js';
import { isRolloutError } from '../errors/RolloutError.js';
import { readGroupMemberIds } from '../adapters/graph/directoryReads.js';
import { readMethodsPolicy } from '../adapters/graph/methodsPolicy.js';
import { readSecurityDefaults } from '../adapters/graph/securityDefaults.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** The journey's groups the settings name: each must exist. */
const journeyGroupSettings = ['campaignGroupId', 'phishingResistantGroupId', 'phoneRetiredGroupId'] as const;

/**
 * Reads the tenant's method posture (the Authentication methods policy, security defaults, the rollout's users from
 * the roster as last refreshed, the members of every group the policy or the settings name) and lets the core
 * decide it. A group a setting names that Graph does not know is a blocking problem; a group only the policy names
 * that no longer exists counts as empty. With an empty roster the rollout's users are not known and the posture
 * checks what the policy says on its own. The result is plain data (JSON as it is): the night and the commands use
 * it, and it can be stored for the report.
 */
export async function readTenantPosture(config: Config, ports: Pick<RolloutPorts, 'gateway' | 'roster'>, now: Date): Promise<TenantPosture> {
  const facts = await readPostureFacts(ports.gateway);
  const groupIds = decideTenantPosture({ ...facts, rollout: null, missingGroups: [] }, config, now).membershipGroupIds;

  const groupMembers = new Map<string, ReadonlySet<string>>();
  const missing: string[] = [];
  for (const groupId of groupIds) {
    try {
      const members = await readGroupMemberIds(ports.gateway, groupId);
      groupMembers.set(groupId, new Set([...members].map((id) => id.toLowerCase())));
    } catch (error) {
      if (!(isRolloutError(error) && error.httpStatus === 404)) throw error;
      missing.push(groupId);
      groupMembers.set(groupId, new Set());
    }
  }
  const missingGroups = missingGroupSettings(config, missing);

  const excluded = createExclusionCheck(config);
  const userIds: string[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row) || !row.user.present) continue;
    const user = row.user.directory;
    if (user.accountEnabled && excluded(user) === null) userIds.push(user.id.toLowerCase());
  }
  const rollout: RolloutMembership | null = userIds.length === 0 ? null : { userIds, groupMembers };
  return decideTenantPosture({ ...facts, rollout, missingGroups }, config, now);
}

/** What Graph says of the tenant's methods on its own: the Authentication methods policy and security defaults. */
export async function readPostureFacts(gateway: RolloutPorts['gateway']): Promise<Pick<PostureInput, 'methodsPolicy' | 'securityDefaults'>> {
  const [methodsPolicy, securityDefaults] = await Promise.all([readMethodsPolicy(gateway), readSecurityDefaults(gateway)]);
  return { methodsPolicy, securityDefaults };
}

/** The journey groups a setting names among the groups Graph does not know, each with its setting (a group only the policy names is not one). */
export function missingGroupSettings(config: Config, missingGroupIds: readonly string[]): { setting: string; groupId: string }[] {
  const configured = new Map(journeyGroupSettings.flatMap((key) => (config[key] === undefined ? [] : [[config[key].toLowerCase(), settingTable[key].env] as const])));
  return missingGroupIds.flatMap((groupId) => {
    const setting = configured.get(groupId.toLowerCase());
    return setting === undefined ? [] : [{ setting, groupId }];
  });
}
