import type { Config } from '../config/configSchema.js';
import { decideTapIssue, describeTapRefusal, tapLifetime, type TapPolicy, type TapRefusalReason } from '../core/decideTapIssue.js';
import { createExclusionCheck, type ExclusionCheck } from '../core/exclusions.js';
import { missingPermissions } from '../core/missingPermissions.js';
import { nextTapRecord } from '../core/nextTapRecord.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { createTemporaryAccessPass, type CreatedPass } from '../adapters/graph/createTemporaryAccessPass.js';
import { permissionsForIssueTap } from '../adapters/graph/graphPermissions.js';
import { lookupAccount } from '../adapters/graph/lookupAccount.js';
import { readJourneyMemberships } from '../adapters/graph/readJourneyMemberships.js';
import { readTemporaryAccessPassPolicy } from '../adapters/graph/readTemporaryAccessPassPolicy.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { AccountFacts } from '../core/assessBreakGlass.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** A pass issued: shown to the operator once, then gone. Nothing here may be logged, stored, mailed or reported but `pass`'s record. */
export interface IssuedPass {
  readonly name: string;
  readonly userId: string;
  readonly upn: string;
  readonly pass: string;
  readonly startsAt: string;
  readonly expiresAt: string;
  readonly lifetimeMinutes: number;
  readonly usableOnce: boolean;
  /** The roster row records the issue (false: the pass is valid, but the row could not be written; the message says so). */
  readonly recorded: boolean;
}

export interface RefusedPass {
  readonly name: string;
  readonly userId: string | null;
  readonly upn: string | null;
  /** A reason of the decision, `graphRefused` (Graph said no for a reason the rollout cannot name), or `failed` (Graph or a table failed). */
  readonly reason: TapRefusalReason | 'graphRefused' | 'failed';
  readonly message: string;
  readonly errorCode: string | null;
  readonly requestId: string | null;
}

export interface IssueTapResult {
  readonly issued: readonly IssuedPass[];
  readonly refused: readonly RefusedPass[];
  readonly lifetimeMinutes: number;
}

export interface IssueTapRequest {
  /** Object ids or UPNs, as the operator typed them. */
  readonly names: readonly string[];
  readonly lifetimeMinutes?: number;
  readonly runId: string;
}

type IssuePorts = Pick<RolloutPorts, 'gateway' | 'roster' | 'grantedPermissions'>;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The grant script's line for a helpdesk identity that only issues passes. */
export const issueTapGrantCommand = 'infra/grant-graph-permissions.sh issueTap --principal-id <object-id>';

/**
 * `mfa-rollout issue-tap`: a Temporary Access Pass for each named user, so the helpdesk can bootstrap a passkey
 * for someone with no usable method (docs/graph-behaviour.md#temporary-access-pass). Before anything is created:
 * the app must hold the issue-tap permissions (from its token), the TAP policy is read, and the lifetime (asked for,
 * or the policy's default) must lie within the policy's bounds, or nothing is issued (TAP_LIFETIME_INVALID).
 *
 * Each user must be in the roster, not excluded (never a break-glass account, the exclusion group, a service
 * account or a guest: checked on the roster row and again on Graph's answer now), enabled, and inside the TAP
 * policy's targets (their memberships read live with checkMemberGroups). Refusals are named per user and the others
 * still get their pass. A 400 from Graph is explained by reading the policy and the user again, never by its text.
 *
 * The pass goes back to the caller only. The roster row records that one was issued, when, until when and by which
 * run (its `tap*` fields); the log gets the same facts; the pass itself is never logged or stored.
 */
