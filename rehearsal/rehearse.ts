import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../shared/config/configSchema.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { stragglerReason, type StragglerReason } from '../shared/core/journey/journeyStanding.js';
import type { RosterUser } from '../shared/core/rosterUser.js';
import { createLogger, silentSink, stderrSink, type LogLevel, type LogSink, type Logger } from '../shared/log/logEvent.js';
import { isCorruptRow, type RosterRow } from '../shared/adapters/tables/rosterTable.js';
import { openRollout, type RolloutPorts } from '../shared/shell/rolloutPorts.js';
import { runWave, type NightResult } from '../shared/shell/runWave.js';
import { buildReport, type RolloutReport } from '../shared/shell/buildReport.js';
import { issueTemporaryAccessPasses } from '../shared/shell/issueTemporaryAccessPasses.js';
import { setupPasskeys } from '../shared/shell/setupPasskeys.js';
import { renderReportHtml } from '../shared/report/renderReportHtml.js';
import { collectRosterFacts } from '../shared/report/rosterFacts.js';
import { userStanding } from '../shared/core/userStanding.js';
import { progressOfNight } from '../shared/cli/progressOfNight.js';
import { silentProgress, type ProgressReporter } from '../shared/cli/progressReporter.js';
import type { FaultOptions } from '../sandbox/faults/faultRules.js';
import type { TenantUserFacts } from '../sandbox/admin/tenantUsers.js';
import type { BlockedSignIn } from '../sandbox/tenant/simulateSignIns.js';
import { startSandbox, type SandboxHandle } from '../sandbox/startSandbox.js';
import { outOfScopeKinds } from './expectedStanding.js';
import type { UserCategory } from '../sandbox/tenant/tenantModel.js';

/** The generated kinds MFA_ALLOW_CLOUD_ONLY=false (the default) leaves out of the rollout: cloud-only, and sync stopped. */
const outOfSyncKinds: readonly UserCategory[] = ['cloudOnly', 'noLongerSynced'];
import { checkJournalEntries, checkTenant, journalContext, witnessWrites, type JournalChecks, type TenantChecks } from './checkJournal.js';
import { checkOutcome, type OutcomeMismatch } from './checkOutcome.js';
import { readTenantUsers } from './readTenantUsers.js';
import { renderNightRow, nightTableHeader, type NightRow } from './renderNights.js';
import { passkeyTrackSettings, sandboxSettings } from './sandboxSettings.js';
import { startAzurite } from './startAzurite.js';

export interface RehearsalOptions {
  readonly users: number;
  readonly waveSize: number;
  /** First night's date (YYYY-MM-DD, UTC); the night runs at 01:00. Default: tonight (the next 01:00 UTC). */
  readonly start?: string;
  /** Nights to simulate; default: through the day after the SMS retirement date. */
  readonly nights?: number;
  readonly seed: number;
  readonly strategy: Config['strategy'];
  readonly noticeDays: number;
  /** MFA_SMS_DELIVERY for the rollout, and the same scenario in the sandbox (default microsoft). */
  readonly smsDelivery?: Config['smsDelivery'];
  /** Share of the enabled accounts that sign in each simulated day (default 0.5). */
  readonly signInShare?: number;
  /** Chance that a user registers at a prompt (campaign nudge or the blocking prompt; default 0.3). */
  readonly registerProbability?: number;
  /** Where the per-night table and the summary go. */
  readonly out: NodeJS.WritableStream;
  readonly logLevel?: LogLevel;
  /** Receives every structured log line of the run (tests capture them); default stderr at `logLevel`. */
  readonly logSink?: LogSink;
  /** Extra app settings for the rollout (tests use this to vary config). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Write the on-call HTML report (`mfa-rollout report --html`) of the final tables here (relative to the working directory). */
  readonly report?: string;
  /** Progress of each night's phases (default: none). */
  readonly progress?: ProgressReporter;
  /** Sandbox faults active from the start. */
  readonly faults?: FaultOptions;
  /** Called after each night's sign-ins with the sandbox (tests use it to change the tenant behind the rollout's back). */
  readonly afterNight?: (night: number, sandbox: SandboxHandle) => void | Promise<void>;
}

