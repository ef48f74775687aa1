import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { hashConfig } from '../core/hashConfig.js';
import { nightOf } from '../core/nightOf.js';
import { announce, isInState } from '../core/rolloutState.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import { tonightsWave } from '../core/tonightsWave.js';
import { userConcurrency } from '../core/userConcurrency.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { PlannedUser, WavePlan } from '../core/wavePlan.js';
import { closedWave, diedWave, heldWave, markerWave, startedWave, stoppedWave, syncHeldReason } from '../core/waveRecords.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { sendNotice } from '../adapters/graph/sendNotice.js';
import type { Notice } from '../adapters/tables/noticesTable.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import { checkBreakGlass } from './checkBreakGlass.js';
import { checkPermissions } from './checkPermissions.js';
import { enforceWave } from './enforceWave.js';
import { withImportedPilot } from './importPilot.js';
import { keepLease, type LeaseKeeper } from './leaseKeeper.js';
import { probeMethods } from './probeMethods.js';
import { readNightRoster } from './readNightRoster.js';
import { reconcileInFlight } from './reconcileInFlight.js';
import { refreshRoster } from './refreshRoster.js';
import { runPreflight } from './runPreflight.js';
import { timeBudget, type TimeBudget } from './timeBudget.js';
import { verifyRegistrations, type VerificationSummary } from './verifyRegistrations.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { freeWaveId } from './waveId.js';

export interface NightOptions {
  readonly config: Config;
  /** The rollout's clock: "now" for the sync gate, notices and records (a rehearsal moves it night by night). */
  readonly clock: () => Date;
  readonly ports: RolloutPorts;
  readonly logger: Logger;
  /** Identifies this run in the lease and the logs. */
  readonly runId: string;
  /** Real elapsed time, for the time budget (milliseconds, monotonic). */
  readonly elapsed?: () => number;
  /** Progress of the long phases, for a progress bar. */
  readonly onProgress?: (phase: 'refresh' | 'probe' | 'enforce', done: number, total: number | null) => void;
  /**
   * Run another wave although one already ran tonight (`run-wave --again`; the timer never passes it). It has
   * tonight's size: the ramp counts nights, not runs.
   */
  readonly again?: boolean;
}

export type NightResult =
  | { readonly outcome: 'leaseHeld'; readonly holder: string; readonly expiresAt: string }
  /** A wave already ran tonight (`tonightsWave`): nothing was read or written. */
  | { readonly outcome: 'alreadyRan'; readonly wave: WaveSummary; readonly night: string }
  | { readonly outcome: 'held'; readonly wave: WaveSummary; readonly code: 'SYNC_STALE' | 'SYNC_DISABLED' | 'PREFLIGHT_FAILED' | 'GRAPH_PERMISSION_MISSING'; readonly health: SyncHealth | null }
  | { readonly outcome: 'halted'; readonly plan: WavePlan<unknown>; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary }
  | { readonly outcome: 'nothingToDo'; readonly plan: WavePlan<unknown>; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary }
  | { readonly outcome: 'wave'; readonly wave: WaveSummary; readonly plan: WavePlan<unknown>; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary };

/** What the night hands on to the registration check after the wave. */
type NightEnd = { readonly result: NightResult; readonly verificationDue: readonly RosterRow[] };

/**
 * One night of the rollout, shared by the timer function and the CLI:
 * lease -> one wave per night (a second run refuses unless `again`) -> tenant sync gate -> roster refresh -> one read of the roster (planner fed, preflight facts, users left in
 * flight, registrations due) -> strategy preflight -> reconcile users left in flight -> plan (pure) -> probe methods
 * where readiness depends on them -> record the wave as started -> announce -> enrol the wave (throttled, batched,
 * write-ahead), halting on the failure rate and stopping on the time budget -> close the wave -> check the
 * registrations due -> release the lease.
 */
