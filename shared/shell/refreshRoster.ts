import type { Config } from '../config/configSchema.js';
import { classifyMobile } from '../core/classifyMobile.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import { RolloutError, isRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readGroupMemberIds, streamUsers, type GraphUser, type MalformedUser } from '../adapters/graph/directoryReads.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import type { RosterTable } from '../adapters/tables/rosterTable.js';

export interface RefreshSummary {
  readonly users: number;
  readonly pages: number;
  readonly absent: number;
  readonly malformed: readonly MalformedUser[];
  /** The journey groups' members as read tonight (lower-case ids), for the methods posture; a group Graph does not know has none. */
  readonly journeyGroupMembers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Journey groups Graph does not know (404). */
  readonly missingJourneyGroups: readonly string[];
}

/** The groups whose membership the night needs, each with the setting that names it. */
export function configuredGroups(config: Config): { id: string; setting: string }[] {
  const groups = [
    { id: config.pilotGroupId, setting: 'MFA_PILOT_GROUP_ID' },
    { id: config.exclusionGroupId, setting: 'MFA_EXCLUSION_GROUP_ID' },
    { id: config.strategy === 'conditionalAccessGroup' ? config.caGroupId : undefined, setting: 'MFA_CA_GROUP_ID' },
    ...config.rings.map((ring) => ({ id: ring.groupId, setting: `MFA_RINGS (ring ${ring.name})` })),
  ];
  const unique = new Map<string, { id: string; setting: string }>();
  for (const group of groups) if (group.id !== undefined && !unique.has(group.id)) unique.set(group.id, { id: group.id, setting: group.setting });
  return [...unique.values()];
}

/**
 * Refreshes the roster table from Graph: reads the configured groups' members (and the journey's groups: the ones the
 * methods policy targets and the campaign, phishing-resistant and phone-retired groups, so the journey knows tonight
 * who each method reaches and which steps Graph already has), then streams every user
 * page by page into the table (merge, 100 per transaction), and marks users Graph no longer returns as gone.
 * Memory holds one page and the group memberships, whatever the tenant size. The phone number is classified
 * and dropped here: only its classification reaches the table.
 */
export async function refreshRoster(
  gateway: GraphGateway,
  roster: RosterTable,
  config: Config,
  refreshId: string,
  logger: Logger,
  onPage?: (users: number) => void,
  journeyGroupIds: readonly string[] = [],
): Promise<RefreshSummary> {
  const memberships = new Map<string, string[]>();
  const groups = configuredGroups(config);
  const known = new Set(groups.map((group) => group.id.toLowerCase()));
  for (const id of journeyGroupIds) {
    if (known.has(id.toLowerCase())) continue;
    known.add(id.toLowerCase());
    groups.push({ id, setting: 'journey' });
  }
  const journeyGroupMembers = new Map<string, ReadonlySet<string>>();
  const missingJourneyGroups: string[] = [];
  const wanted = new Set(journeyGroupIds.map((id) => id.toLowerCase()));
  for (const group of groups) {
    let members: Set<string>;
    try {
      members = await readGroupMemberIds(gateway, group.id);
    } catch (error) {
      if (!(isRolloutError(error) && error.httpStatus === 404)) throw error;
      // the strategy preflight names a missing MFA group, and the methods posture a missing journey group (the
      // campaign's, a methods policy target); any other missing group leaves exclusions or rings unknown
      if (wanted.has(group.id.toLowerCase())) {
        missingJourneyGroups.push(group.id.toLowerCase());
        journeyGroupMembers.set(group.id.toLowerCase(), new Set());
      }
      if (group.setting === 'MFA_CA_GROUP_ID' || group.setting === 'journey') continue;
      throw new RolloutError('GRAPH_NOT_FOUND', `${group.setting} names group ${group.id}, which Graph does not know; nothing was written`, { httpStatus: 404, ...(error.requestId === undefined ? {} : { requestId: error.requestId }) });
    }
    if (wanted.has(group.id.toLowerCase())) journeyGroupMembers.set(group.id.toLowerCase(), new Set([...members].map((id) => id.toLowerCase())));
    for (const userId of members) {
      const groups = memberships.get(userId) ?? [];
      groups.push(group.id);
      memberships.set(userId, groups);
    }
  }
  let users = 0;
  let pages = 0;
  const malformed: MalformedUser[] = [];
  for await (const page of streamUsers(gateway, config.userPageSize)) {
    await roster.upsertSnapshots(page.users.map((user) => toDirectoryUser(user, memberships.get(user.id) ?? [], config)), refreshId);
    malformed.push(...page.malformed);
    users += page.users.length;
    pages += 1;
    onPage?.(users);
  }
  for (const entry of malformed) logger.event('roster.malformedUser', { userId: entry.id, reason: entry.field }, 'warn');
  const absent = await roster.markAbsent(refreshId);
  logger.event('roster.refreshed', { users, pages, absent, corrupt: malformed.length });
  return { users, pages, absent, malformed, journeyGroupMembers, missingJourneyGroups };
}

/** The snapshot of one Graph user. Methods knowledge is not Graph's `/users` business: it stays as probed. */
export function toDirectoryUser(user: GraphUser, groupIds: readonly string[], config: Pick<Config, 'defaultPhoneRegion'>): DirectoryUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    userType: user.userType,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
    onPremisesLastSyncDateTime: user.onPremisesLastSyncDateTime,
    department: user.department,
    mail: user.mail,
    phone: classifyMobile(user.mobilePhone, config.defaultPhoneRegion).status,
    groupIds,
    methods: 'unknown',
    methodsCheckedAt: null,
  };
}