/** Users in scope whose only methods were SMS/voice phones at the end of the retirement day. */
export interface SmsOnlyOnDate {
  readonly date: string;
  readonly users: readonly { readonly upn: string; readonly category: string }[];
  /**
   * Enabled users the settings leave out of the rollout (cloud-only with MFA_ALLOW_CLOUD_ONLY=false, sync stopped)
   * with no method but SMS/voice, or none: not the rollout's risk, blocked at sign-in all the same; named apart.
   */
  readonly outOfScope: readonly { readonly upn: string; readonly category: string }[];
}

export interface RehearsalOutcome {
  readonly ok: boolean;
  readonly nights: readonly NightRow[];
  /** Null when the nights simulated do not reach the retirement date. */
  readonly smsOnlyOnDate: SmsOnlyOnDate | null;
  readonly journal: JournalChecks;
  readonly tenant: TenantChecks;
  /** Roster claims Graph does not bear out, and excluded users Graph shows touched. */
  readonly outcome: readonly OutcomeMismatch[];
  readonly blockedSignIns: readonly BlockedSignIn[];
  /** Final standing of every roster user as the rollout's report names it, counted. */
  readonly standing: Readonly<Record<string, number>>;
  /** The on-call report of the final tables (as of the last night), and the file it was written to. */
  readonly report: RolloutReport;
  readonly reportFile: string | null;
}

const dayMs = 86_400_000;
const quotaTimeScale = 10;
/**
 * The stragglers the helpdesk answers with a Temporary Access Pass: those the rollout names as having nothing to sign
 * in with (`needsTap`). The others it names (SMS-only near the date, not registered after the nudge) are left to the
 * campaign and, from the date, to Entra's blocking prompt: that is what the rehearsal measures.
 */
const passReasons: readonly StragglerReason[] = ['needsTap'];

/** The date of the next nightly slot (01:00 UTC) at `now`: today before 01:00, else tomorrow. */
export function tonight(now: Date): string {
  const today = now.toISOString().slice(0, 10);
  return now.getTime() < Date.parse(`${today}T01:00:00Z`) ? today : new Date(Date.parse(`${today}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

/** Nights from `start` through the day after `retirementDate` (at least one). */
export function nightsThrough(start: string, retirementDate: string): number {
  return Math.max(1, Math.round((Date.parse(`${retirementDate}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / dayMs) + 2);
}

