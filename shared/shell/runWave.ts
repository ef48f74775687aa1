import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { shouldHalt } from '../core/haltPolicy.js';
import { announce, isInState, recoverInFlight } from '../core/rolloutState.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import { topErrors } from '../core/topErrors.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { WavePlan } from '../core/wavePlan.js';
import type { RolloutError } from '../errors/RolloutError.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { readMethods, readPerUserMfaState } from '../adapters/graph/userAuthentication.js';
import type { Notice } from '../adapters/tables/noticesTable.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { Lease } from '../adapters/tables/runLease.js';
import { enrolUser, type EnrolmentResult } from './enrolUser.js';
import { mailNotices } from './mailNotices.js';
import { withImportedPilot } from './importPilot.js';
import { refreshRoster } from './refreshRoster.js';
import { runPreflight } from './runPreflight.js';
import { verifyRegistrations, type VerificationSummary } from './verifyRegistrations.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { waveIdAt } from './waveId.js';

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
}

export type NightResult =
  | { readonly outcome: 'leaseHeld'; readonly holder: string; readonly expiresAt: string }
  | { readonly outcome: 'held'; readonly wave: WaveSummary; readonly code: 'SYNC_STALE' | 'SYNC_DISABLED' | 'PREFLIGHT_FAILED' }
  | { readonly outcome: 'halted'; readonly plan: WavePlan; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary }
  | { readonly outcome: 'nothingToDo'; readonly plan: WavePlan; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary }
  | { readonly outcome: 'wave'; readonly wave: WaveSummary; readonly plan: WavePlan; readonly corruptRows: readonly string[]; readonly verification?: VerificationSummary };

/**
 * One night of the rollout, shared by the timer function and the CLI:
 * lease -> tenant sync gate -> roster refresh -> reconcile users left in flight -> plan (pure) -> probe
 * methods where readiness depends on them -> announce -> enrol the wave (throttled, batched, write-ahead),
 * halting on the failure rate and stopping on the time budget -> close the wave -> release the lease.
 */
export async function runWave(nightOptions: NightOptions): Promise<NightResult> {
  const budget = timeBudget(nightOptions);
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
    const result = await night(options, now, keeper, budget);
    if (result.outcome === 'held' || result.outcome === 'leaseHeld') return result;
    return { ...result, verification: await verifyQuietly(options, now, budget) };
  } finally {
    keeper.stop();
    await lease.release().catch((error: unknown) => logger.event('night.leaseReleaseFailed', { errorCode: toRolloutError(error).code }, 'warn'));
  }
}

/** Registration checks never fail a night: the report API may be unlicensed, throttled or lagging. */
async function verifyQuietly(options: NightOptions, now: Date, budget: TimeBudget): Promise<VerificationSummary> {
  if (budget.spent()) {
    // the report pages slowly (5 calls per 10 s): after the budget, the run would outlive the host's functionTimeout
    options.logger.event('verify.skipped', { errorCode: 'TIME_BUDGET_REACHED', reason: 'time budget spent; checked next night' }, 'warn');
    return { checked: 0, registered: 0, notRegistered: 0 };
  }
  try {
    return await verifyRegistrations(options.config, options.ports, options.logger, now);
  } catch (error) {
    const failure = toRolloutError(error);
    options.logger.event('verify.skipped', { errorCode: failure.code, requestId: failure.requestId ?? null, message: failure.message }, 'warn');
    return { checked: 0, registered: 0, notRegistered: 0 };
  }
}

/** MFA_TIME_BUDGET_MINUTES, counted from the start of the run, as the host's functionTimeout counts. */
interface TimeBudget {
  spent(): boolean;
}

function timeBudget(options: NightOptions): TimeBudget {
  const elapsed = options.elapsed ?? (() => performance.now());
  const startedAt = elapsed();
  const budgetMs = options.config.timeBudgetMinutes * 60_000;
  return { spent: () => elapsed() - startedAt > budgetMs };
}

interface LeaseKeeper {
  /** Set when a renewal failed: the run must stop writing. */
  lost: RolloutError | null;
  stop(): void;
}

