import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { projectSmsOnly } from '../core/deadline/projectSmsOnly.js';
import { createUserPostureTally } from '../core/deadline/userPostureTally.js';
import { createTrackPlanner, trackCounts, type TrackCounts, type TrackPlan } from '../core/journey/createTrackPlanner.js';
import { mfaSignInWindow } from '../core/journey/mfaSignInWindow.js';
import type { MethodAvailability } from '../core/journey/journeyTypes.js';
import type { TenantPosture } from '../core/posture/postureTypes.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import { hashConfig } from '../core/hashConfig.js';
import { nightOf } from '../core/nightOf.js';
import { announce, isInState } from '../core/rolloutState.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import { tonightsWave } from '../core/tonightsWave.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { PlannedUser, WavePlan } from '../core/wavePlan.js';
import { closedWave, diedWave, heldWave, markerWave, startedWave, stoppedWave, syncHeldReason } from '../core/waveRecords.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { readMfaSignIns } from '../adapters/graph/readMfaSignIns.js';
import type { Notice } from '../adapters/tables/noticesTable.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import { checkBreakGlass } from './checkBreakGlass.js';
import { checkPermissions } from './checkPermissions.js';
import { enforceWave } from './enforceWave.js';
import { mailNotices } from './mailNotices.js';
import { withImportedPilot } from './importPilot.js';
import { keepLease, type LeaseKeeper } from './leaseKeeper.js';
import { probeMethods } from './probeMethods.js';
import { logDeadlineAtRisk } from './logDeadlineAtRisk.js';
import { decideNightPosture, postureHeldReason, readNightAvailability } from './nightAvailability.js';
import { readNightRoster, trackCandidates } from './readNightRoster.js';
import { readRoleHolders } from './readRoleHolders.js';
import { reconcileInFlight } from './reconcileInFlight.js';
import { refreshRoster } from './refreshRoster.js';
import { runPreflight } from './runPreflight.js';
import { timeBudget, type TimeBudget } from './timeBudget.js';
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
  | { readonly outcome: 'halted'; readonly plan: WavePlan<unknown>; readonly track: TrackCounts; readonly corruptRows: readonly string[]; readonly posture: TenantPosture }
  | { readonly outcome: 'nothingToDo'; readonly plan: WavePlan<unknown>; readonly track: TrackCounts; readonly corruptRows: readonly string[]; readonly posture: TenantPosture }
  | { readonly outcome: 'wave'; readonly wave: WaveSummary; readonly plan: WavePlan<unknown>; readonly track: TrackCounts; readonly corruptRows: readonly string[]; readonly posture: TenantPosture };

