import type { Config } from '../config/configSchema.js';
import { caPreflight, type CaPreflightSettings, type PreflightResult } from '../core/caPreflight.js';
import { preflightReads } from '../core/conditionalAccess/preflightReads.js';
import { isRolloutError } from '../errors/RolloutError.js';
import { readCaPolicies } from '../adapters/graph/conditionalAccessPolicies.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import { readGroup } from '../adapters/graph/groupMembership.js';
import { groupMembersOrNone } from './groupMembersOrNone.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** Facts other streams read, handed to the preflight by the caller (the night or a command). */
export interface PreflightInputs {
  /** Security defaults (`identitySecurityDefaultsEnforcementPolicy.isEnabled`) as the methods posture read them; absent: not read. */
  readonly securityDefaultsEnabled?: boolean | null;
  /**
   * Who holds each of the given directory roles (template ids): role id → user object ids, role-assignable groups
   * expanded. Absent: role conditions count as unknown (a break-glass account excluded only by role is refused).
   */
  readonly roleHolders?: (roleIds: readonly string[]) => Promise<ReadonlyMap<string, ReadonlySet<string>>>;
}

async function groupExists(gateway: GraphGateway, groupId: string | undefined): Promise<boolean> {
  if (groupId === undefined) return false;
  try {
    await readGroup(gateway, groupId);
    return true;
  } catch (error) {
    if (isRolloutError(error) && error.httpStatus === 404) return false;
    throw error;
  }
}

/**
 * Gathers what the Conditional Access preflight needs (the policies, members of the groups and holders of the roles
 * their decisive conditions name, the rollout's users and break-glass ids the night's one read of the roster found, whether
 * the configured groups exist) and lets the core decide. `config.phishingResistantGroupId` is
 * MFA_PHISHING_RESISTANT_GROUP_ID when the configuration has it.
 */
/** What the night's one read of the roster (`readNightRoster`) found for the preflight: the rollout's users, the break-glass ids. */
export interface PreflightRosterFacts {
  readonly rolloutUserIds: ReadonlySet<string>;
  readonly breakGlass: readonly { readonly name: string; readonly id: string | null }[];
}

export async function runPreflight(config: Config & CaPreflightSettings, ports: Pick<RolloutPorts, 'gateway'>, roster: PreflightRosterFacts, inputs: PreflightInputs = {}): Promise<PreflightResult> {
  const policies = await readCaPolicies(ports.gateway);
  const reads = preflightReads(policies, config);
  const rolloutUserIds = new Set([...roster.rolloutUserIds].map((id) => id.toLowerCase()));
  const groupMembers = new Map<string, ReadonlySet<string>>();
  for (const groupId of reads.groupIds) groupMembers.set(groupId, await groupMembersOrNone(ports.gateway, groupId));
  const roleHolders = inputs.roleHolders === undefined ? null : reads.roleIds.length === 0 ? new Map() : lowerCased(await inputs.roleHolders(reads.roleIds));
  const caGroupExists = config.strategy === 'conditionalAccessGroup' && (await groupExists(ports.gateway, config.caGroupId));
  const phishingResistantGroupExists = await groupExists(ports.gateway, config.phishingResistantGroupId);
  const breakGlass = roster.breakGlass.map((account) => ({ name: account.name, id: account.id?.toLowerCase() ?? null }));
  return caPreflight(
    { policies, groupMembers, roleHolders, rolloutUserIds, breakGlass, caGroupExists, phishingResistantGroupExists, securityDefaultsEnabled: inputs.securityDefaultsEnabled ?? null },
    config,
  );
}

function lowerCased(holders: ReadonlyMap<string, ReadonlySet<string>>): Map<string, ReadonlySet<string>> {
  return new Map([...holders].map(([roleId, users]) => [roleId.toLowerCase(), new Set([...users].map((id) => id.toLowerCase()))]));
}
