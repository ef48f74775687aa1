import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../shared/config/configSchema.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { userStanding } from '../shared/core/userStanding.js';
import { createLogger, silentSink, stderrSink, type LogLevel, type LogSink } from '../shared/log/logEvent.js';
import { isCorruptRow } from '../shared/adapters/tables/rosterTable.js';
import { openRollout, type RolloutPorts } from '../shared/shell/rolloutPorts.js';
import { runWave, type NightResult } from '../shared/shell/runWave.js';
import { buildReport, type RolloutReport } from '../shared/shell/buildReport.js';
import { renderReportHtml } from '../shared/report/renderReportHtml.js';
import { collectRosterFacts } from '../shared/report/rosterFacts.js';
import { progressOfNight } from '../shared/cli/progressOfNight.js';
import { silentProgress, type ProgressReporter } from '../shared/cli/progressReporter.js';
import type { FaultOptions } from '../sandbox/faults/faultRules.js';
import { startSandbox, type SandboxHandle } from '../sandbox/startSandbox.js';
import { expectedStanding } from './expectedStanding.js';
import { checkJournal, type JournalChecks } from './checkJournal.js';
import { renderNightRow, nightTableHeader, type NightRow } from './renderNights.js';
import { phoneTrackSettings, sandboxSettings } from './sandboxSettings.js';
import { startAzurite } from './startAzurite.js';

export interface RehearsalOptions {
  readonly users: number;
  readonly waveSize: number;
  readonly nights: number;
  readonly seed: number;
  readonly strategy: Config['strategy'];
  readonly noticeDays: number;
  /** Where the per-night table and the summary go. */
  readonly out: NodeJS.WritableStream;
  readonly logLevel?: LogLevel;
  /** Receives every structured log line of the run (tests capture them); default stderr at `logLevel`. */
  readonly logSink?: LogSink;
  /** Extra app settings for the rollout (tests use this to vary config). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Share of the users required to do MFA who sign in on each simulated night (and so show up as registered). */
  readonly signInShare?: number;
  /** Write the on-call HTML report (`mfa-rollout report --html`) of the final tables here (relative to the working directory). */
  readonly report?: string;
  /** Progress of each night's phases (default: none). */
  readonly progress?: ProgressReporter;
  /** Sandbox faults active from the start (tests use this to put failures in the report). */
  readonly faults?: FaultOptions;
}

export interface RehearsalOutcome {
  readonly ok: boolean;
  readonly nights: readonly NightRow[];
  /** Final standing of every user, counted. */
  readonly standing: Readonly<Record<string, number>>;
  /** Users whose final standing differs from what their generated kind calls for. */
  readonly mismatches: readonly { upn: string; category: string; expected: string; actual: string }[];
  readonly journal: JournalChecks;
  /** The on-call report of the final tables (as of the last night), and the file it was written to. */
  readonly report: RolloutReport;
  readonly reportFile: string | null;
}

/** First simulated night: 01:00 UTC, the usual nightly slot. */
const firstNight = Date.parse('2026-12-01T01:00:00Z');
const dayMs = 86_400_000;
const quotaTimeScale = 10;