export async function issueTemporaryAccessPasses(config: Config, ports: IssuePorts, logger: Logger, now: Date, request: IssueTapRequest): Promise<IssueTapResult> {
  const names = [...new Map(request.names.map((name) => name.trim()).filter((name) => name !== '').map((name) => [name.toLowerCase(), name])).values()];
  if (names.length === 0) throw new RolloutError('USAGE_INVALID', 'issue-tap: name at least one user (object id or UPN)');

  const granted = await ports.grantedPermissions();
  if (granted.readable) {
    const missing = missingPermissions(permissionsForIssueTap(), granted.roles);
    if (missing.length > 0) {
      const listed = missing.map((entry) => (entry.includedBy.length === 0 ? entry.permission : `${entry.permission} (or ${entry.includedBy.join(', ')})`)).join('; ');
      throw new RolloutError('GRAPH_PERMISSION_MISSING', `issue-tap: the app lacks the Microsoft Graph application permission(s) ${listed}; grant them with ${issueTapGrantCommand} (admin consent). No pass was issued.`);
    }
  }

  const policy = await readTemporaryAccessPassPolicy(ports.gateway);
  const lifetime = tapLifetime(policy, request.lifetimeMinutes);
  if (!lifetime.ok) throw new RolloutError('TAP_LIFETIME_INVALID', `issue-tap: ${lifetime.message}. No pass was issued.`);

  const exclusionOf = createExclusionCheck(config);
  const breakGlass = new Set(config.breakGlass.map((entry) => entry.toLowerCase()));
  const rows = await findRows(ports, names);
  const issued: IssuedPass[] = [];
  const refused: RefusedPass[] = [];
  const done = new Set<string>();
  const refuse = (name: string, row: RosterRow | undefined, reason: RefusedPass['reason'], message: string, failure?: RolloutError): void => {
    const userId = row?.user.directory.id ?? null;
    refused.push({ name, userId, upn: row?.user.directory.userPrincipalName ?? null, reason, message, errorCode: failure?.code ?? null, requestId: failure?.requestId ?? null });
    logger.event('tap.refused', { userId, reason, errorCode: failure?.code ?? null, requestId: failure?.requestId ?? null }, 'warn');
  };

  for (const name of names) {
    const row = rows.get(name.toLowerCase());
    if (breakGlass.has(name.toLowerCase())) {
      refuse(name, row, 'breakGlass', describeTapRefusal('breakGlass', config.rolloutId));
      continue;
    }
    if (row === undefined) {
      refuse(name, undefined, 'notInRoster', describeTapRefusal('notInRoster', config.rolloutId));
      continue;
    }
    if (done.has(row.user.directory.id)) continue; // the same user named twice (id and UPN): one pass
    done.add(row.user.directory.id);
    try {
      const decision = await decide(row, policy, exclusionOf, ports);
      if (decision.kind === 'refuse') {
        refuse(name, row, decision.reason, describeTapRefusal(decision.reason, config.rolloutId));
        continue;
      }
      const created = await create(ports, decision.account.id, request.lifetimeMinutes);
      if (created.kind === 'refused') {
        // Graph said no: find out why from Graph's state, not from the words of its answer
        const again = await decide(row, await readTemporaryAccessPassPolicy(ports.gateway), exclusionOf, ports);
        if (again.kind === 'refuse') refuse(name, row, again.reason, describeTapRefusal(again.reason, config.rolloutId), created.failure);
        else refuse(name, row, 'graphRefused', `Graph refused the pass (${created.failure.graphCode ?? created.failure.code}): ${created.failure.message}`, created.failure);
        continue;
      }
      const recorded = await record(ports, row, created.pass, now, request.runId, logger);
      const { upn } = decision.account;
      issued.push({ name, userId: decision.account.id, upn, pass: created.pass.pass, startsAt: created.pass.startsAt, expiresAt: created.pass.expiresAt, lifetimeMinutes: created.pass.lifetimeMinutes, usableOnce: created.pass.usableOnce, recorded });
      logger.event('tap.issued', { userId: decision.account.id, expiresAt: created.pass.expiresAt, lifetimeMinutes: created.pass.lifetimeMinutes, usableOnce: created.pass.usableOnce, recorded }, 'warn');
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'GRAPH_PERMISSION_MISSING' || failure.code === 'GRAPH_AUTH_FAILED' || failure.code === 'TABLE_UNAVAILABLE' || failure.code === 'TABLE_AUTH_FAILED') throw failure;
      refuse(name, row, 'failed', failure.message, failure);
    }
  }
  return { issued, refused, lifetimeMinutes: lifetime.minutes };
}

