import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { compareWaves } from '../core/compareWaves.js';
import { exclusionReason } from '../core/exclusions.js';
import { hashConfig } from '../core/hashConfig.js';
import { rollbackPlan, type UndoWrite } from '../core/journey/journeyRollback.js';
import { completeWrite, isInJourney, rollBackSteps } from '../core/journey/journeyTransitions.js';
import type { InJourney, JourneyState, JourneyStep } from '../core/journey/journeyTypes.js';
import { isInState } from '../core/rolloutState.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { rollbackMarkerWave } from '../core/waveRecords.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { removeGroupMember } from '../adapters/graph/groupMembership.js';
import { removeMobileMethod } from '../adapters/graph/removeMobileMethod.js';
import { readPerUserMfaState, setPerUserMfaState } from '../adapters/graph/userAuthentication.js';
import type { PhoneRemovalRefusal } from '../core/phoneRemovalRefusal.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import { keepLease } from './leaseKeeper.js';
import { reconcileInFlight } from './reconcileInFlight.js';
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

export interface RollbackEntry {
  readonly userId: string;
  readonly upn: string;
  /** The user's state in the roster before the rollback (`inFlight`: the wave's run died mid-write; resolved from Graph first). */
  readonly state: JourneyState;
  /** The writes that undo the wave's steps, newest step first. */
  readonly undo: readonly UndoWrite[];
  /** Steps the wave wrote that stay (the mobile method, without `removePhoneMethods`). */
  readonly kept: readonly JourneyStep[];
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
  /**
   * Rolled back, but the mobile the wave created is still there: Graph refuses to delete it (the user's default MFA
   * method, or an alternate mobile present). The step stays on the record: a later run removes it once the reason is gone.
   */
  readonly phoneKept: readonly { readonly userId: string; readonly upn: string; readonly reason: PhoneRemovalRefusal }[];
}

type Target = { readonly row: RosterRow; readonly progress: InJourney; readonly entry: RollbackEntry };

/**
 * `mfa-rollout rollback --wave ID`: undoes exactly the journey steps that wave wrote, from what the roster recorded
 * (`rollbackPlan`): out of the phone-retired and phishing-resistant groups, out of the campaign group, per-user MFA
 * back to its recorded previous state (or out of the MFA group), newest step first; the mobile phone methods the
 * wave created are removed only with `removePhoneMethods`. Steps the wave found already done are never touched.
 * A user the wave left in flight when its run died is first resolved from Graph (`reconcileInFlight`: did the write
 * land?), under the lease, so the rollback undoes what is really there. Every user it reaches ends `rolledBack`,
 * held until `mfa-rollout readmit`. Safe to run twice: undone steps leave the record, so a second run finds
 * nothing left to write but the phone methods it kept. Records a rollback wave, which brakes the ramp until
 * `mfa-rollout resume` (`rollbackBrake`).
 */
