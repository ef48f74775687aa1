import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { createDeadlineCollector, type DeadlineReport } from '../core/deadline/deadlineReport.js';
import type { BreakGlassPosture } from '../core/assessBreakGlass.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { WavePlan } from '../core/wavePlan.js';
import { operatorHint } from '../errors/errorCodes.js';
import type { FailureRecord } from '../adapters/tables/failuresTable.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import { estimateNightsLeft, type NightsLeftEstimate } from '../report/estimateNightsLeft.js';
import { flaggedNights, type FlaggedNight } from '../report/flaggedNights.js';
import { durationSeconds } from '../report/formatDuration.js';
import { progressByNight, type NightProgress } from '../report/progressByNight.js';
import { collectRosterFacts, type ParkedUser, type StuckUser } from '../report/rosterFacts.js';
import { withImportedPilot } from './importPilot.js';
import type { TablePorts } from './rolloutPorts.js';

export interface FailureGroup {
  readonly errorCode: string;
  readonly count: number;
  readonly hint: string;
  readonly sampleRequestIds: readonly string[];
  readonly sampleUsers: readonly string[];
}

/**
 * Every user in exactly one bucket (they add up to `total`): `enforced`; `ready` (tonight's wave, in their
 * notice period or waiting for the date it gave, waiting for their turn or the pilot, held by a halt, or left in
 * flight by a run that died);
 * `notReady` and `excluded` (by reason in `standing`); `parked` (failed MFA_MAX_ATTEMPTS nights, a person must
 * look); `rolledBack`; `notPresent` (gone from the directory).
 */
export interface RolloutProgressSummary {
  readonly total: number;
  readonly enforced: number;
  readonly ready: number;
  readonly notReady: number;
  readonly excluded: number;
  readonly parked: number;
  readonly rolledBack: number;
  readonly notPresent: number;
  /** MFA-capable (policy-aware) enforced users as last verified (`unknown`: not checked yet, or the check is unavailable). */
  readonly registration: { readonly registered: number; readonly notRegistered: number; readonly unknown: number };
}

/**
 * A wave record as the report lists it: with its duration, and with a rollback's reverted users under `rolledBack`
 * (its `enforced` is 0 here: a rollback enforces nobody).
 */
export type ReportedWave = WaveSummary & { readonly durationSeconds: number | null; readonly rolledBack: number };

export interface RolloutReport {
  readonly rolloutId: string;
  readonly generatedAt: string;
  readonly users: number;
  /** The SMS retirement first: days left, users by posture, conversion per wave, projection, verdict, stragglers. */
  readonly deadline: DeadlineReport;
  readonly progress: RolloutProgressSummary;
  readonly estimate: NightsLeftEstimate;
  /** Users by where they stand (the planner's reasons: enforced, not-ready reasons, exclusions, waiting...). */
  readonly standing: Readonly<Record<string, number>>;
  readonly plan: Pick<WavePlan, 'status' | 'targetSize' | 'pilot' | 'excluded' | 'notReady'> & { readonly haltedWaveId?: string; readonly haltReason?: string | null };
  /** Most recent first, with the duration from start to end. */
  readonly waves: readonly ReportedWave[];
  /** Held and stopped nights since the last completed wave, newest first: the top banner names them. */
  readonly flagged: readonly FlaggedNight[];
  /** Progress night by night (oldest first), for the chart. */
  readonly nights: readonly NightProgress[];
  /** Failures of the reported waves (enforce and rollback), grouped by error code, largest first. */
  readonly failures: readonly FailureGroup[];
  /** Enforced at least MFA_STUCK_AFTER_DAYS ago and no sign-in since that satisfied MFA: for the helpdesk (oldest first, at most `listLimit`). */
  readonly stuck: { readonly count: number; readonly afterDays: number; readonly users: readonly StuckUser[] };
  /** Failed MFA_MAX_ATTEMPTS nights and no longer retried (oldest first, at most `listLimit`). */
  readonly parked: { readonly count: number; readonly users: readonly ParkedUser[] };
  readonly corruptRows: readonly string[];
  /** The last night's break-glass check (entries, privileged cloud-only accounts not listed), or null before the first. */
  readonly breakGlass: { readonly checkedAt: string; readonly posture: BreakGlassPosture } | null;
}

export interface ReportOptions {
  /** Waves to list (most recent). */
  readonly lastWaves: number;
  /** Stuck, parked and straggling users to list by name (all are counted). */
  readonly listLimit?: number;
  /** Nights in the chart (most recent). */
  readonly nights?: number;
}