/**
 * One night of the rollout, shared by the timer function and the CLI:
 * lease -> one wave per night (a second run refuses unless `again`) -> permissions -> tenant sync gate -> break-glass
 * accounts resolved -> the tenant's methods posture (held on a blocking problem) -> roster refresh (the journey's
 * groups included) -> one read of the roster (both planners fed, preflight facts, users left in flight, users by
 * posture: recorded with the methods posture, `deadline.atRisk` logged when the projection misses the date) -> strategy
 * preflight -> reconcile users left in flight -> plan (pure: who enters, who is announced, who moves on, who is
 * looked at) -> probe methods where readiness depends on them -> the night's MFA sign-ins -> record the wave as
 * started -> announce -> each user's journey (throttled, batched, write-ahead), halting on the failure rate and
 * stopping on the time budget -> close the wave -> release the lease.
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
    return await night(options, now, keeper, budget);
  } finally {
    keeper.stop();
    await lease.release().catch((error: unknown) => logger.event('night.leaseReleaseFailed', { errorCode: toRolloutError(error).code }, 'warn'));
  }
}

async function night(options: NightOptions, now: Date, keeper: LeaseKeeper, budget: TimeBudget): Promise<NightResult> {
  const { config, ports, logger } = options;
  const configHash = hashConfig(config);

  const recorded = await ports.waves.history();
  const tonights = tonightsWave(recorded, config, now);
  if (tonights !== null && options.again !== true) {
    const night = nightOf(now, config) ?? '';
    logger.event('night.alreadyRan', { waveId: tonights.waveId, status: tonights.status, night }, 'warn');
    return { outcome: 'alreadyRan', wave: tonights, night };
  }
  const hold = async (code: 'GRAPH_PERMISSION_MISSING' | 'SYNC_STALE' | 'SYNC_DISABLED' | 'PREFLIGHT_FAILED', reason: string, health: SyncHealth | null, fields: Record<string, unknown> = {}): Promise<NightResult> => {
    const wave = heldWave(freeWaveId(now, recorded), now, reason, configHash);
    await ports.waves.save(wave);
    logger.event('night.held', { waveId: wave.waveId, reason: wave.reason, errorCode: code, ...fields }, code.startsWith('SYNC') ? 'warn' : 'error');
    return { outcome: 'held', wave, code, health };
  };

  // before any Graph read or write: a permission the configuration needs and the token lacks holds the night
  const permissions = await checkPermissions(config, ports);
  if (permissions.verdict === 'unverifiable') logger.event('night.permissionsUnverified', { reason: permissions.detail }, 'warn');
  if (permissions.verdict === 'missing') {
    return hold('GRAPH_PERMISSION_MISSING', permissions.reason, null, { permission: permissions.missing.map((entry) => entry.permission) });
  }

  const health = syncHealth(await readOrganization(ports.gateway), config, now);
  if (!health.open) return hold(health.code, syncHeldReason(health), health);

  // every MFA_BREAK_GLASS entry must name a real user before anything is written (throws BREAK_GLASS_UNRESOLVED)
  await checkBreakGlass(config, ports, logger, now, { persist: true });

  // the methods policy, security defaults and the SMS calendar decide what each user can do MFA with tonight: the
  // policy's targets are known at once; whether the rollout's users are reached is decided after the roster read
  const known = await readNightAvailability(config, ports, logger, now);
  const { availability, globalAdminIds } = known;
  const refresh = await refreshRoster(ports.gateway, ports.roster, config, options.runId, logger, (users) => options.onProgress?.('refresh', users, null), known.postureGroupIds);

  const history = await closeDeadWaves(recorded, ports, logger);
  const planner = createWavePlanner<RosterRow>(history, config, now, { availability });
  const track = createTrackPlanner<RosterRow>(config, { maxAdvance: config.maxWaveSize, checksPerNight: config.checksPerNight }, now);
  const postures = createUserPostureTally(config);
  const roster = await readNightRoster(ports.roster.rows(), planner, config, { planner: track, globalAdminIds }, postures);
  for (const userId of roster.corruptRows) logger.event('roster.corruptRow', { userId, errorCode: 'ROW_CORRUPT' }, 'warn');

  const posture = decideNightPosture(known, config, now, roster.preflight.rolloutUserIds, refresh);
  const userPostures = postures.finish();
  await ports.posture.save(now, { methods: { version: 1, ...posture }, userPostures: { version: 1, countedAt: now.toISOString(), counts: userPostures.counts } }).catch((error: unknown) => {
    logger.event('posture.saveFailed', { errorCode: toRolloutError(error).code }, 'warn');
  });
  logDeadlineAtRisk(logger, projectSmsOnly({ tally: userPostures, calendar: posture.sms, now }), config.smsDelivery);
  for (const problem of posture.problems) logger.event('posture.problem', { errorCode: problem.code, severity: problem.severity, message: problem.message }, problem.severity === 'blocking' ? 'error' : 'warn');
  if (posture.blocked) return hold('PREFLIGHT_FAILED', postureHeldReason(posture), health);

  const preflight = await runPreflight(config, ports, roster.preflight, {
    securityDefaultsEnabled: posture.securityDefaults,
    roleHolders: (roleIds) => readRoleHolders(ports.gateway, roleIds),
  });
  for (const warning of preflight.warnings) logger.event('preflight.warning', { strategy: config.strategy, message: warning }, 'warn');
  if (!preflight.ok) return hold('PREFLIGHT_FAILED', `preflight: ${preflight.refusal}`, health);

  const toCandidate = trackCandidates(config, globalAdminIds);
  for (const row of await reconcileInFlight(config, ports, logger, roster.inFlight, options.clock, availability)) {
    planner.add(row.user, row);
    const candidate = toCandidate(row);
    if (candidate !== null) track.add(candidate);
  }
  let plan = planner.finish();
  let trackPlan = track.finish(plan.status === 'halted' ? 0 : plan.targetSize);
  if (plan.probe.length > 0) {
    const nowReady = await probeMethods(config, ports, logger, plan.probe, now, (done, total) => options.onProgress?.('probe', done, total));
    // a probed user with a strong method is ready now: only then can tonight's plan change, and it is made again
    if (nowReady > 0) ({ plan, trackPlan } = await planAgain(options, history, now, availability, globalAdminIds));
  }
  const corruptRows = roster.corruptRows;
  const tracked = trackCounts(trackPlan);

  if (plan.autoResumeOf !== undefined) {
    await ports.waves.save(markerWave('resume', freeWaveId(now, recorded, 'resume'), now, plan.autoResumeOf, 'automatic resume (MFA_AUTO_RESUME_AFTER_NIGHTS)', configHash));
  }
  if (plan.status === 'halted') {
    // a halted rollout writes nothing: no user enters, none moves on, none is looked at
    logger.event('night.halted', { waveId: plan.haltedWaveId ?? null, reason: plan.haltReason ?? null }, 'warn');
    return { outcome: 'halted', plan, track: { ...tracked, check: 0 }, corruptRows, posture };
  }
  const journeyWork = trackPlan.advance.length + trackPlan.check.length;
  if ((plan.status === 'nothingToDo' || (plan.enforce.length === 0 && plan.announce.length === 0)) && journeyWork === 0) {
    logger.event('night.nothingToDo', { counts: nonZero(plan.waiting), deferredChecks: trackPlan.deferred.check });
    return { outcome: 'nothingToDo', plan, track: tracked, corruptRows, posture };
  }

  const mfaSignIns = await nightMfaSignIns(options, trackPlan, now);
  const waveId = freeWaveId(now, recorded);
  const start = startedWave(waveId, now, plan, configHash);
  await ports.waves.save(start);
  logger.event('wave.started', {
    waveId, pilot: plan.pilot, targetSize: plan.targetSize, planned: plan.enforce.length, announced: plan.announce.length,
    advance: trackPlan.advance.length, check: trackPlan.check.length,
  });

  let wave: WaveSummary;
  let announced = 0;
  let mailing: Promise<void> = Promise.resolve();
  try {
    const announcement = await announceUsers(options, plan, waveId, now, budget);
    announced = announcement.count;
    // the notices are mailed beside the enforcement, on their own queue; the night ends when both have
    mailing = announcement.mailed;
    const verdict = await enforceWave(plan, trackPlan, {
      config, clock: options.clock, ports, waveId, keeper, budget, availability, mfaSignIns,
      onProgress: (done, total) => options.onProgress?.('enforce', done, total),
    });
    wave = closedWave(start, announced, verdict, options.clock());
    await mailing;
  } catch (error) {
    await mailing;
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
    pilot: wave.pilot, targetSize: wave.targetSize, announced: wave.announced, journey: wave.journey,
    durationSeconds: Math.round((Date.parse(wave.endedAt ?? wave.startedAt) - Date.parse(wave.startedAt)) / 1000),
  };
  if (wave.status === 'halted') logger.event('wave.halted', summary, 'error');
  else logger.event('wave.closed', summary, wave.status === 'completed' ? 'info' : 'warn');
  return { outcome: 'wave', wave, plan, track: tracked, corruptRows, posture };
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

/** Tonight's plans again, from a second read of the roster: only after probes made users ready. */
async function planAgain(
  options: NightOptions,
  history: readonly WaveSummary[],
  now: Date,
  availability: (user: DirectoryUser) => MethodAvailability,
  globalAdminIds: ReadonlySet<string>,
): Promise<{ plan: WavePlan<RosterRow>; trackPlan: TrackPlan<RosterRow> }> {
  const { config } = options;
  const planner = createWavePlanner<RosterRow>(history, config, now, { availability });
  const track = createTrackPlanner<RosterRow>(config, { maxAdvance: config.maxWaveSize, checksPerNight: config.checksPerNight }, now);
  const toCandidate = trackCandidates(config, globalAdminIds);
  for await (const row of options.ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    planner.add(row.user, row);
    const candidate = toCandidate(row);
    if (candidate !== null) track.add(candidate);
  }
  const plan = planner.finish();
  return { plan, trackPlan: track.finish(plan.status === 'halted' ? 0 : plan.targetSize) };
}