/**
 * A whole rollout against a generated sandbox tenant and a real Azurite, with a simulated clock: one
 * `runWave` per night, exactly as the timer function runs it (same config parsing, same Graph client with a
 * credential and bearer token over HTTPS, same tables). At the end it checks the outcome against what the
 * tenant was generated with, and the sandbox's journal of writes.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalOutcome> {
  const print = (line = '') => options.out.write(`${line}\n`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-rehearsal-'));
  let now = new Date(firstNight);
  let clock = () => now;
  let nightEnd = now;
  const azurite = await startAzurite();
  let sandbox: SandboxHandle | undefined;
  try {
    // Graph's quota shape with windows 10× shorter (3,000 writes per 15 s instead of 150 s), so a rehearsal of
    // thousands of users takes minutes; the rollout's write pace is scaled to match. Said in the output.
    sandbox = await startSandbox({ users: options.users, seed: options.seed, clock: () => now, quota: { timeScale: quotaTimeScale }, ...(options.faults === undefined ? {} : { faults: options.faults }) });
    const caFile = path.join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const manifest = sandbox.manifest;
    const config = loadConfig({
      ...sandboxSettings(sandbox, azurite.connectionString, caFile),
      MFA_ROLLOUT_ID: 'rehearsal',
      ...phoneTrackSettings,
      MFA_STRATEGY: options.strategy,
      MFA_WAVE_SIZE: String(options.waveSize),
      MFA_NOTICE_DAYS: String(options.noticeDays),
      MFA_GRAPH_CONCURRENCY: '16',
      MFA_GRAPH_WRITES_PER_SECOND: String(20 * quotaTimeScale),
      MFA_REPORT_REQUESTS_PER_10_SECONDS: String(5 * quotaTimeScale),
      MFA_VERIFY_AFTER_DAYS: '1',
      MFA_STUCK_AFTER_DAYS: '4',
      ...options.settings,
    });
    const sink = options.logSink ?? (options.logLevel === undefined ? silentSink : stderrSink(options.logLevel));
    const logger = createLogger(sink, { rolloutId: config.rolloutId });
    const rollout = await openRollout(config, logger);
    try {
      print(`Rehearsal: ${manifest.size} users (seed ${manifest.seed}), strategy ${config.strategy}, wave size ${config.waveSize} ×${config.waveGrowth} up to ${config.maxWaveSize}, notice ${config.noticeDays} day(s), ${options.nights} night(s)`);
      print(`Sandbox tenant ${sandbox.url} · Azurite table service on port ${azurite.port}`);
      print(`Graph quotas and API limits as documented but with ${quotaTimeScale}× shorter windows (3,000 writes per ${150 / quotaTimeScale} s, registration report 5 calls per ${10 / quotaTimeScale} s); the rollout's pace is scaled to match`);
      print();
      print(nightTableHeader);
      const nights: NightRow[] = [];
      for (let night = 1; night <= options.nights; night += 1) {
        now = new Date(firstNight + (night - 1) * dayMs);
        sandbox.controls.setNow(now);
        sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
        const phases = progressOfNight(options.progress ?? silentProgress, `night ${night}/${options.nights} · `);
        // the night starts at 01:00 of its simulated date and its clock then runs in real time, so the waves' start,
        // close and duration are what they were
        const nightStarted = performance.now();
        const nightStart = now.getTime();
        clock = () => new Date(nightStart + Math.round(performance.now() - nightStarted));
        const result = await runWave({ config, clock, ports: rollout.ports, logger, runId: `rehearsal-night-${night}`, onProgress: phases.onProgress }).finally(() => phases.finish());
        // during the day, some of the people now required to do MFA sign in (and so register, as Entra sees it)
        sandbox.controls.signInNight({ share: options.signInShare ?? 0.6, seed: options.seed * 1000 + night });
        nightEnd = clock();
        const row = { ...nightRow(night, now, result), registration: await registrationProgress(rollout.ports, nightEnd, config) };
        nights.push(row);
        print(renderNightRow(row));
      }
      const { standing, mismatches } = await finalStanding(rollout.ports, config, sandbox);
      const journal = checkJournal(sandbox, config);
      const ok = mismatches.length === 0 && journal.breakGlassWrites === 0 && journal.enforcedWithoutMethod.length === 0;
      printSummary(print, standing, mismatches, journal, ok);
      // the report as of the end of the last night, the instant its row of the night table was counted at
      const report = await buildReport(config, rollout.ports, nightEnd);
      const reportFile = options.report === undefined ? null : path.resolve(options.report);
      if (reportFile !== null) {
        await writeFile(reportFile, renderReportHtml(report));
        print(`On-call report of the last night: ${reportFile}`);
      }
      return { ok, nights, standing, mismatches, journal, report, reportFile };
    } finally {
      await rollout.close();
    }
  } finally {
    await sandbox?.stop();
    await azurite.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Enforced users seen registered (the target method) so far, and those stuck past MFA_STUCK_AFTER_DAYS. */
async function registrationProgress(ports: RolloutPorts, now: Date, config: Config): Promise<NightRow['registration']> {
  const facts = collectRosterFacts(config, now, 0);
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) facts.add(row.user);
  const { registration, stuck } = facts.finish();
  return { enforced: registration.registered + registration.notRegistered + registration.unknown, registered: registration.registered, stuck: stuck.count };
}

