import type { Config } from '../config/configSchema.js';
import type { MethodAvailability } from '../core/journey/journeyTypes.js';
import { methodAvailability } from '../core/journey/methodAvailability.js';
import { decideTenantPosture } from '../core/posture/decideTenantPosture.js';
import type { PostureInput, TenantPosture } from '../core/posture/postureTypes.js';
import { globalAdministratorRoleId } from '../core/privilegedRoles.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { RefreshSummary } from './refreshRoster.js';
import { readRoleHolders } from './readRoleHolders.js';
import { missingGroupSettings, readPostureFacts } from './readTenantPosture.js';
import { journeyGroupIds } from './runJourney.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** What a night (or `plan`) knows of the tenant's methods before it reads the roster. */
export interface NightAvailability {
  readonly facts: Pick<PostureInput, 'methodsPolicy' | 'securityDefaults'>;
  /** The posture decided from the policy alone: its targets are what each user can do MFA with. */
  readonly targetsOnly: TenantPosture;
  readonly globalAdminIds: ReadonlySet<string>;
  /** What a user can do MFA with tonight: the policy's targets over their groups, and their SMS retirement date. */
  readonly availability: (user: DirectoryUser) => MethodAvailability;
  /** The groups the roster refresh reads for the journey: every group the policy targets, and the journey's own. */
  readonly postureGroupIds: readonly string[];
}

/**
 * Reads the Authentication methods policy and security defaults, and the Global Administrators (their retirement
 * date may differ), and makes the availability function the planners and the journey share.
 */
export async function readNightAvailability(config: Config, ports: Pick<RolloutPorts, 'gateway'>, logger: Logger, now: Date): Promise<NightAvailability> {
  const facts = await readPostureFacts(ports.gateway);
  const targetsOnly = decideTenantPosture({ ...facts, rollout: null, missingGroups: [] }, config, now);
  const globalAdminIds = await readGlobalAdminIds(ports, logger);
  const availability = (user: DirectoryUser) =>
    methodAvailability({
      policy: targetsOnly.targets,
      memberships: new Set(user.groupIds.map((id) => id.toLowerCase())),
      isGlobalAdmin: globalAdminIds.has(user.id.toLowerCase()),
      settings: config,
      now,
    });
  const postureGroupIds = [...new Set([...targetsOnly.membershipGroupIds, ...journeyGroupIds(config).map((id) => id.toLowerCase())])];
  return { facts, targetsOnly, globalAdminIds, availability, postureGroupIds };
}

/** The night's posture once the roster is read: who of the rollout's users each method and the campaign reach. */
export function decideNightPosture(
  known: NightAvailability,
  config: Config,
  now: Date,
  rolloutUserIds: Iterable<string>,
  refresh: Pick<RefreshSummary, 'journeyGroupMembers' | 'missingJourneyGroups'>,
): TenantPosture {
  const userIds = [...rolloutUserIds].map((id) => id.toLowerCase());
  return decideTenantPosture(
    {
      ...known.facts,
      rollout: userIds.length === 0 ? null : { userIds, groupMembers: refresh.journeyGroupMembers },
      missingGroups: missingGroupSettings(config, refresh.missingJourneyGroups),
    },
    config,
    now,
  );
}

/** The held night's reason: each blocking problem of the posture with where to fix it. */
export function postureHeldReason(posture: TenantPosture): string {
  const blocking = posture.problems.filter((problem) => problem.severity === 'blocking');
  return `methods posture: ${blocking.map((problem) => `${problem.code}: ${problem.message} Fix: ${problem.fix}`).join(' | ')}`;
}

/**
 * The Global Administrators. Unreadable (no RoleManagement.Read.Directory): none is known, so every user gets the
 * general date, the earlier one: no one is thought to have SMS longer than they do.
 */
async function readGlobalAdminIds(ports: Pick<RolloutPorts, 'gateway'>, logger: Logger): Promise<ReadonlySet<string>> {
  try {
    return (await readRoleHolders(ports.gateway, [globalAdministratorRoleId])).get(globalAdministratorRoleId) ?? new Set();
  } catch (error) {
    const failure = toRolloutError(error);
    if (!failure.code.startsWith('GRAPH_')) throw failure;
    logger.event('night.globalAdminsUnreadable', { errorCode: failure.code, requestId: failure.requestId ?? null, permission: 'RoleManagement.Read.Directory' }, 'warn');
    return new Set();
  }
}