/**
 * Gathers the on-call report from the tables: the SMS retirement deadline (users by posture, conversion, projection,
 * stragglers, the SMS-only line from the nights' counts), where every user stands, how many nights are left, progress
 * night by night, the last waves and their failures, and the users a person must look at. Reads the roster
 * once (streamed: memory stays bounded whatever its size), the waves table, and the failures of the listed waves.
 * Tables only: no Graph call.
 */
export async function buildReport(settingsConfig: Config, ports: Pick<TablePorts, 'roster' | 'waves' | 'failures' | 'pilot' | 'posture'>, now: Date, options: ReportOptions = { lastWaves: 10 }): Promise<RolloutReport> {
  const config = await withImportedPilot(settingsConfig, ports);
  const history = await ports.waves.history();
  const planner = createWavePlanner(history, config, now);
  const facts = collectRosterFacts(config, now, options.listLimit ?? 200);
  const deadline = createDeadlineCollector(config, now, options.listLimit ?? 200);
  const corruptRows: string[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) corruptRows.push(row.userId);
    else {
      planner.add(row.user);
      facts.add(row.user);
      deadline.add(row.user, row.tap);
    }
  }
  const plan = planner.finish();
  const roster = facts.finish();
  const waves = history.slice(-options.lastWaves).reverse();
  const failures: FailureRecord[] = [];
  for (const wave of waves) if ((wave.kind === 'enforce' || wave.kind === 'rollback') && wave.failed > 0) failures.push(...(await ports.failures.forWave(wave.waveId)));
  const standing: Record<string, number> = {};
  for (const [reason, count] of Object.entries(plan.waiting)) if (count > 0) standing[reason] = count;
  if (plan.enforce.length > 0) standing['nextWave'] = plan.enforce.length;
  const progress = progressSummary(plan, roster.registration);
  const posture = await ports.posture.latest();
  const estimate = estimateNightsLeft({ remaining: progress.ready, plan, history, config, now });
  const nights = await ports.posture.userPostureNights(options.nights ?? 90);
  return {
    rolloutId: config.rolloutId,
    generatedAt: now.toISOString(),
    users: plan.total,
    deadline: deadline.finish({ posture: posture?.sections.methods ?? null, nights, rampNightsLeft: estimate.nights }),
    progress,
    estimate,
    standing,
    plan: {
      status: plan.status, targetSize: plan.targetSize, pilot: plan.pilot, excluded: plan.excluded, notReady: plan.notReady,
      ...(plan.haltedWaveId === undefined ? {} : { haltedWaveId: plan.haltedWaveId, haltReason: plan.haltReason ?? null }),
    },
    waves: waves.map((wave) => ({
      ...wave, durationSeconds: durationSeconds(wave.startedAt, wave.endedAt),
      ...(wave.kind === 'rollback' ? { enforced: 0, rolledBack: wave.enforced } : { rolledBack: 0 }),
    })),
    flagged: flaggedNights(history),
    nights: progressByNight({ history, enforcedOn: roster.enforcedOn, registeredOn: roster.registeredOn, until: now, maxNights: options.nights ?? 90 }),
    failures: groupFailures(failures),
    stuck: roster.stuck,
    parked: roster.parked,
    corruptRows,
    breakGlass: posture?.sections.breakGlass === undefined ? null : { checkedAt: posture.checkedAt, posture: posture.sections.breakGlass },
  };
}

function progressSummary(plan: WavePlan, registration: RolloutProgressSummary['registration']): RolloutProgressSummary {
  const { waiting } = plan;
  return {
    total: plan.total,
    enforced: waiting.enforced,
    ready: plan.enforce.length + waiting.inFlight + waiting.halted + waiting.awaitingNotice + waiting.promisedDate + waiting.pilotFirst + waiting.laterWave,
    notReady: plan.notReady,
    excluded: plan.excluded,
    parked: waiting.parked,
    rolledBack: waiting.rolledBack,
    notPresent: waiting.notPresent,
    registration,
  };
}

export function groupFailures(failures: readonly FailureRecord[]): FailureGroup[] {
  const groups = new Map<string, FailureRecord[]>();
  for (const failure of failures) groups.set(failure.errorCode, [...(groups.get(failure.errorCode) ?? []), failure]);
  return [...groups.entries()]
    .map(([errorCode, records]) => ({
      errorCode,
      count: records.length,
      hint: operatorHint(errorCode),
      sampleRequestIds: [...new Set(records.map((record) => record.requestId).filter((id): id is string => id !== null))].slice(0, 3),
      sampleUsers: records.slice(0, 3).map((record) => record.upn),
    }))
    .sort((a, b) => b.count - a.count || a.errorCode.localeCompare(b.errorCode));
}