export async function rollbackWave(config: Config, ports: RolloutPorts, logger: Logger, now: Date, options: RollbackOptions): Promise<RollbackResult> {
  const history = await ports.waves.history();
  if (!history.some((wave) => wave.waveId === options.waveId && wave.kind === 'enforce')) {
    const recent = history.filter((wave) => wave.kind === 'enforce').sort(compareWaves).slice(-5).reverse().map((wave) => `${wave.waveId} (${wave.status})`);
    throw new RolloutError('WAVE_NOT_FOUND', `rollback: rollout ${config.rolloutId} has no wave ${options.waveId}; ${recent.length === 0 ? 'it has run no wave yet' : `the recent waves are ${recent.join(', ')}`}`);
  }
  if (options.dryRun) return { ...(await findTargets(config, ports, options)), rollbackWaveId: null, dryRun: true, reverted: 0, failed: [], phoneKept: [] };

  const lease = await ports.lease.acquire(options.runId, now, config.leaseSeconds);
  if ('held' in lease) throw new RolloutError('LEASE_HELD', `rollback: another run holds the lease (${lease.held.holder}, until ${lease.held.expiresAt}); try again after it`);
  // the lease is renewed while the rollback writes, so that it never outlives it and overlaps a night; once it is lost
  // (another run took it, or storage failed) no further user is written
  const startedAt = performance.now();
  const keeper = keepLease(lease, config, () => new Date(now.getTime() + (performance.now() - startedAt)), logger);
  const rollbackWaveId = freeWaveId(now, history, 'rollback');
  const failed: { userId: string; errorCode: string; requestId: string | null }[] = [];
  const phoneKept: { userId: string; upn: string; reason: PhoneRemovalRefusal }[] = [];
  let reverted = 0;
  let found: Omit<RollbackResult, 'rollbackWaveId' | 'dryRun' | 'reverted' | 'failed' | 'phoneKept'> = { actions: [], alreadyReverted: 0, excluded: [], phoneMethodsKept: 0 };
  let targets: readonly Target[] = [];
  try {
    // read under the lease: no night is writing these rows meanwhile; a dead run's write is settled from Graph first
    const resolved = await resolveInFlight(config, ports, logger, options.waveId, () => new Date(now.getTime() + (performance.now() - startedAt)));
    ({ targets, ...found } = await findTargets(config, ports, options, resolved));
    const limit = pLimit(userConcurrency(config, 'rollback'));
    await Promise.all(targets.map((target) => limit(async () => {
      const lost = keeper.lost();
      if (lost !== null) throw lost;
      const { userId } = target.entry;
      try {
        const refusal = await undo(ports, target, rollbackWaveId, options.waveId, now);
        if (refusal !== null) phoneKept.push({ userId, upn: target.entry.upn, reason: refusal });
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
    await ports.waves.save(rollbackMarkerWave(rollbackWaveId, now, options.waveId, { attempted: targets.length, reverted, failed: failed.length, phonesKept: phoneKept.length }, hashConfig(config)));
    await lease.release();
  }
  logger.event('wave.rolledBack', { waveId: rollbackWaveId, targetWaveId: options.waveId, attempted: targets.length, enforced: reverted, failed: failed.length, phonesKept: phoneKept.length }, 'warn');
  return { ...found, rollbackWaveId, dryRun: false, reverted, failed, phoneKept };
}

/**
 * The rows of the wave a dead run left in flight: resolved from Graph (did the recorded write land?), nothing written
 * to Graph. Returns the ids of the users resolved, whose entries then say they were in flight.
 */
async function resolveInFlight(config: Config, ports: RolloutPorts, logger: Logger, waveId: string, clock: () => Date): Promise<ReadonlySet<string>> {
  const rows: RosterRow[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (isInState(progress, 'inFlight') && touchedBy(progress, waveId)) rows.push(row);
  }
  // settling a write-ahead record reads the user's methods, state or groups; what the policy allows plays no part
  await reconcileInFlight(config, ports, logger, rows, clock, () => availabilityNotConsulted);
  return new Set(rows.map((row) => row.user.directory.id));
}

const availabilityNotConsulted = { phone: false, phoneBlockedBy: null, fido2: false, authenticator: false } as const;

/** The wave wrote (or was about to write) one of the user's steps. */
function touchedBy(progress: InJourney, waveId: string): boolean {
  if (progress.state === 'inFlight' && progress.pending.waveId === waveId) return true;
  return Object.values(progress.journey.steps).some((record) => record?.waveId === waveId);
}

/** The users of the wave the rollback writes to, and what it does to each. */
async function findTargets(config: Config, ports: RolloutPorts, options: RollbackOptions, wereInFlight: ReadonlySet<string> = new Set()): Promise<Omit<RollbackResult, 'rollbackWaveId' | 'dryRun' | 'reverted' | 'failed' | 'phoneKept'> & { targets: Target[] }> {
  const targets: Target[] = [];
  const excluded: string[] = [];
  let alreadyReverted = 0;
  let phoneMethodsKept = 0;
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (!isInJourney(progress)) continue;
    if (progress.state === 'rolledBack' && progress.rollback.targetWaveId === options.waveId) alreadyReverted += 1;
    if (!touchedBy(progress, options.waveId)) continue;
    // a dry run sees a dead run's write as landed: the most the rollback would undo (the real run resolves it first)
    const journey = progress.state === 'inFlight' ? completeWrite(progress, new Date(progress.pending.since)).journey : progress.journey;
    const plan = rollbackPlan(journey, options.waveId, { removePhoneMethods: options.removePhoneMethods, caGroupId: config.caGroupId });
    if (plan.kept.includes('phoneMethod')) phoneMethodsKept += 1;
    if (plan.undo.length === 0) continue;
    const state = wereInFlight.has(row.user.directory.id) ? 'inFlight' : progress.state;
    const entry: RollbackEntry = { userId: row.user.directory.id, upn: row.user.directory.userPrincipalName, state, undo: plan.undo, kept: plan.kept };
    if (exclusionReason(row.user.directory, config) !== null) excluded.push(row.user.directory.userPrincipalName);
    else targets.push({ row, progress, entry });
  }
  return { targets, actions: targets.map((target) => target.entry), alreadyReverted, excluded, phoneMethodsKept };
}

/**
 * Undoes one user's steps in Graph, newest first, then records the rollback on the row (with its ETag). Each undo
 * is idempotent: a per-user state already back is not written, a group Graph says the user is not in is done, a
 * mobile method already gone is done. A user still in flight here (unresolved: Graph could not be read) is refused.
 * A mobile Graph refuses to delete (default MFA method, alternate mobile) stays on the record as the wave's step, and
 * its reason is returned: the user's other steps are rolled back all the same.
 */
async function undo(ports: RolloutPorts, target: Target, rollbackWaveId: string, targetWaveId: string, now: Date): Promise<PhoneRemovalRefusal | null> {
  const { row, progress, entry } = target;
  const userId = entry.userId;
  if (progress.state === 'inFlight') {
    throw new RolloutError('RUN_INTERRUPTED', `user ${userId}: a write of step ${progress.pending.step} by wave ${progress.pending.waveId} could not be resolved from Graph; run the rollback again`);
  }
  let refusal: PhoneRemovalRefusal | null = null;
  for (const write of entry.undo) {
    switch (write.kind) {
      case 'restorePerUserMfaState':
        if ((await readPerUserMfaState(ports.gateway, userId)) !== write.state) await setPerUserMfaState(ports.gateway, userId, write.state);
        break;
      case 'removeGroupMember':
        await removeGroupMember(ports.gateway, write.groupId, userId);
        break;
      case 'deleteMobileMethod': {
        const removal = await removeMobileMethod(ports.gateway, userId);
        if (removal !== 'removed' && removal !== 'alreadyGone') refusal = removal;
        break;
      }
    }
  }
  const undone = entry.undo.filter((write) => write.kind !== 'deleteMobileMethod' || refusal === null).map((write) => write.step);
  await ports.roster.writeProgress(row, rollBackSteps(progress, undone, { rollbackWaveId, targetWaveId, at: now }));
  return refusal;
}
