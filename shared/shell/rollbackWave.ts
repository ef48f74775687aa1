import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { compareWaves } from '../core/compareWaves.js';
import { exclusionReason } from '../core/exclusions.js';
import { hashConfig } from '../core/hashConfig.js';
import { forgetPhoneMethod, isInState, rollBack } from '../core/rolloutState.js';
import type { PerUserMfaState, RolloutState } from '../core/rosterUser.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { markerWave } from '../core/waveRecords.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { removeGroupMember } from '../adapters/graph/groupMembership.js';
import { deleteMobileMethod, readMethods, readPerUserMfaState, setPerUserMfaState } from '../adapters/graph/userAuthentication.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import { keepLease } from './leaseKeeper.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { freeWaveId } from './waveId.js';

export interface RollbackOptions {
  readonly waveId: string;
  readonly dryRun: boolean;
  /** Also delete the mobile phone methods the wave created (never those that existed before). */
  readonly removePhoneMethods: boolean;
  readonly runId: string;
  /** Progress of the writes, for a progress bar: users done (reverted or failed) of those to roll back. */
  readonly onProgress?: (done: number, total: number) => void;
}

export type RollbackAction = 'restorePerUserState' | 'leaveMfaGroup' | 'removePhoneMethod';

export interface RollbackEntry {
  readonly userId: string;
  readonly upn: string;
  /** The user's state in the roster now: `enforced`, `inFlight` (the wave's run died), `failed`/`parked` (its attempt created the phone method) or `rolledBack` (an earlier rollback kept the phone method). */
  readonly state: RolloutState;
  readonly actions: readonly RollbackAction[];
  /** What the MFA requirement goes back to: the recorded per-user state, out of the MFA group, or unchanged. */
  readonly returnsTo: PerUserMfaState | 'outOfMfaGroup' | 'unchanged';
  /** The roster state afterwards: `rolledBack`, or the same failed/parked/rolledBack state without the phone method. */
  readonly endsAs: RolloutState;
}

export interface RollbackResult {
  readonly rollbackWaveId: string | null;
  readonly dryRun: boolean;
  /** What the rollback does (or did) per user. */
  readonly actions: readonly RollbackEntry[];
  readonly reverted: number;
  /** Users of the wave already rolled back by an earlier run: left alone (unless their phone method is removed now). */
  readonly alreadyReverted: number;
  /** Users of the wave who are excluded now (e.g. added to the break-glass list): never written to. */
  readonly excluded: readonly string[];
  /** Mobile phone methods the wave created that stay, because `removePhoneMethods` was not asked for. */
  readonly phoneMethodsKept: number;
  readonly failed: readonly { readonly userId: string; readonly errorCode: string; readonly requestId: string | null }[];
}

type Target = { readonly row: RosterRow; readonly entry: RollbackEntry };

/**
 * `mfa-rollout rollback --wave ID`: undoes exactly what that wave changed, from what the roster recorded:
 * per-user MFA back to its recorded previous state, or the user taken out of the MFA group; the mobile phone
 * methods the wave created are removed only with `removePhoneMethods`. It reaches every user the wave wrote:
 * enforced ones (reconciled by a later night or not), those the wave left in flight when its run died (Graph is
 * restored from the recorded intent; by the time a rollback holds the lease, the dead run's writes have long
 * landed), and, for the phone methods, users whose attempt in the wave created the method and then failed.
 * Users the wave did not change (already in the target state) are not touched. Safe to run twice: rolled-back
 * users are skipped, and a user whose state is already the previous one gets no write. Records a rollback wave,
 * which brakes the ramp until `mfa-rollout resume` (`rollbackBrake`).
 */
