import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { exclusionReason } from '../core/exclusions.js';
import { isInState, rollBack } from '../core/rolloutState.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { removeGroupMember } from '../adapters/graph/groupMembership.js';
import { removeMobileMethod } from '../adapters/graph/removeMobileMethod.js';
import { readPerUserMfaState, setPerUserMfaState } from '../adapters/graph/userAuthentication.js';
import type { PhoneRemovalRefusal } from '../core/phoneRemovalRefusal.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { hashConfig, markerWave } from './runWave.js';
import { waveIdAt } from './waveId.js';

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

export interface RollbackResult {
  readonly rollbackWaveId: string | null;
  readonly dryRun: boolean;
  /** What the rollback does (or did) per user. */
  readonly actions: readonly { readonly userId: string; readonly upn: string; readonly actions: readonly RollbackAction[] }[];
  readonly reverted: number;
  /** Users of the wave already rolled back by an earlier run: left alone. */
  readonly alreadyReverted: number;
  /** Users of the wave who are excluded now (e.g. added to the break-glass list): never written to. */
  readonly excluded: readonly string[];
  readonly failed: readonly { readonly userId: string; readonly errorCode: string; readonly requestId: string | null }[];
  /**
   * Rolled back, but the mobile the wave created is still there: Graph refuses to delete it (the user's default MFA
   * method, or an alternate mobile present). Running again does not help; the reason says what must change first.
   */
  readonly phoneKept: readonly { readonly userId: string; readonly upn: string; readonly reason: PhoneRemovalRefusal }[];
}

/**
 * `mfa-rollout rollback --wave ID`: undoes exactly what that wave changed, from what the roster recorded:
 * per-user MFA back to its recorded previous state, or the user taken out of the MFA group; the mobile phone
 * methods the wave created are removed only with `removePhoneMethods`. Users the wave did not change
 * (already in the target state) are not touched. Safe to run twice: rolled-back users are skipped, and a user
 * whose state is already the previous one gets no write. Records a rollback wave.
 */
export async function rollbackWave(config: Config, ports: RolloutPorts, logger: Logger, now: Date, options: RollbackOptions): Promise<RollbackResult> {
  const history = await ports.waves.history();
  if (!history.some((wave) => wave.waveId === options.waveId && wave.kind === 'enforce')) {
    throw new RolloutError('PREFLIGHT_FAILED', `rollback: there is no wave ${options.waveId} in rollout ${config.rolloutId}`);
  }
  const targets: { row: RosterRow; actions: RollbackAction[] }[] = [];
  const excluded: string[] = [];
  let alreadyReverted = 0;
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (isInState(progress, 'rolledBack') && progress.waveId === options.waveId) alreadyReverted += 1;
    if (!isInState(progress, 'enforced') || progress.waveId !== options.waveId) continue;
    const actions: RollbackAction[] = [];
    if (!progress.alreadyDone) actions.push(config.strategy === 'perUserMfa' ? 'restorePerUserState' : 'leaveMfaGroup');
    if (options.removePhoneMethods && progress.phoneMethodCreated) actions.push('removePhoneMethod');
    if (actions.length === 0) continue;
    if (exclusionReason(row.user.directory, config) !== null) excluded.push(row.user.directory.userPrincipalName);
    else targets.push({ row, actions });
  }
  const planned = targets.map(({ row, actions }) => ({ userId: row.user.directory.id, upn: row.user.directory.userPrincipalName, actions }));
  if (options.dryRun) return { rollbackWaveId: null, dryRun: true, actions: planned, reverted: 0, alreadyReverted, excluded, failed: [], phoneKept: [] };

  const lease = await ports.lease.acquire(options.runId, now, config.leaseSeconds);
  if ('held' in lease) throw new RolloutError('LEASE_HELD', `rollback: another run holds the lease (${lease.held.holder}, until ${lease.held.expiresAt}); try again after it`);
  const rollbackWaveId = waveIdAt(now, 'rollback');
  const failed: { userId: string; errorCode: string; requestId: string | null }[] = [];
  const phoneKept: { userId: string; upn: string; reason: PhoneRemovalRefusal }[] = [];
  let reverted = 0;
  try {
    const limit = pLimit(Math.max(1, config.graphConcurrency * 4));
    await Promise.all(targets.map(({ row, actions }) => limit(async () => {
      const userId = row.user.directory.id;
      const progress = row.user.progress;
      if (!isInState(progress, 'enforced')) return;
      try {
        if (actions.includes('restorePerUserState')) {
          const previous = progress.previousMfaState ?? 'disabled';
          if ((await readPerUserMfaState(ports.gateway, userId)) !== previous) await setPerUserMfaState(ports.gateway, userId, previous);
        }
        if (actions.includes('leaveMfaGroup')) await removeGroupMember(ports.gateway, config.caGroupId ?? '', userId);
        if (actions.includes('removePhoneMethod')) {
          const removal = await removeMobileMethod(ports.gateway, userId);
          if (removal !== 'removed' && removal !== 'alreadyGone') phoneKept.push({ userId, upn: row.user.directory.userPrincipalName, reason: removal });
        }
        await ports.roster.writeProgress(row, rollBack(progress, rollbackWaveId, now));
        reverted += 1;
      } catch (error) {
        const failure = toRolloutError(error);
        if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
        failed.push({ userId, errorCode: failure.code, requestId: failure.requestId ?? null });
        await ports.failures.record({
          waveId: rollbackWaveId, userId, upn: row.user.directory.userPrincipalName, step: 'rollback', errorCode: failure.code,
          httpStatus: failure.httpStatus ?? null, graphCode: failure.graphCode ?? null, requestId: failure.requestId ?? null, attempt: 1,
          at: now.toISOString(), message: failure.message,
        });
      }
      options.onProgress?.(reverted + failed.length, targets.length);
    })));
  } finally {
    await ports.waves.save({
      ...markerWave('rollback', rollbackWaveId, now, options.waveId, `rolled back ${reverted} of ${targets.length} user(s)${failed.length > 0 ? `; ${failed.length} failed (run it again)` : ''}${phoneKept.length > 0 ? `; ${phoneKept.length} mobile(s) kept: Graph refuses to delete them (default MFA method or alternate mobile)` : ''}`, hashConfig(config)),
      attempted: targets.length,
      enforced: reverted,
      failed: failed.length,
    });
    await lease.release();
  }
  logger.event('wave.rolledBack', { waveId: rollbackWaveId, targetWaveId: options.waveId, attempted: targets.length, enforced: reverted, failed: failed.length, phonesKept: phoneKept.length }, 'warn');
  return { rollbackWaveId, dryRun: false, actions: planned, reverted, alreadyReverted, excluded, failed, phoneKept };
}