/**
 * The passkey journey against a generated sandbox tenant and a real Azurite, night by night on one simulated clock
 * (the sandbox's and the rollout's): `setup-passkeys --apply` first, then each night one `runWave` exactly as the
 * timer function runs it, Temporary Access Passes for the stragglers the rollout names (`issue-tap`'s shell
 * function), and a day of users who act (the sandbox's sign-in simulation). At the end the journal is checked, and
 * the roster's claims are checked against the tenant's own state read through the admin API.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalOutcome> {
  const print = (line = '') => options.out.write(`${line}\n`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-rehearsal-'));
  const start = options.start ?? tonight(new Date());
  const firstNight = Date.parse(`${start}T01:00:00Z`);
  let now = new Date(firstNight);
  let nightEnd = now;
  const azurite = await startAzurite();
  let sandbox: SandboxHandle | undefined;
  try {
    // Graph's quota shape with windows 10× shorter (3,000 writes per 15 s instead of 150 s); the rollout's write pace is scaled to match.
    sandbox = await startSandbox({ users: options.users, seed: options.seed, clock: () => now, quota: { timeScale: quotaTimeScale }, ...(options.faults === undefined ? {} : { faults: options.faults }) });
    const caFile = path.join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const manifest = sandbox.manifest;
    const track = { ...passkeyTrackSettings, MFA_SMS_DELIVERY: options.smsDelivery ?? 'microsoft', ...options.settings };
    const config = loadConfig({
      ...sandboxSettings(sandbox, azurite.connectionString, caFile),
      MFA_ROLLOUT_ID: 'rehearsal',
      ...track,
      // the phishing-resistant step belongs to the passkey track (the generated tenant's policy targets this group)
      ...(track.MFA_TARGET_METHOD === 'passkey' ? { MFA_PHISHING_RESISTANT_GROUP_ID: manifest.groups.phishingResistant } : {}),
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
    const nights = options.nights ?? nightsThrough(start, config.smsRetirementDate);
    sandbox.controls.setSignInSimulation({ registerProbability: options.registerProbability ?? 0.3, smsDelivery: config.smsDelivery, smsRetirementDate: config.smsRetirementDate });
    const sink = options.logSink ?? (options.logLevel === undefined ? silentSink : stderrSink(options.logLevel));
    // the nights whose deadline verdict raised the alert (`deadline.atRisk`), for the summary
    const alertNights = new Set<number>();
    let currentNight = 0;
    const logger = createLogger((level, line) => {
      if (line.includes('"event":"deadline.atRisk"')) alertNights.add(currentNight);
      sink(level, line);
    }, { rolloutId: config.rolloutId });
    const context = journalContext(sandbox, config);
    const witness = witnessWrites(sandbox.journal, sandbox.state);
    const kinds = new Map(manifest.users.map((user) => [user.id, user.category]));
    const inScope = (user: TenantUserFacts) => user.accountEnabled && !outOfScopeKinds.includes(kinds.get(user.id) ?? 'disabled');
    const rollout = await openRollout(config, logger);
    try {
      print(`Rehearsal: ${manifest.size} users (seed ${manifest.seed}), target method ${config.targetMethod} with the phone bridge, SMS delivery ${config.smsDelivery} (retirement ${config.smsRetirementDate}), strategy ${config.strategy}, wave size ${config.waveSize} ×${config.waveGrowth} up to ${config.maxWaveSize}, notice ${config.noticeDays} day(s)`);
      print(`${nights} night(s) from ${start}; each day ${Math.round((options.signInShare ?? 0.5) * 100)} % of the accounts sign in and a prompted user registers with probability ${sandbox.controls.signInSimulation().settings.registerProbability}`);
      print(`Sandbox tenant ${sandbox.url} · Azurite table service on port ${azurite.port} · Graph quota windows ${quotaTimeScale}× shorter, the rollout's pace scaled to match`);
      sandbox.controls.setNow(now);
      const setup = await setupPasskeys(config, rollout.ports, logger, now, { allUsers: false, campaignGroupOnly: true, apply: true, runId: 'rehearsal-setup' });
      print(`setup-passkeys --apply: ${setup.plan.writes.length} write(s); preflight ${setup.posture.blocked ? 'BLOCKED' : 'passes'}`);
      print();
      print(nightTableHeader);
      const rows: NightRow[] = [];
      let smsOnlyOnDate: SmsOnlyOnDate | null = null;
      for (let night = 1; night <= nights; night += 1) {
        now = new Date(firstNight + (night - 1) * dayMs);
        currentNight = night;
        sandbox.controls.setNow(now);
        sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
        const phases = progressOfNight(options.progress ?? silentProgress, `night ${night}/${nights} · `);
        // the night starts at 01:00 of its simulated date and its clock then runs in real time
        const nightStarted = performance.now();
        const nightStart = now.getTime();
        const clock = () => new Date(nightStart + Math.round(performance.now() - nightStarted));
        const result = await runWave({ config, clock, ports: rollout.ports, logger, runId: `rehearsal-night-${night}`, onProgress: phases.onProgress }).finally(() => phases.finish());
        const tapsIssued = await issuePassesToStragglers(config, rollout.ports, logger, clock(), context.globalAdminIds, night);
        // the day after the night: users sign in, are nudged, register, snooze, or are blocked
        const day = sandbox.controls.simulateSignIns({ share: options.signInShare ?? 0.5, seed: options.seed * 1000 + night });
        await options.afterNight?.(night, sandbox);
        nightEnd = clock();
        const tenantUsers = await readTenantUsers(sandbox.adminUrl, sandbox.caPem);
        const smsOnly = tenantUsers.filter((user) => inScope(user) && isSmsOnly(user));
        const row: NightRow = {
          ...nightOutcome(now, night, result),
          bridged: result.outcome === 'wave' ? result.wave.phoneMethodsRegistered : 0,
          nudged: day.nudged,
          passkeysRegistered: day.passkeysRegistered,
          phishingResistant: tenantUsers.filter((user) => user.groups.phishingResistant).length,
          smsOnly: smsOnly.length,
          tapsIssued,
          blocked: day.blocked,
          enforced: result.outcome === 'wave' ? result.wave.enforced : 0,
          failed: result.outcome === 'wave' ? result.wave.failed : 0,
          registration: await registrationProgress(rollout.ports, nightEnd, config),
        };
        rows.push(row);
        print(renderNightRow(row));
        if (row.date === config.smsRetirementDate) {
          const named = (user: TenantUserFacts) => ({ upn: user.userPrincipalName, category: kinds.get(user.id) ?? 'unknown' });
          const outOfScope = tenantUsers.filter((user) => user.accountEnabled && (config.allowCloudOnly ? ['noLongerSynced'] : outOfSyncKinds).includes(kinds.get(user.id) ?? 'disabled') && (user.methods.length === 0 || isSmsOnly(user)));
          smsOnlyOnDate = { date: row.date, users: smsOnly.map(named), outOfScope: outOfScope.map(named) };
        }
      }
      witness.stop();
      const journal = checkJournalEntries(sandbox.journal.entries(), witness.witnesses, context);
      const tenant = checkTenant(sandbox, config);
      const roster = await rosterUsers(rollout.ports);
      const outcome = checkOutcome(roster, await readTenantUsers(sandbox.adminUrl, sandbox.caPem), manifest.users);
      const standing: Record<string, number> = {};
      for (const user of roster) standing[userStanding(user, config)] = (standing[userStanding(user, config)] ?? 0) + 1;
      const ok =
        journal.breakGlassWrites === 0 && journal.phishingResistantWithoutPasskey.length === 0 && journal.passForExcluded.length === 0 && journal.smsAfterRetirement.length === 0 &&
        journal.duplicateWrites === 0 && tenant.enforcedWithoutMethod.length === 0 && tenant.phishingResistantMembersWithoutPasskey.length === 0 && outcome.length === 0;
      const blockedSignIns = sandbox.controls.signInSimulation().blockedSignIns;
      const report = await buildReport(config, rollout.ports, nightEnd);
      printSummary(print, { rows, smsOnlyOnDate, journal, tenant, outcome, blocked: blockedSignIns.length, ok, retirementDate: config.smsRetirementDate, alertNights: [...alertNights].sort((a, b) => a - b), reportOutOfScope: report.deadline?.outOfScope.count ?? null });
      const reportFile = options.report === undefined ? null : path.resolve(options.report);
      if (reportFile !== null) {
        await writeFile(reportFile, renderReportHtml(report));
        print(`On-call report of the last night: ${reportFile}`);
      }
      return { ok, nights: rows, smsOnlyOnDate, journal, tenant, outcome, blockedSignIns, standing, report, reportFile };
    } finally {
      witness.stop();
      await rollout.close();
    }
  } finally {
    await sandbox?.stop();
    await azurite.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Only SMS/voice phones among the user's methods. */