function nightRow(night: number, now: Date, result: NightResult): Omit<NightRow, 'registration'> {
  const date = now.toISOString().slice(0, 10);
  switch (result.outcome) {
    case 'wave':
      return {
        night, date, outcome: result.wave.status, targetSize: result.wave.targetSize, pilot: result.wave.pilot, announced: result.wave.announced,
        phoneMethods: result.wave.phoneMethodsRegistered, enforced: result.wave.enforced, alreadyDone: result.wave.alreadyDone, failed: result.wave.failed,
        waiting: result.plan.waiting, note: result.wave.reason ?? '',
      };
    case 'held':
      return { night, date, outcome: 'held', targetSize: 0, pilot: false, announced: 0, phoneMethods: 0, enforced: 0, alreadyDone: 0, failed: 0, waiting: {}, note: result.wave.reason ?? '' };
    case 'leaseHeld':
      return { night, date, outcome: 'leaseHeld', targetSize: 0, pilot: false, announced: 0, phoneMethods: 0, enforced: 0, alreadyDone: 0, failed: 0, waiting: {}, note: `held by ${result.holder}` };
    case 'alreadyRan':
      return { night, date, outcome: 'alreadyRan', targetSize: 0, pilot: false, announced: 0, phoneMethods: 0, enforced: 0, alreadyDone: 0, failed: 0, waiting: {}, note: `wave ${result.wave.waveId} ran tonight` };
    case 'halted':
    case 'nothingToDo':
      return { night, date, outcome: result.outcome, targetSize: result.plan.targetSize, pilot: result.plan.pilot, announced: 0, phoneMethods: 0, enforced: 0, alreadyDone: 0, failed: 0, waiting: result.plan.waiting, note: result.plan.haltReason ?? '' };
  }
}

async function finalStanding(ports: RolloutPorts, config: Config, sandbox: SandboxHandle) {
  const standing: Record<string, number> = {};
  const actual = new Map<string, string>();
  for await (const row of ports.roster.rows()) {
    const value = isCorruptRow(row) ? 'corruptRow' : userStanding(row.user, config);
    actual.set(isCorruptRow(row) ? row.userId : row.user.directory.id, value);
    standing[value] = (standing[value] ?? 0) + 1;
  }
  const mismatches = sandbox.manifest.users
    .map((user) => ({ upn: user.upn, category: user.category, expected: expectedStanding[user.category], actual: actual.get(user.id) ?? 'missingFromRoster' }))
    .filter((user) => user.expected !== user.actual);
  return { standing, mismatches };
}

function printSummary(print: (line?: string) => void, standing: Record<string, number>, mismatches: RehearsalOutcome['mismatches'], journal: JournalChecks, ok: boolean) {
  const exclusions = ['breakGlass', 'exclusionGroup', 'serviceAccount', 'guest'];
  const terminal = ['enforced', 'pending', 'parked', 'inFlight', 'rolledBack', 'notPresent', 'corruptRow'];
  const group = (keys: (key: string) => boolean) => Object.entries(standing).filter(([key]) => keys(key)).sort((a, b) => b[1] - a[1]);
  print();
  print('Final summary');
  print(`  enforced                 ${String(standing['enforced'] ?? 0).padStart(6)}`);
  for (const [key, count] of group((key) => terminal.includes(key) && key !== 'enforced')) print(`  ${key.padEnd(24)} ${String(count).padStart(6)}`);
  print('  not ready, by reason:');
  for (const [key, count] of group((key) => !terminal.includes(key) && !exclusions.includes(key))) print(`    ${key.padEnd(22)} ${String(count).padStart(6)}`);
  print('  excluded, by reason:');
  for (const [key, count] of group((key) => exclusions.includes(key))) print(`    ${key.padEnd(22)} ${String(count).padStart(6)}`);
  print();
  print('Checks against the sandbox tenant');
  print(`  ${journal.breakGlassWrites === 0 ? 'ok  ' : 'FAIL'} writes to break-glass accounts: ${journal.breakGlassWrites}`);
  print(`  ${journal.enforcedWithoutMethod.length === 0 ? 'ok  ' : 'FAIL'} users enforced without a phone method or another MFA method: ${journal.enforcedWithoutMethod.length}`);
  print(`  ${mismatches.length === 0 ? 'ok  ' : 'FAIL'} users whose outcome differs from their generated kind: ${mismatches.length}`);
  for (const mismatch of mismatches.slice(0, 10)) print(`       ${mismatch.upn} (${mismatch.category}): expected ${mismatch.expected}, got ${mismatch.actual}`);
  print(`  info writes: ${journal.writes} (${journal.failedWrites} refused), duplicate writes: ${journal.duplicateWrites}`);
  print();
  print(ok ? 'Rehearsal passed.' : 'Rehearsal FAILED.');
}