export async function runWave(nightOptions: NightOptions): Promise<NightResult> {
  const budget = timeBudget(nightOptions.config.timeBudgetMinutes, nightOptions.elapsed);
  const options = { ...nightOptions, config: await withImportedPilot(nightOptions.config, nightOptions.ports) };
  const { config, clock, ports, logger, runId } = options;
  const now = clock();
  const lease = await ports.lease.acquire(runId, now, config.leaseSeconds);
  if ('held' in lease) {
    logger.event('night.leaseHeld', { holder: lease.held.holder, expiresAt: lease.held.expiresAt }, 'warn');
    return { outcome: 'leaseHeld', holder: lease.held.holder, expiresAt: lease.held.expiresAt };
  }
  if (lease.tookOver) logger.event('night.leaseTakenOver', { runId }, 'warn');
  const keeper = keepLease(lease, config, clock, logger);
  try {
    const { result, verificationDue } = await night(options, now, keeper, budget);
    if (result.outcome === 'held' || result.outcome === 'leaseHeld' || result.outcome === 'alreadyRan') return result;
    return { ...result, verification: await verifyQuietly(options, now, budget, verificationDue) };
  } finally {
    keeper.stop();
    await lease.release().catch((error: unknown) => logger.event('night.leaseReleaseFailed', { errorCode: toRolloutError(error).code }, 'warn'));
  }
}

/** Registration checks never fail a night: the report API may be unlicensed, throttled or lagging. */
async function verifyQuietly(options: NightOptions, now: Date, budget: TimeBudget, due: readonly RosterRow[]): Promise<VerificationSummary> {
  if (budget.spent()) {
    // the report pages slowly (5 calls per 10 s): after the budget, the run would outlive the host's functionTimeout
    options.logger.event('verify.skipped', { errorCode: 'TIME_BUDGET_REACHED', reason: 'time budget spent; checked next night' }, 'warn');
    return { checked: 0, registered: 0, notRegistered: 0 };
  }
  try {
    return await verifyRegistrations(options.config, options.ports, options.logger, now, due);
  } catch (error) {
    const failure = toRolloutError(error);
    options.logger.event('verify.skipped', { errorCode: failure.code, requestId: failure.requestId ?? null, message: failure.message }, 'warn');
    return { checked: 0, registered: 0, notRegistered: 0 };
  }
}