/** Roster rows for the names: ids are read directly, UPNs found in one pass over the roster. */
async function findRows(ports: IssuePorts, names: readonly string[]): Promise<Map<string, RosterRow>> {
  const found = new Map<string, RosterRow>();
  const upns = new Set(names.filter((name) => !guid.test(name)).map((name) => name.toLowerCase()));
  for (const name of names.filter((candidate) => guid.test(candidate))) {
    const row = await ports.roster.get(name.toLowerCase());
    if (row !== undefined && !isCorruptRow(row)) found.set(name.toLowerCase(), row);
  }
  if (upns.size === 0) return found;
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const upn = row.user.directory.userPrincipalName.toLowerCase();
    if (upns.has(upn)) found.set(upn, row);
  }
  return found;
}

type Decision = { readonly kind: 'issue'; readonly account: AccountFacts } | { readonly kind: 'refuse'; readonly reason: TapRefusalReason };

/** The facts for one user, read now (the roster row, then Graph), and the decision. */
async function decide(row: RosterRow, policy: TapPolicy, exclusionOf: ExclusionCheck, ports: IssuePorts): Promise<Decision> {
  const directory = row.user.directory;
  const onRow = exclusionOf(directory);
  if (onRow !== null) return { kind: 'refuse', reason: onRow };
  const account = await lookupAccount(ports.gateway, directory.id);
  if (account === null) return { kind: 'refuse', reason: 'notFound' };
  const exclusion = exclusionOf({ ...directory, id: account.id, userPrincipalName: account.upn, userType: account.guest ? 'Guest' : 'Member' });
  const targets = policy.targetGroupIds;
  const memberships = targets.length === 0 || exclusion !== null || !account.enabled ? new Set<string>() : await readJourneyMemberships(ports.gateway, account.id, targets);
  const decision = decideTapIssue({ userId: account.id, exclusion, enabled: account.enabled, memberships }, policy);
  return decision.kind === 'issue' ? { kind: 'issue', account } : decision;
}

async function create(ports: IssuePorts, userId: string, lifetimeMinutes: number | undefined): Promise<{ kind: 'created'; pass: CreatedPass } | { kind: 'refused'; failure: RolloutError }> {
  try {
    return { kind: 'created', pass: await createTemporaryAccessPass(ports.gateway, userId, lifetimeMinutes === undefined ? {} : { lifetimeMinutes }) };
  } catch (error) {
    const failure = toRolloutError(error);
    if (failure.httpStatus === 400) return { kind: 'refused', failure };
    throw failure;
  }
}

/** The roster row records the issue; a row changed meanwhile (the night) is read again once. */
async function record(ports: IssuePorts, row: RosterRow, pass: CreatedPass, now: Date, runId: string, logger: Logger): Promise<boolean> {
  let current: RosterRow | undefined = row;
  for (let attempt = 1; attempt <= 2 && current !== undefined; attempt += 1) {
    try {
      await ports.roster.recordTapIssued(current, nextTapRecord(current.tap, { at: now, expiresAt: pass.expiresAt, runId }));
      return true;
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code !== 'TABLE_CONFLICT' || attempt === 2) {
        logger.event('tap.notRecorded', { userId: row.user.directory.id, errorCode: failure.code }, 'error');
        return false;
      }
      const again = await ports.roster.get(row.user.directory.id);
      current = again === undefined || isCorruptRow(again) ? undefined : again;
    }
  }
  return false;
}