function keepLease(lease: Lease, config: Config, clock: () => Date, logger: Logger): LeaseKeeper {
  const keeper: LeaseKeeper = { lost: null, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    lease.renew(clock(), config.leaseSeconds).catch((error: unknown) => {
      keeper.lost = toRolloutError(error, 'LEASE_HELD');
      logger.event('night.leaseLost', { errorCode: keeper.lost.code }, 'error');
    });
  }, Math.max(1000, (config.leaseSeconds * 1000) / 3));
  timer.unref();
  return keeper;
}

async function night(options: NightOptions, now: Date, keeper: LeaseKeeper, budget: TimeBudget): Promise<NightResult> {
  const { config, ports, logger } = options;
  const configHash = hashConfig(config);

  const health = syncHealth(await readOrganization(ports.gateway), config, now);
  if (!health.open) {
    const wave = heldWave(waveIdAt(now), now, health, configHash);
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: health.code }, 'warn');
    return { outcome: 'held', wave, code: health.code };
  }

  const refreshId = `${options.runId}`;
  await refreshRoster(ports.gateway, ports.roster, config, refreshId, logger, (users) => options.onProgress?.('refresh', users, null));

  const preflight = await runPreflight(config, ports);
  for (const warning of preflight.warnings) logger.event('preflight.warning', { strategy: config.strategy, message: warning }, 'warn');
  if (!preflight.ok) {
    const wave = { ...heldWave(waveIdAt(now), now, health, configHash), reason: `preflight: ${preflight.refusal}` };
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: 'PREFLIGHT_FAILED' }, 'error');
    return { outcome: 'held', wave, code: 'PREFLIGHT_FAILED' };
  }
  let history = await ports.waves.history();
  // one run at a time (the lease): a wave still `running` was left by a run that died before closing it
  const dead = history.filter((wave) => wave.kind === 'enforce' && wave.status === 'running');
  for (const wave of dead) {
    const reason = `the run died before closing this wave (killed, timed out or recycled); the counts are as saved at its start, and the users it left in flight were reconciled from Graph by the next run`;
    await ports.waves.save({ ...wave, status: 'stopped', reason });
    logger.event('wave.closedAfterRunDied', { waveId: wave.waveId, reason }, 'warn');
  }
  if (dead.length > 0) history = await ports.waves.history();

  const reconciled = await reconcileInFlight(options, now);
  let { plan, corruptRows } = await planFromRoster(options, history, now);
  if (plan.probe.length > 0 || reconciled > 0) {
    await probeMethods(options, plan.probe, now);
    ({ plan, corruptRows } = await planFromRoster(options, history, now));
  }
  for (const userId of corruptRows) logger.event('roster.corruptRow', { userId, errorCode: 'ROW_CORRUPT' }, 'warn');

  if (plan.autoResumeOf !== undefined) {
    await ports.waves.save(markerWave('resume', waveIdAt(now, 'resume'), now, plan.autoResumeOf, 'automatic resume (MFA_AUTO_RESUME_AFTER_NIGHTS)', configHash));
    history = await ports.waves.history();
  }
  if (plan.status === 'halted') {
    logger.event('night.halted', { waveId: plan.haltedWaveId ?? null, reason: plan.haltReason ?? null }, 'warn');
    return { outcome: 'halted', plan, corruptRows };
  }
  if (plan.status === 'nothingToDo' || (plan.enforce.length === 0 && plan.announce.length === 0)) {
    logger.event('night.nothingToDo', { counts: nonZero(plan.waiting) });
    return { outcome: 'nothingToDo', plan, corruptRows };
  }

  const waveId = waveIdAt(now);
  const needed = new Set([...plan.enforce.map((user) => user.id), ...plan.announce.map((user) => user.id)]);
  const rows = await rowsById(options, needed);
  let wave: WaveSummary = {
    waveId, kind: 'enforce', status: 'running', startedAt: now.toISOString(), endedAt: null, pilot: plan.pilot,
    targetSize: plan.targetSize, planned: plan.enforce.length, announced: 0, attempted: 0, enforced: 0, alreadyDone: 0,
    phoneMethodsRegistered: 0, failed: 0, skipped: nonZero(plan.waiting), reason: null, topErrors: [], targetWaveId: null, configHash,
  };
  await ports.waves.save(wave);
  logger.event('wave.started', { waveId, pilot: plan.pilot, targetSize: plan.targetSize, planned: plan.enforce.length, announced: plan.announce.length });

  const announcement = await announceUsers(options, plan, rows, waveId, now, budget);
  wave = { ...wave, announced: announcement.count };
  try {
    // the notices are mailed beside the enforcement, on their own queue; the night ends when both have
    wave = await enforceWave(options, plan, rows, wave, keeper, budget);
    await announcement.mailed;
  } catch (error) {
    await announcement.mailed;
    const failure = toRolloutError(error);
    wave = { ...wave, status: 'stopped', endedAt: options.clock().toISOString(), reason: `${failure.code}: ${failure.message}` };
    await ports.waves.save(wave).catch(() => undefined); // the table may be what failed
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
  return { outcome: 'wave', wave, plan, corruptRows };
}