async function night(options: NightOptions, now: Date, keeper: LeaseKeeper, budget: TimeBudget): Promise<NightEnd> {
  const { config, ports, logger } = options;
  const configHash = hashConfig(config);
  const nothingDue: readonly RosterRow[] = [];

  const recorded = await ports.waves.history();
  const tonights = tonightsWave(recorded, config, now);
  if (tonights !== null && options.again !== true) {
    const night = nightOf(now, config) ?? '';
    logger.event('night.alreadyRan', { waveId: tonights.waveId, status: tonights.status, night }, 'warn');
    return { result: { outcome: 'alreadyRan', wave: tonights, night }, verificationDue: nothingDue };
  }

  // before any Graph read or write: a permission the configuration needs and the token lacks holds the night
  const permissions = await checkPermissions(config, ports);
  if (permissions.verdict === 'unverifiable') logger.event('night.permissionsUnverified', { reason: permissions.detail }, 'warn');
  if (permissions.verdict === 'missing') {
    const wave = heldWave(freeWaveId(now, recorded), now, permissions.reason, configHash);
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: 'GRAPH_PERMISSION_MISSING', permission: permissions.missing.map((entry) => entry.permission) }, 'error');
    return { result: { outcome: 'held', wave, code: 'GRAPH_PERMISSION_MISSING', health: null }, verificationDue: nothingDue };
  }

  const health = syncHealth(await readOrganization(ports.gateway), config, now);
  if (!health.open) {
    const wave = heldWave(freeWaveId(now, recorded), now, syncHeldReason(health), configHash);
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: health.code }, 'warn');
    return { result: { outcome: 'held', wave, code: health.code, health }, verificationDue: nothingDue };
  }

  // every MFA_BREAK_GLASS entry must name a real user before anything is written (throws BREAK_GLASS_UNRESOLVED)
  await checkBreakGlass(config, ports, logger, now, { persist: true });

  await refreshRoster(ports.gateway, ports.roster, config, options.runId, logger, (users) => options.onProgress?.('refresh', users, null));

  const history = await closeDeadWaves(recorded, ports, logger);
  const planner = createWavePlanner<RosterRow>(history, config, now);
  const roster = await readNightRoster(ports.roster.rows(), planner, config, now);
  for (const userId of roster.corruptRows) logger.event('roster.corruptRow', { userId, errorCode: 'ROW_CORRUPT' }, 'warn');

  const preflight = await runPreflight(config, ports, roster.preflight);
  for (const warning of preflight.warnings) logger.event('preflight.warning', { strategy: config.strategy, message: warning }, 'warn');
  if (!preflight.ok) {
    const wave = heldWave(freeWaveId(now, recorded), now, `preflight: ${preflight.refusal}`, configHash);
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: 'PREFLIGHT_FAILED' }, 'error');
    return { result: { outcome: 'held', wave, code: 'PREFLIGHT_FAILED', health }, verificationDue: nothingDue };
  }

  for (const row of await reconcileInFlight(config, ports, logger, roster.inFlight, now)) planner.add(row.user, row);
  let plan = planner.finish();
  if (plan.probe.length > 0) {
    const nowReady = await probeMethods(config, ports, logger, plan.probe, now, (done, total) => options.onProgress?.('probe', done, total));
    // a probed user with a strong method is ready now: only then can tonight's plan change, and it is made again
    if (nowReady > 0) plan = await planAgain(options, history, now);
  }
  const corruptRows = roster.corruptRows;
  const verificationDue = roster.verificationDue;

  if (plan.autoResumeOf !== undefined) {
    await ports.waves.save(markerWave('resume', freeWaveId(now, recorded, 'resume'), now, plan.autoResumeOf, 'automatic resume (MFA_AUTO_RESUME_AFTER_NIGHTS)', configHash));
  }
  if (plan.status === 'halted') {
    logger.event('night.halted', { waveId: plan.haltedWaveId ?? null, reason: plan.haltReason ?? null }, 'warn');
    return { result: { outcome: 'halted', plan, corruptRows }, verificationDue };
  }
  if (plan.status === 'nothingToDo' || (plan.enforce.length === 0 && plan.announce.length === 0)) {
    logger.event('night.nothingToDo', { counts: nonZero(plan.waiting) });
    return { result: { outcome: 'nothingToDo', plan, corruptRows }, verificationDue };
  }

  const waveId = freeWaveId(now, recorded);
  const start = startedWave(waveId, now, plan, configHash);
  await ports.waves.save(start);
  logger.event('wave.started', { waveId, pilot: plan.pilot, targetSize: plan.targetSize, planned: plan.enforce.length, announced: plan.announce.length });

  let wave: WaveSummary;
  let announced = 0;
  try {
    announced = await announceUsers(options, plan, waveId, now);
    const verdict = await enforceWave(plan, {
      config, clock: options.clock, ports, waveId, keeper, budget, onProgress: (done, total) => options.onProgress?.('enforce', done, total),
    });
    wave = closedWave(start, announced, verdict, options.clock());
  } catch (error) {
    const failure = toRolloutError(error);
    const stopped = stoppedWave({ ...start, announced }, failure, options.clock());
    await ports.waves.save(stopped).catch(() => undefined); // the table may be what failed
    logger.event('wave.stopped', { waveId, errorCode: failure.code, reason: failure.message }, 'error');
    throw failure;
  }
  await ports.waves.save(wave);
  const summary = {
    waveId, status: wave.status, planned: wave.planned, attempted: wave.attempted, enforced: wave.enforced, alreadyDone: wave.alreadyDone,
    phoneMethodsRegistered: wave.phoneMethodsRegistered, failed: wave.failed, reason: wave.reason, topErrors: wave.topErrors,
    pilot: wave.pilot, targetSize: wave.targetSize, announced: wave.announced,
    durationSeconds: Math.round((Date.parse(wave.endedAt ?? wave.startedAt) - Date.parse(wave.startedAt)) / 1000),
  };
  if (wave.status === 'halted') logger.event('wave.halted', summary, 'error');
  else logger.event('wave.closed', summary, wave.status === 'completed' ? 'info' : 'warn');
  return { result: { outcome: 'wave', wave, plan, corruptRows }, verificationDue };
}