export function isSmsOnly(user: TenantUserFacts): boolean {
  return user.methods.length > 0 && user.methods.every((method) => method === 'mobile' || method === 'alternateMobile' || method === 'office');
}

/** Enforced users seen registered (the target method) so far, and those stuck past MFA_STUCK_AFTER_DAYS, as the on-call report counts them. */
async function registrationProgress(ports: RolloutPorts, now: Date, config: Config): Promise<NightRow['registration']> {
  const facts = collectRosterFacts(config, now, 0);
  for (const user of await rosterUsers(ports)) facts.add(user);
  const { registration, stuck } = facts.finish();
  return { enforced: registration.registered + registration.notRegistered + registration.unknown, registered: registration.registered, stuck: stuck.count };
}

async function rosterRows(ports: RolloutPorts): Promise<RosterRow[]> {
  const rows: RosterRow[] = [];
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) rows.push(row);
  return rows;
}

async function rosterUsers(ports: RolloutPorts): Promise<RosterUser[]> {
  return (await rosterRows(ports)).map((row) => row.user);
}

/**
 * The helpdesk's answer to tonight's straggler list: a pass for each user the rollout names as needing one (no
 * method to sign in with) who holds no valid pass yet, through `mfa-rollout issue-tap`'s shell
 * function. The passes are dropped here: the simulated user "receives" theirs in the sandbox.
 */