/** Streams the roster through the planner; corrupt rows are reported by name and left out. */
async function planFromRoster(options: NightOptions, history: readonly WaveSummary[], now: Date): Promise<{ plan: WavePlan; corruptRows: string[] }> {
  const planner = createWavePlanner(history, options.config, now);
  const corruptRows: string[] = [];
  for await (const row of options.ports.roster.rows()) {
    if (isCorruptRow(row)) corruptRows.push(row.userId);
    else planner.add(row.user);
  }
  return { plan: planner.finish(), corruptRows };
}

async function rowsById(options: NightOptions, ids: ReadonlySet<string>): Promise<Map<string, RosterRow>> {
  const rows = new Map<string, RosterRow>();
  if (ids.size === 0) return rows;
  for await (const row of options.ports.roster.rows()) {
    if (!isCorruptRow(row) && ids.has(row.user.directory.id)) rows.set(row.user.directory.id, row);
  }
  return rows;
}

/**
 * Users left `inFlight` by a run that died: Graph is read to see whether the write landed, and the row is
 * resolved (enforced, or failed to be retried). Only then is anything written again.
 */
async function reconcileInFlight(options: NightOptions, now: Date): Promise<number> {
  const { config, ports, logger } = options;
  const stuck: RosterRow[] = [];
  for await (const row of ports.roster.rows()) {
    if (!isCorruptRow(row) && isInState(row.user.progress, 'inFlight')) stuck.push(row);
  }
  const limit = pLimit(Math.max(1, config.graphConcurrency * 4));
  await Promise.all(stuck.map((row) => limit(async () => {
    const progress = row.user.progress;
    if (!isInState(progress, 'inFlight')) return;
    const userId = row.user.directory.id;
    try {
      const methods = await readMethods(ports.gateway, userId);
      // per-user state is read from Graph; the MFA group's membership came with tonight's roster refresh
      const enforced = config.strategy === 'perUserMfa'
        ? [config.perUserState, 'enforced'].includes(await readPerUserMfaState(ports.gateway, userId))
        : row.user.directory.groupIds.includes(config.caGroupId ?? '');
      const mobileMethodExists = methods.phoneMethods.some((method) => method.phoneType === 'mobile');
      const next = recoverInFlight(progress, enforced ? { enforced: true, mobileMethodExists } : { enforced: false, mobileMethodExists }, config, now);
      if (next.state !== 'enforced') {
        await ports.failures.record({
          waveId: progress.waveId, userId, upn: row.user.directory.userPrincipalName, step: progress.step, errorCode: 'RUN_INTERRUPTED',
          httpStatus: null, graphCode: null, requestId: null, attempt: progress.attempts, at: now.toISOString(),
          message: `The run of wave ${progress.waveId} stopped during step ${progress.step}; Graph shows the write not done, so it is retried`,
        });
      }
      await ports.roster.writeProgress(row, next);
      logger.event('roster.reconciled', { userId, waveId: progress.waveId, step: progress.step, state: next.state });
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_CONFLICT') return; // another writer resolved it
      logger.event('roster.reconcileFailed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
    }
  })));
  if (stuck.length > 0) logger.event('roster.inFlightFound', { users: stuck.length });
  return stuck.length;
}

/** Reads the authentication methods of users whose readiness depends on them, and records what was found. */
async function probeMethods(options: NightOptions, userIds: readonly string[], now: Date): Promise<void> {
  const { ports, logger, config } = options;
  const limit = pLimit(Math.max(1, config.graphConcurrency * 20));
  let done = 0;
  await Promise.all(userIds.map((userId) => limit(async () => {
    try {
      const methods = await readMethods(ports.gateway, userId);
      await ports.roster.recordMethods(userId, methods.strongMethods.length > 0 ? 'registered' : 'none', now.toISOString());
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      logger.event('roster.probeFailed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
    }
    done += 1;
    options.onProgress?.('probe', done, userIds.length);
  })));
  if (userIds.length > 0) logger.event('roster.probed', { probed: userIds.length });
}

/** Tonight's announcements, and the mailing of their notices, which goes on beside the enforcement. */
interface Announcement {
  readonly count: number;
  /** Settles when every notice has an outcome in the notices table (mailed, deferred, failed, or not mailable). */
  readonly mailed: Promise<void>;
}

async function announceUsers(options: NightOptions, plan: WavePlan, rows: Map<string, RosterRow>, waveId: string, now: Date, budget: TimeBudget): Promise<Announcement> {
  const { ports, config } = options;
  const backlog = await earlierNoticesToMail(options, now);
  if (config.noticeDays === 0 || plan.announce.length === 0) return { count: 0, mailed: mailQuietly(options, backlog, budget) };
  const enforceFrom = new Date(now.getTime() + config.noticeDays * 86_400_000).toISOString();
  const toAnnounce = plan.announce.filter((planned) => {
    const row = rows.get(planned.id);
    return row !== undefined && isInState(row.user.progress, 'new');
  });
  const notice = (planned: { id: string; upn: string }): Notice => {
    const mail = rows.get(planned.id)?.user.directory.mail ?? null;
    return { userId: planned.id, upn: planned.upn, waveId, announcedAt: now.toISOString(), enforceFrom, mailedAt: null, notMailedReason: mail === null ? 'noMailAddress' : config.noticeMailbox === undefined ? 'noMailbox' : null };
  };
  // write-ahead: the notices are recorded before the users count as announced, so a run that dies half-way never
  // leaves a user announced (and enforced `noticeDays` later) without a notice; a user still `new` is announced again
  await ports.notices.save(toAnnounce.map(notice));
  const notices: Notice[] = [];
  for (const planned of toAnnounce) {
    const row = rows.get(planned.id);
    if (row === undefined || !isInState(row.user.progress, 'new')) continue;
    try {
      rows.set(planned.id, await ports.roster.writeProgress(row, announce(row.user.progress, waveId, now)));
      notices.push(notice(planned));
    } catch (error) {
      if (toRolloutError(error).code !== 'TABLE_CONFLICT') throw error;
    }
  }
  const toMail = notices.map((entry) => ({ ...entry, mail: rows.get(entry.userId)?.user.directory.mail ?? null }));
  return { count: notices.length, mailed: mailQuietly(options, [...backlog, ...toMail], budget) };
}

/** Notices of earlier nights deferred (daily limit, time budget) whose MFA date is still ahead, with their users' `mail`. */
async function earlierNoticesToMail(options: NightOptions, now: Date): Promise<(Notice & { readonly mail: string | null })[]> {
  if (options.config.noticeMailbox === undefined) return [];
  const deferred: Notice[] = [];
  for await (const entry of options.ports.notices.all()) {
    if (entry.mailedAt === null && (entry.notMailedReason === 'dailyLimit' || entry.notMailedReason === 'timeBudget') && entry.enforceFrom > now.toISOString()) deferred.push(entry);
  }
  if (deferred.length === 0) return [];
  const rows = await rowsById(options, new Set(deferred.map((entry) => entry.userId)));
  return deferred.map((entry) => ({ ...entry, mail: rows.get(entry.userId)?.user.directory.mail ?? null }));
}

/**
 * Mails the notices on the mail gateway's own queue (`mailNotices`: Exchange's limits, outside the MFA pacer and its
 * retries) and records each outcome. The notice is recorded first: a mail that fails or is deferred leaves the notice
 * for comms to send (or a later night), never an unannounced user. Never throws: the night must not fail on mail.
 */
async function mailQuietly(options: NightOptions, notices: readonly (Notice & { readonly mail: string | null })[], budget: TimeBudget): Promise<void> {
  const { ports, config, logger } = options;
  const mailbox = config.noticeMailbox;
  if (mailbox === undefined || notices.length === 0) return;
  try {
    const since = options.clock().getTime() - 86_400_000;
    const mailedInLast24Hours: string[] = [];
    for await (const entry of ports.notices.all()) if (entry.mailedAt !== null && Date.parse(entry.mailedAt) > since) mailedInLast24Hours.push(entry.mailedAt);
    mailedInLast24Hours.sort();
    const outcomes = await mailNotices(notices, { gateway: ports.mailGateway, mailbox, now: options.clock, mailedInLast24Hours, recipientsPerDay: config.noticeRecipientsPerDay, stop: () => budget.spent(), logger });
    const byUser = new Map(notices.map((entry) => [entry.userId, entry]));
    await ports.notices.save(outcomes.flatMap((outcome): Notice[] => {
      const entry = byUser.get(outcome.userId);
      if (entry === undefined) return [];
      const { mail: _mail, ...recorded } = entry;
      if (outcome.kind === 'mailed') return [{ ...recorded, mailedAt: outcome.at, notMailedReason: null }];
      const reason = outcome.kind === 'deferred' ? outcome.reason : outcome.kind === 'failed' ? outcome.errorCode : outcome.kind;
      return [{ ...recorded, notMailedReason: reason }];
    }));
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('notice.mailingStopped', { errorCode: failure.code, message: failure.message }, 'warn');
  }
}

/**
 * Errors that say nothing about the user (retryDecision does not park for them): a missing Graph permission, a
 * credential Graph refuses, an object a setting names that Graph does not know. Named in the halt reason.
 */
const tenantWideCodes: ReadonlySet<string> = new Set(['GRAPH_PERMISSION_MISSING', 'GRAPH_AUTH_FAILED', 'GRAPH_NOT_FOUND']);

async function enforceWave(options: NightOptions, plan: WavePlan, rows: Map<string, RosterRow>, start: WaveSummary, keeper: LeaseKeeper, budget: TimeBudget): Promise<WaveSummary> {
  const { config, ports, clock } = options;
  const userLimit = pLimit(config.graphUseBatch ? config.graphConcurrency * 20 : config.graphConcurrency * 2);
  const counts = { attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0, rowChanged: 0 };
  const errorCodes: string[] = [];
  /** The first message of a tenant-wide error (it names the missing permission, or the credential at fault). */
  const tenantWide = new Map<string, string>();
  let stop: 'halted' | 'timeBudget' | null = null;
  /** The counts when the breaker tripped: users already in flight still finish and change `counts` afterwards. */
  let tripped: { readonly attempted: number; readonly failed: number } | null = null;
  let fatal: RolloutError | null = null;
  let done = 0;
  const context = { waveId: start.waveId, config, clock, gateway: ports.gateway, roster: ports.roster, failures: ports.failures };

  await Promise.all(plan.enforce.map((planned) => userLimit(async () => {
    if (stop !== null || fatal !== null) return;
    if (keeper.lost !== null) {
      fatal = keeper.lost;
      return;
    }
    if (budget.spent()) {
      stop = 'timeBudget';
      return;
    }
    const row = rows.get(planned.id);
    if (row === undefined) return;
    let result: EnrolmentResult;
    try {
      result = await enrolUser(row, context);
    } catch (error) {
      fatal ??= toRolloutError(error);
      return;
    }
    switch (result.kind) {
      case 'enforced':
        counts.attempted += 1;
        counts.enforced += 1;
        if (result.alreadyDone) counts.alreadyDone += 1;
        if (result.phoneMethodCreated) counts.phoneMethodsRegistered += 1;
        break;
      case 'failed':
        counts.attempted += 1;
        counts.failed += 1;
        errorCodes.push(result.error.code);
        if (tenantWideCodes.has(result.error.code) && !tenantWide.has(result.error.code)) tenantWide.set(result.error.code, result.error.message);
        break;
      case 'skipped':
        counts.rowChanged += 1;
        break;
    }
    done += 1;
    options.onProgress?.('enforce', done, plan.enforce.length);
    if (stop === null && shouldHalt(counts, config)) {
      stop = 'halted';
      tripped = { attempted: counts.attempted, failed: counts.failed };
    }
  })));

  const { rowChanged, ...waveCounts } = counts;
  const skipped = { ...start.skipped, ...(rowChanged > 0 ? { rowChanged } : {}) };
  const failure = fatal as RolloutError | null;
  if (failure !== null) throw failure;
  const endedAt = clock().toISOString();
  const top = topErrors(errorCodes);
  // an error that is the tenant's or the app's halts the rollout even when the failure-rate rule did not trip (a wave
  // smaller than MFA_HALT_MIN_ATTEMPTS, or only the users needing one kind of write met it): otherwise every night
  // would spend another attempt of the same users on it, until they are parked
  const haltedByTenantError = stop === null && tenantWide.size > 0;
  if (stop === 'halted' || haltedByTenantError) {
    const trip = (tripped as { readonly attempted: number; readonly failed: number } | null) ?? counts;
    const rate = Math.round((trip.failed / Math.max(1, trip.attempted)) * 1000) / 10;
    const said = [...tenantWide.entries()].map(([code, message]) => `; ${code}: ${message}`).join('');
    const cause = haltedByTenantError
      ? `${trip.failed} of ${trip.attempted} users failed on an error that is the tenant's or the app's, not theirs`
      : `failure rate ${rate}% after ${trip.attempted} users exceeded MFA_HALT_FAILURE_RATE ${config.haltFailureRate * 100}%`;
    const reason = `${cause}; top errors: ${top.map((entry) => `${entry.code} ×${entry.count}`).join(', ')}${said}`;
    return { ...start, ...waveCounts, skipped, status: 'halted', endedAt, reason, topErrors: top };
  }
  if (stop === 'timeBudget') {
    return { ...start, ...waveCounts, skipped, status: 'stopped', endedAt, reason: `time budget of ${config.timeBudgetMinutes} min reached; ${plan.enforce.length - counts.attempted - rowChanged} planned users continue next night`, topErrors: top };
  }
  return { ...start, ...waveCounts, skipped, status: 'completed', endedAt, topErrors: top };
}

function heldWave(waveId: string, now: Date, health: SyncHealth, configHash: string): WaveSummary {
  const detail = health.open ? '' : 'ageMinutes' in health ? ` (last sync ${health.ageMinutes} min ago)` : 'aheadMinutes' in health ? ` (last sync ${health.aheadMinutes} min in the future)` : '';
  return {
    waveId, kind: 'held', status: 'held', startedAt: now.toISOString(), endedAt: now.toISOString(), pilot: false, targetSize: 0, planned: 0,
    announced: 0, attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0, skipped: {},
    reason: `${health.reason}${detail}`, topErrors: [], targetWaveId: null, configHash,
  };
}

/** A resume or rollback record: it changes what the core decides, so it lives in the wave history. */
export function markerWave(kind: 'resume' | 'rollback', waveId: string, now: Date, targetWaveId: string, reason: string, configHash: string): WaveSummary {
  return {
    waveId, kind, status: 'done', startedAt: now.toISOString(), endedAt: now.toISOString(), pilot: false, targetSize: 0, planned: 0,
    announced: 0, attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0, skipped: {}, reason, topErrors: [],
    targetWaveId, configHash,
  };
}

/** A short fingerprint of the settings a night ran with (secrets excluded), so a report shows when they changed. */
export function hashConfig(config: Config): string {
  const { clientSecret: _secret, tablesConnection: _connection, ...rest } = config;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 12);
}

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
}