export async function rollbackWave(config: Config, ports: RolloutPorts, logger: Logger, now: Date, options: RollbackOptions): Promise<RollbackResult> {
  const history = await ports.waves.history();
  if (!history.some((wave) => wave.waveId === options.waveId && wave.kind === 'enforce')) {
    const recent = history.filter((wave) => wave.kind === 'enforce').sort(compareWaves).slice(-5).reverse().map((wave) => `${wave.waveId} (${wave.status})`);
    throw new RolloutError('WAVE_NOT_FOUND', `rollback: rollout ${config.rolloutId} has no wave ${options.waveId}; ${recent.length === 0 ? 'it has run no wave yet' : `the recent waves are ${recent.join(', ')}`}`);
  }
  if (options.dryRun) return { ...(await findTargets(config, ports, options)), rollbackWaveId: null, dryRun: true, reverted: 0, failed: [] };

  const lease = await ports.lease.acquire(options.runId, now, config.leaseSeconds);
  if ('held' in lease) throw new RolloutError('LEASE_HELD', `rollback: another run holds the lease (${lease.held.holder}, until ${lease.held.expiresAt}); try again after it`);
  // the lease is renewed while the rollback writes, so that it never outlives it and overlaps a night; once it is lost
  // (another run took it, or storage failed) no further user is written
  const startedAt = performance.now();
  const keeper = keepLease(lease, config, () => new Date(now.getTime() + (performance.now() - startedAt)), logger);
  const rollbackWaveId = freeWaveId(now, history, 'rollback');
  const failed: { userId: string; errorCode: string; requestId: string | null }[] = [];
  let reverted = 0;
  let found: Omit<RollbackResult, 'rollbackWaveId' | 'dryRun' | 'reverted' | 'failed'> = { actions: [], alreadyReverted: 0, excluded: [], phoneMethodsKept: 0 };
  let targets: readonly Target[] = [];
  try {
    // read under the lease: no night is writing these rows meanwhile
    ({ targets, ...found } = await findTargets(config, ports, options));
    const limit = pLimit(userConcurrency(config, 'rollback'));
    await Promise.all(targets.map((target) => limit(async () => {
      const lost = keeper.lost();
      if (lost !== null) throw lost;
      const { userId } = target.entry;
      try {
        await undo(config, ports, target, rollbackWaveId, now);
        reverted += 1;
      } catch (error) {
        const failure = toRolloutError(error);
        if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
        failed.push({ userId, errorCode: failure.code, requestId: failure.requestId ?? null });
        await ports.failures.record({
          waveId: rollbackWaveId, userId, upn: target.entry.upn, step: 'rollback', errorCode: failure.code,
          httpStatus: failure.httpStatus ?? null, graphCode: failure.graphCode ?? null, requestId: failure.requestId ?? null, attempt: 1,
          at: now.toISOString(), message: failure.message,
        });
      }
      options.onProgress?.(reverted + failed.length, targets.length);
    })));
  } finally {
    keeper.stop();
    await ports.waves.save({
      ...markerWave('rollback', rollbackWaveId, now, options.waveId, `rolled back ${reverted} of ${targets.length} user(s)${failed.length > 0 ? `; ${failed.length} failed (run it again)` : ''}`, hashConfig(config)),
      attempted: targets.length,
      enforced: reverted,
      failed: failed.length,
    });
    await lease.release();
  }
  logger.event('wave.rolledBack', { waveId: rollbackWaveId, targetWaveId: options.waveId, attempted: targets.length, enforced: reverted, failed: failed.length }, 'warn');
  return { ...found, rollbackWaveId, dryRun: false, reverted, failed };
}

/** The users of the wave the rollback writes to, and what it does to each. */
async function findTargets(config: Config, ports: RolloutPorts, options: RollbackOptions): Promise<Omit<RollbackResult, 'rollbackWaveId' | 'dryRun' | 'reverted' | 'failed'> & { targets: Target[] }> {
  const targets: Target[] = [];
  const excluded: string[] = [];
  let alreadyReverted = 0;
  let phoneMethodsKept = 0;
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (!('waveId' in progress) || progress.waveId !== options.waveId) continue;
    if (isInState(progress, 'rolledBack')) alreadyReverted += 1;
    const entry = entryFor(row, config, options.removePhoneMethods);
    if (entry === null) continue;
    if (entry.phoneMethodCreated && !options.removePhoneMethods) phoneMethodsKept += 1;
    if (entry.actions.length === 0) continue;
    if (exclusionReason(row.user.directory, config) !== null) excluded.push(row.user.directory.userPrincipalName);
    else targets.push({ row, entry });
  }
  return { targets, actions: targets.map((target) => target.entry), alreadyReverted, excluded, phoneMethodsKept };
}