async function issuePassesToStragglers(config: Config, ports: RolloutPorts, logger: Logger, now: Date, globalAdminIds: ReadonlySet<string>, night: number): Promise<number> {
  const names = (await rosterRows(ports))
    .filter((row) => {
      const { progress } = row.user;
      if (!row.user.present || progress.state === 'new' || progress.state === 'announced' || progress.state === 'rolledBack') return false;
      const reason = stragglerReason(progress.journey, config, globalAdminIds.has(row.user.directory.id.toLowerCase()), now, row.tap);
      return reason !== null && passReasons.includes(reason) && !(row.tap !== null && Date.parse(row.tap.expiresAt) > now.getTime());
    })
    .map((row) => row.user.directory.id);
  if (names.length === 0) return 0;
  const result = await issueTemporaryAccessPasses(config, ports, logger, now, { names, runId: `rehearsal-night-${night}-tap` });
  return result.issued.length;
}

function nightOutcome(now: Date, night: number, result: NightResult): Pick<NightRow, 'night' | 'date' | 'outcome' | 'targetSize' | 'note'> {
  const date = now.toISOString().slice(0, 10);
  switch (result.outcome) {
    case 'wave':
      return { night, date, outcome: result.wave.status, targetSize: result.wave.targetSize, note: result.wave.reason ?? '' };
    case 'held':
      return { night, date, outcome: 'held', targetSize: 0, note: result.wave.reason ?? '' };
    case 'leaseHeld':
      return { night, date, outcome: 'leaseHeld', targetSize: 0, note: `held by ${result.holder}` };
    case 'alreadyRan':
      return { night, date, outcome: 'alreadyRan', targetSize: 0, note: `wave ${result.wave.waveId} ran tonight` };
    case 'halted':
    case 'nothingToDo':
      return { night, date, outcome: result.outcome, targetSize: result.plan.targetSize, note: result.plan.haltReason ?? '' };
  }
}

interface Summary {
  readonly rows: readonly NightRow[];
  readonly smsOnlyOnDate: SmsOnlyOnDate | null;
  readonly journal: JournalChecks;
  readonly tenant: TenantChecks;
  readonly outcome: readonly OutcomeMismatch[];
  readonly blocked: number;
  readonly ok: boolean;
  readonly retirementDate: string;
  /** Nights the `deadline.atRisk` alert fired (their numbers). */
  readonly alertNights: readonly number[];
  /** Users the last night's report names out of scope with no strong method known (null: no deadline section). */
  readonly reportOutOfScope: number | null;
}