/**
 * The night's one read of the sign-in log (`readMfaSignIns`), only when a user looked at tonight needs it (check
 * mode, MFA required, not yet seen doing MFA), over the window `mfaSignInWindow` gives. Null: not needed, or not
 * readable tonight. A missing licence or permission is a warning, once; any other failure too: the night goes on,
 * and no user is seen doing MFA tonight (docs/graph-behaviour.md#sign-in-activity).
 */
async function nightMfaSignIns(options: NightOptions, trackPlan: TrackPlan<RosterRow>, now: Date): Promise<ReadonlyMap<string, string> | null> {
  const { config, ports, logger } = options;
  const since = mfaSignInWindow(trackPlan.check.map((candidate) => candidate.progress), config, now);
  if (since === null) return null;
  try {
    const answer = await readMfaSignIns(ports.gateway, since, config.reportRequestsPer10Seconds);
    if (answer.kind === 'unavailable') {
      logger.event('signIns.unavailable', { reason: answer.cause, errorCode: answer.errorCode, requestId: answer.requestId, message: answer.message }, 'warn');
      return null;
    }
    logger.event('signIns.read', { at: since, users: answer.latest.size });
    return answer.latest;
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('signIns.unavailable', { reason: 'failed', errorCode: failure.code, requestId: failure.requestId ?? null, message: failure.message }, 'warn');
    return null;
  }
}