/** What rolling one user of the wave back means, from their recorded progress; null when the wave never wrote them. */
function entryFor(row: RosterRow, config: Config, removePhoneMethods: boolean): (RollbackEntry & { readonly phoneMethodCreated: boolean }) | null {
  const progress = row.user.progress;
  const base = { userId: row.user.directory.id, upn: row.user.directory.userPrincipalName, state: progress.state };
  const requirement = (previous: PerUserMfaState | null, alreadyDone: boolean) => {
    if (alreadyDone) return { actions: [] as RollbackAction[], returnsTo: 'unchanged' as const };
    return config.strategy === 'perUserMfa'
      ? { actions: ['restorePerUserState'] as RollbackAction[], returnsTo: previous ?? 'disabled' }
      : { actions: ['leaveMfaGroup'] as RollbackAction[], returnsTo: 'outOfMfaGroup' as const };
  };
  const phone = (created: boolean): RollbackAction[] => (created && removePhoneMethods ? ['removePhoneMethod'] : []);
  switch (progress.state) {
    case 'enforced': {
      const undo = requirement(progress.previousMfaState, progress.alreadyDone);
      return { ...base, ...undo, actions: [...undo.actions, ...phone(progress.phoneMethodCreated)], endsAs: 'rolledBack', phoneMethodCreated: progress.phoneMethodCreated };
    }
    case 'inFlight': {
      const undo = requirement(progress.intent.previousMfaState, progress.intent.alreadyDone);
      return { ...base, ...undo, actions: [...undo.actions, ...phone(progress.intent.createsPhoneMethod)], endsAs: 'rolledBack', phoneMethodCreated: progress.intent.createsPhoneMethod };
    }
    case 'failed':
    case 'parked':
    case 'rolledBack': {
      const created = progress.phoneMethodCreated === true;
      if (!created) return null;
      return { ...base, actions: phone(true), returnsTo: 'unchanged', endsAs: progress.state, phoneMethodCreated: true };
    }
    default:
      return null;
  }
}

/** Undoes one user's writes in Graph, then records the rollback on the row (with its ETag). */
async function undo(config: Config, ports: RolloutPorts, target: Target, rollbackWaveId: string, now: Date): Promise<void> {
  const { row, entry } = target;
  const progress = row.user.progress;
  const userId = entry.userId;
  if (entry.actions.includes('restorePerUserState') && entry.returnsTo !== 'outOfMfaGroup' && entry.returnsTo !== 'unchanged') {
    if ((await readPerUserMfaState(ports.gateway, userId)) !== entry.returnsTo) await setPerUserMfaState(ports.gateway, userId, entry.returnsTo);
  }
  if (entry.actions.includes('leaveMfaGroup')) await removeGroupMember(ports.gateway, config.caGroupId ?? '', userId);
  const removing = entry.actions.includes('removePhoneMethod');
  if (removing) {
    await deleteMobileMethod(ports.gateway, userId).catch((error: unknown) => {
      if (toRolloutError(error).httpStatus !== 404) throw error;
    });
  }
  if (isInState(progress, 'enforced')) {
    await ports.roster.writeProgress(row, rollBack(progress, rollbackWaveId, now, progress.phoneMethodCreated && !removing));
  } else if (isInState(progress, 'inFlight')) {
    // the dead run may or may not have created the method it meant to: Graph says whether one is there now
    const kept = progress.intent.createsPhoneMethod && !removing && (await readMethods(ports.gateway, userId)).phoneMethods.some((method) => method.phoneType === 'mobile');
    await ports.roster.writeProgress(row, rollBack(progress, rollbackWaveId, now, kept));
  } else if (isInState(progress, 'failed', 'parked', 'rolledBack') && removing) {
    await ports.roster.writeProgress(row, forgetPhoneMethod(progress));
  }
}
