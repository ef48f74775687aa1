import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { assessBreakGlass, type AccountFacts, type BreakGlassInput, type BreakGlassPosture } from '../core/assessBreakGlass.js';
import { globalAdministratorRoleId, privilegedRoles } from '../core/privilegedRoles.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { lookupAccount } from '../adapters/graph/lookupAccount.js';
import { readRoleAssignments } from '../adapters/graph/readRoleAssignments.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** Privileged accounts listed by name in the plan, the report and the Posture table (all are counted). */
const listLimit = 100;

export interface BreakGlassCheckOptions {
  /** Record the finding in the Posture table (the night does; the plan only shows it). */
  readonly persist: boolean;
}

/**
 * The break-glass check, before anything is written: every MFA_BREAK_GLASS entry must name a user Graph knows
 * (`GET /users/{id|upn}`, not the roster, which may be stale or filtered), or this throws BREAK_GLASS_UNRESOLVED
 * naming every such entry. Alongside, the holders of the privileged roles are read (RoleManagement.Read.Directory)
 * to show the cloud-only ones missing from the list and whether a listed account is a Global Administrator; that
 * part only informs (a Graph error there is a warning, the rollout goes on). The night records the finding first, so
 * the report shows a refusal too.
 */
export async function checkBreakGlass(config: Config, ports: Pick<RolloutPorts, 'gateway' | 'posture'>, logger: Logger, now: Date, options: BreakGlassCheckOptions): Promise<BreakGlassPosture> {
  const limit = pLimit(Math.max(1, config.graphConcurrency * 4));
  const looked = new Map<string, Promise<AccountFacts | null>>();
  const lookup = (idOrUpn: string) => {
    const key = idOrUpn.toLowerCase();
    let pending = looked.get(key);
    if (pending === undefined) {
      pending = limit(() => lookupAccount(ports.gateway, idOrUpn));
      looked.set(key, pending);
    }
    return pending;
  };

  const entries = await Promise.all(config.breakGlass.map(async (entry) => ({ entry, account: await lookup(entry) })));
  const resolved = new Map(entries.flatMap(({ account }) => (account === null ? [] : [[account.id.toLowerCase(), account] as const])));
  let roles: BreakGlassInput['roles'];
  try {
    const holdings = await readRoleAssignments(ports.gateway, privilegedRoles.map((role) => role.id));
    const userIds = [...new Set(holdings.filter((holding) => holding.principalType === 'user').map((holding) => holding.principalId.toLowerCase()))];
    const accounts = new Map<string, AccountFacts>();
    await Promise.all(userIds.map(async (userId) => {
      const account = resolved.get(userId) ?? (await lookup(userId));
      if (account !== null) accounts.set(userId, account);
    }));
    roles = { read: true, holdings, accounts };
  } catch (error) {
    const failure = toRolloutError(error);
    if (!failure.code.startsWith('GRAPH_')) throw failure;
    logger.event('breakGlass.rolesUnreadable', { errorCode: failure.code, requestId: failure.requestId ?? null, permission: 'RoleManagement.Read.Directory' }, 'warn');
    roles = { read: false, errorCode: failure.code, message: failure.message };
  }

  const posture = assessBreakGlass({ entries, roles, enrolsCloudOnly: config.allowCloudOnly, listLimit });
  if (options.persist) await ports.posture.save(now, { breakGlass: posture });
  const privileged = posture.privileged.read ? posture.privileged.unlistedCloudOnlyCount : null;
  logger.event('breakGlass.checked', { entries: entries.length, unresolved: posture.unresolved.length, heldGlobalAdmin: posture.listedGlobalAdministrator, privileged });
  if (posture.listedGlobalAdministrator === false) {
    logger.event('breakGlass.noGlobalAdministrator', { entries: entries.length, reason: 'no MFA_BREAK_GLASS account holds Global Administrator' }, 'warn');
  }
  if (posture.unresolved.length > 0) {
    logger.event('breakGlass.unresolved', { errorCode: 'BREAK_GLASS_UNRESOLVED', entries: entries.length, unresolved: posture.unresolved.length }, 'error');
    throw new RolloutError('BREAK_GLASS_UNRESOLVED', unresolvedMessage(posture, entries.length, roles));
  }
  return posture;
}

/** Names every entry that did not resolve, and the cloud-only Global Administrators the list may have meant. */
function unresolvedMessage(posture: BreakGlassPosture, total: number, roles: BreakGlassInput['roles']): string {
  const count = posture.unresolved.length;
  const lines = [`MFA_BREAK_GLASS: ${count} of ${total} ${total === 1 ? 'entry names' : 'entries name'} no user in the tenant: ${posture.unresolved.join(', ')}. The run refuses to start; nothing was written.`];
  if (roles.read) {
    const globalAdmins = new Set(roles.holdings.filter((holding) => holding.roleId.toLowerCase() === globalAdministratorRoleId).map((holding) => holding.principalId.toLowerCase()));
    const listed = new Set(posture.entries.flatMap((entry) => (entry.account === null ? [] : [entry.account.id.toLowerCase()])));
    const candidates = [...roles.accounts.values()]
      .filter((account) => account.cloudOnly && globalAdmins.has(account.id.toLowerCase()) && !listed.has(account.id.toLowerCase()))
      .map((account) => account.upn)
      .sort();
    if (candidates.length > 0) lines.push(`Cloud-only Global Administrators in the tenant (your emergency-access accounts?): ${candidates.join(', ')}`);
  }
  return lines.join('\n');
}