/** Waves a dead run left `running` are closed for the record (one run at a time: the lease); returns the history. */
async function closeDeadWaves(history: readonly WaveSummary[], ports: RolloutPorts, logger: Logger): Promise<WaveSummary[]> {
  const closed: WaveSummary[] = [];
  for (const wave of history) {
    if (wave.kind !== 'enforce' || wave.status !== 'running') {
      closed.push(wave);
      continue;
    }
    const stopped = diedWave(wave);
    await ports.waves.save(stopped);
    logger.event('wave.closedAfterRunDied', { waveId: wave.waveId, reason: stopped.reason }, 'warn');
    closed.push(stopped);
  }
  return closed;
}

/** Tonight's plan again, from a second read of the roster: only after probes made users ready. */
async function planAgain(options: NightOptions, history: readonly WaveSummary[], now: Date): Promise<WavePlan<RosterRow>> {
  const planner = createWavePlanner<RosterRow>(history, options.config, now);
  for await (const row of options.ports.roster.rows()) if (!isCorruptRow(row)) planner.add(row.user, row);
  return planner.finish();
}

async function announceUsers(options: NightOptions, plan: WavePlan<RosterRow>, waveId: string, now: Date): Promise<number> {
  const { ports, config, logger } = options;
  if (config.noticeDays === 0 || plan.announce.length === 0) return 0;
  // each notice gives the user's own date: the night the ramp is projected to reach them (never before the notice period)
  const enforceFrom = (planned: PlannedUser<RosterRow>) => planned.enforceFrom ?? new Date(now.getTime() + config.noticeDays * 86_400_000).toISOString();
  const toAnnounce = plan.announce.filter((planned) => isInState(planned.payload.user.progress, 'new'));
  // write-ahead: the notices are recorded before the users count as announced, so a run that dies half-way never
  // leaves a user announced (and enforced `noticeDays` later) without a notice; a user still `new` is announced again
  await ports.notices.save(toAnnounce.map((planned) => ({ userId: planned.id, upn: planned.upn, waveId, announcedAt: now.toISOString(), enforceFrom: enforceFrom(planned), mailedAt: null })));
  const notices: Notice[] = [];
  for (const planned of toAnnounce) {
    const row = planned.payload;
    if (!isInState(row.user.progress, 'new')) continue;
    try {
      await ports.roster.writeProgress(row, announce(row.user.progress, waveId, now, enforceFrom(planned)));
      notices.push({ userId: planned.id, upn: planned.upn, waveId, announcedAt: now.toISOString(), enforceFrom: enforceFrom(planned), mailedAt: null });
    } catch (error) {
      if (toRolloutError(error).code !== 'TABLE_CONFLICT') throw error;
    }
  }
  const mailbox = config.noticeMailbox;
  if (mailbox !== undefined && notices.length > 0) {
    // the notice is recorded first: a mail that fails leaves the notice for comms to send, never an unannounced user
    const limit = pLimit(userConcurrency(config, 'mail'));
    const mailed = await Promise.all(notices.map((notice) => limit(async () => {
      try {
        await sendNotice(ports.gateway, { mailbox, recipientUpn: notice.upn, enforceFrom: notice.enforceFrom });
        return { ...notice, mailedAt: options.clock().toISOString() };
      } catch (error) {
        const failure = toRolloutError(error);
        logger.event('notice.mailFailed', { userId: notice.userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
        return notice;
      }
    })));
    await ports.notices.save(mailed.filter((notice) => notice.mailedAt !== null));
  }
  return notices.length;
}

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
}