/** Tonight's announcements, and the mailing of their notices, which goes on beside the enforcement. */
interface Announcement {
  readonly count: number;
  /** Settles when every notice has an outcome in the notices table (mailed, deferred, failed, or not mailable). Never rejects. */
  readonly mailed: Promise<void>;
}

async function announceUsers(options: NightOptions, plan: WavePlan<RosterRow>, waveId: string, now: Date, budget: TimeBudget): Promise<Announcement> {
  const { ports, config } = options;
  const backlog = await earlierNoticesToMail(options, now);
  if (config.noticeDays === 0 || plan.announce.length === 0) return { count: 0, mailed: mailQuietly(options, backlog, budget) };
  // each notice gives the user's own date: the night the ramp is projected to reach them (never before the notice period)
  const enforceFrom = (planned: PlannedUser<RosterRow>) => planned.enforceFrom ?? new Date(now.getTime() + config.noticeDays * 86_400_000).toISOString();
  const toAnnounce = plan.announce.filter((planned) => isInState(planned.payload.user.progress, 'new'));
  const notice = (planned: PlannedUser<RosterRow>): Notice => {
    const mail = planned.payload.user.directory.mail ?? null;
    return {
      userId: planned.id, upn: planned.upn, waveId, announcedAt: now.toISOString(), enforceFrom: enforceFrom(planned), mailedAt: null,
      notMailedReason: mail === null ? 'noMailAddress' : config.noticeMailbox === undefined ? 'noMailbox' : null,
    };
  };
  // write-ahead: the notices are recorded before the users count as announced, so a run that dies half-way never
  // leaves a user announced (and enforced `noticeDays` later) without a notice; a user still `new` is announced again
  await ports.notices.save(toAnnounce.map(notice));
  const notices: NoticeWithMail[] = [];
  for (const planned of toAnnounce) {
    const row = planned.payload;
    if (!isInState(row.user.progress, 'new')) continue;
    try {
      await ports.roster.writeProgress(row, announce(row.user.progress, waveId, now, enforceFrom(planned)));
      notices.push({ ...notice(planned), mail: row.user.directory.mail ?? null });
    } catch (error) {
      if (toRolloutError(error).code !== 'TABLE_CONFLICT') throw error;
    }
  }
  return { count: notices.length, mailed: mailQuietly(options, [...backlog, ...notices], budget) };
}

/** Notices of earlier nights deferred (daily limit, time budget) whose MFA date is still ahead, with their users' `mail`. */
async function earlierNoticesToMail(options: NightOptions, now: Date): Promise<NoticeWithMail[]> {
  if (options.config.noticeMailbox === undefined) return [];
  const deferred: Notice[] = [];
  for await (const entry of options.ports.notices.all()) {
    if (entry.mailedAt === null && (entry.notMailedReason === 'dailyLimit' || entry.notMailedReason === 'timeBudget') && entry.enforceFrom > now.toISOString()) deferred.push(entry);
  }
  const withMail: NoticeWithMail[] = [];
  for (const entry of deferred) {
    const row = await options.ports.roster.get(entry.userId);
    withMail.push({ ...entry, mail: row === undefined || isCorruptRow(row) ? null : (row.user.directory.mail ?? null) });
  }
  return withMail;
}

/**
 * Mails the notices on the mail gateway's own queue (`mailNotices`: Exchange's limits, outside the MFA pacer and its
 * retries) and records each outcome. The notice is recorded first: a mail that fails or is deferred leaves the notice
 * for comms to send (or a later night), never an unannounced user. Never throws: the night must not fail on mail.
 */
async function mailQuietly(options: NightOptions, notices: readonly NoticeWithMail[], budget: TimeBudget): Promise<void> {
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

type NoticeWithMail = Notice & { readonly mail: string | null };

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
}