function printSummary(print: (line?: string) => void, summary: Summary) {
  const { rows, smsOnlyOnDate, journal, tenant, outcome } = summary;
  const sum = (key: 'bridged' | 'nudged' | 'passkeysRegistered' | 'tapsIssued') => rows.reduce((total, row) => total + row[key], 0);
  const mark = (good: boolean) => (good ? 'ok  ' : 'FAIL');
  print();
  print('Final summary');
  print(`  phone bridges ${sum('bridged')}, campaign prompts ${sum('nudged')}, passkeys registered ${sum('passkeysRegistered')}, passes issued ${sum('tapsIssued')}, sign-ins blocked ${summary.blocked}`);
  print(`  in the phishing-resistant group at the end: ${rows.at(-1)?.phishingResistant ?? 0}; SMS-only at the end: ${rows.at(-1)?.smsOnly ?? 0}`);
  if (smsOnlyOnDate === null) print(`  SMS-only on the retirement date ${summary.retirementDate}: not reached by these nights`);
  else {
    print(`  SMS-only on the retirement date ${smsOnlyOnDate.date}: ${smsOnlyOnDate.users.length}`);
    for (const user of smsOnlyOnDate.users) print(`    ${user.upn} (${user.category})`);
    print(`  out of scope, SMS-only on the date: ${smsOnlyOnDate.outOfScope.length} (not synced, MFA_ALLOW_CLOUD_ONLY=false: no wave reaches them)`);
    for (const user of smsOnlyOnDate.outOfScope) print(`    ${user.upn} (${user.category})`);
  }
  const alertDates = summary.alertNights.map((night) => rows.find((row) => row.night === night)?.date ?? `night ${night}`);
  print(`  deadline.atRisk alert fired on ${summary.alertNights.length} night(s)${alertDates.length > 0 ? ` (${alertDates.length > 4 ? `${alertDates.slice(0, 2).join(', ')} … ${alertDates.slice(-2).join(', ')}` : alertDates.join(', ')})` : ''}; the report names ${summary.reportOutOfScope ?? '-'} user(s) out of scope with no strong method known`);
  print();
  print('Checks against the sandbox tenant');
  print(`  ${mark(journal.breakGlassWrites === 0)} writes to break-glass accounts: ${journal.breakGlassWrites}`);
  print(`  ${mark(journal.phishingResistantWithoutPasskey.length === 0)} users put in the phishing-resistant group without a passkey: ${journal.phishingResistantWithoutPasskey.length}`);
  print(`  ${mark(tenant.phishingResistantMembersWithoutPasskey.length === 0)} phishing-resistant group members without a passkey now: ${tenant.phishingResistantMembersWithoutPasskey.length}`);
  print(`  ${mark(journal.passForExcluded.length === 0)} Temporary Access Passes for excluded users: ${journal.passForExcluded.length}`);
  print(`  ${mark(journal.smsAfterRetirement.length === 0)} SMS pre-registrations on or after the retirement date (microsoft delivery): ${journal.smsAfterRetirement.length}`);
  print(`  ${mark(tenant.enforcedWithoutMethod.length === 0)} users required to do MFA without any method: ${tenant.enforcedWithoutMethod.length}`);
  print(`  ${mark(outcome.length === 0)} roster claims the tenant does not bear out (or excluded users touched): ${outcome.length}`);
  for (const mismatch of outcome.slice(0, 10)) print(`       ${mismatch.upn}: roster says ${mismatch.claim}; Graph: ${mismatch.graph}`);
  print(`  ${mark(journal.duplicateWrites === 0)} the same write landing twice for a user: ${journal.duplicateWrites}`);
  print(`  info writes: ${journal.writes} (${journal.failedWrites} refused), passes issued again after the last expired or was used: ${journal.reissuedPasses}`);
  print();
  print(summary.ok ? 'Rehearsal passed.' : 'Rehearsal FAILED.');
}
