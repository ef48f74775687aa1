import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../shared/config/configSchema.js';
import { loadDeploymentConfig } from '../shared/config/loadConfig.js';
import { isCorruptRow } from '../shared/adapters/tables/rosterTable.js';
import type { RosterUser } from '../shared/core/rosterUser.js';
import { createLogger, silentSink, stderrSink, type LogLevel } from '../shared/log/logEvent.js';
import { buildTenantsReport } from '../shared/shell/buildTenantsReport.js';
import { openRollout } from '../shared/shell/rolloutPorts.js';
import { openTenantRegistry } from '../shared/shell/openTenantRegistry.js';
import { setupPasskeys } from '../shared/shell/setupPasskeys.js';
import { renderTenantsHtml } from '../shared/report/renderTenantsHtml.js';
import { renderTenantsText } from '../shared/report/renderTenantsText.js';
import type { QueueWorkers } from '../queuehost/startQueueWorkers.js';
import { startSandbox, type SandboxHandle, type SandboxTenantHandle } from '../sandbox/startSandbox.js';
import { generatedTenants } from '../sandbox/tenant/generatedTenants.js';
import { checkJournalEntries, checkTenant, journalContext, witnessWrites, type JournalChecks, type TenantChecks } from './checkJournal.js';
import { checkOutcome, type OutcomeMismatch } from './checkOutcome.js';
import { outOfScopeKinds } from './expectedStanding.js';
import { readTenantUsers } from './readTenantUsers.js';
import { tonight } from './rehearse.js';
import { functionEvents, openNight, registeredTenant, registerSandboxTenant, startTenantWorkers, waitSettled } from './rehearseTenantsQueue.js';
import { deploymentSandboxSettings, passkeyTrackSettings, phoneTrackSettings } from './sandboxSettings.js';
import { startAzurite } from './startAzurite.js';

export interface TenantsRehearsalOptions {
  /** How many generated tenants (varied sizes around `users`, varied settings). */
  readonly tenants: number;
  /** The size the generated tenants vary around (×0.15 to ×4, at least 24 users). */
  readonly users: number;
  readonly nights: number;
  /** First night (YYYY-MM-DD, UTC); default tonight. */
  readonly start?: string;
  readonly seed: number;
  /** Queue-host worker processes (scaled-out instances). */
  readonly workers: number;
  readonly signInShare?: number;
  readonly registerProbability?: number;
  readonly out: NodeJS.WritableStream;
  readonly logLevel?: LogLevel;
  /** Write the HTML report across tenants here at the end. */
  readonly report?: string;
}

/** What one tenant of the rehearsal was given, and how it ended. */
export interface TenantRehearsalLine {
  readonly tenantId: string;
  readonly displayName: string;
  readonly users: number;
  /** `phone` or `passkey`, the strategy and the wave size, e.g. `passkey perUserMfa w25`. */
  readonly variant: string;
  /** Each night's outcome as the queue handler logged it (`completed`, `held`, `alreadyRan`, …, or the error code). */
  readonly nights: readonly string[];
  /** Users in scope whose MFA Graph requires at the end, of the users in scope. */
  readonly mfaRequired: number;
  readonly inScope: number;
  readonly journal: JournalChecks;
  readonly tenant: TenantChecks;
  readonly outcome: readonly OutcomeMismatch[];
  /** Writes in this tenant's journal addressed to an object that is not this tenant's (another tenant's token): must be 0. */
  readonly foreignWrites: number;
  /** Nights whose message was refused, failed or poisoned. */
  readonly failedNights: number;
  readonly ok: boolean;
}

export interface TenantsRehearsalOutcome {
  readonly ok: boolean;
  readonly tenants: readonly TenantRehearsalLine[];
  /** Messages of every night that went to the poison queue. */
  readonly poisoned: number;
  readonly wallSeconds: number;
  /** The one-line summary printed last but one. */
  readonly summary: string;
}

const quotaTimeScale = 10;
const dayMs = 86_400_000;

/** The settings of the i-th tenant: track, strategy, wave size and notice vary, so tenants differ side by side. */
function tenantVariant(index: number, tenant: SandboxTenantHandle): { readonly label: string; readonly settings: Readonly<Record<string, string>> } {
  const passkey = index % 3 === 2;
  const strategy = index % 5 === 4 ? 'conditionalAccessGroup' : 'perUserMfa';
  const waveSize = [10, 25, 50][index % 3] ?? 10;
  return {
    label: `${passkey ? 'passkey' : 'phone'} ${strategy} w${waveSize}`,
    settings: {
      ...(passkey ? { ...passkeyTrackSettings, MFA_PHISHING_RESISTANT_GROUP_ID: tenant.manifest.groups.phishingResistant } : phoneTrackSettings),
      MFA_STRATEGY: strategy,
      MFA_WAVE_SIZE: String(waveSize),
      MFA_NOTICE_DAYS: String(index % 4),
    },
  };
}

/**
 * `npm run rehearse -- --tenants N`: N generated tenants in one multi-tenant sandbox, registered through the tenant
 * registry (`addTenant`), night after night on the many-tenants path as in Azure: the timer's fan-out (simulated
 * clock) → Azurite's queue → `workers` queue-host instances running `tenantNight` (the rehearsal's wrapper gives it
 * the night's clock) → every message settled → a day of sign-ins in each tenant → the next night. At the end each
 * tenant gets the single-tenant rehearsal's checks against its own sandbox tenant, plus: no write in its journal
 * addressed to another tenant's objects. Then a per-tenant summary and the report across tenants.
 */
export async function rehearseTenants(options: TenantsRehearsalOptions): Promise<TenantsRehearsalOutcome> {
  const print = (line = '') => options.out.write(`${line}\n`);
  const began = performance.now();
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-rehearsal-tenants-'));
  const start = options.start ?? tonight(new Date());
  const azurite = await startAzurite({ queue: true });
  let sandbox: SandboxHandle | undefined;
  let host: QueueWorkers | undefined;
  try {
    sandbox = await startSandbox({ tenants: generatedTenants(options.tenants, options.users, options.seed), seed: options.seed, quota: { timeScale: quotaTimeScale } });
    const tenants = sandbox.tenants;
    const caFile = path.join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const env: Record<string, string> = {
      ...deploymentSandboxSettings(sandbox, azurite.connectionString, caFile),
      MFA_MULTI_TENANT: 'true',
      MFA_TABLE_PREFIX: 'rehearsal',
      MFA_TENANT_QUEUE: 'mfa-tenant-nights',
      AzureWebJobsStorage: azurite.connectionString,
      MFA_GRAPH_CONCURRENCY: '16',
      // Graph's quota windows are 10× shorter in the sandbox: each tenant's write pace is scaled to match
      MFA_GRAPH_WRITES_PER_SECOND: String(20 * quotaTimeScale),
      // and so is the app-wide limit's window (35,000 per 30 s): told Graph's 300 s, the nights would pace against a
      // tenth of what the sandbox allows, and each night joining another writer would wait out the register's join
      MFA_GRAPH_APP_WRITE_WINDOW_SECONDS: String(300 / quotaTimeScale),
      MFA_REPORT_REQUESTS_PER_10_SECONDS: String(5 * quotaTimeScale),
      MFA_VERIFY_AFTER_DAYS: '1',
      MFA_STUCK_AFTER_DAYS: '4',
    };
    const logger = createLogger(options.logLevel === undefined ? silentSink : stderrSink(options.logLevel), { rolloutId: 'rehearsal-tenants' });
    const variants = tenants.map((tenant, index) => tenantVariant(index, tenant));
    const configs: Config[] = [];
    const firstNight = Date.parse(`${start}T01:00:00Z`);
    for (const [index, tenant] of tenants.entries()) {
      await registerSandboxTenant(env, sandbox, tenant, variants[index]?.settings ?? {});
      const { config } = await registeredTenant(env, tenant.tenantId);
      configs.push(config);
      tenant.controls.setNow(new Date(firstNight - 3_600_000));
      tenant.controls.setSignInSimulation({ registerProbability: options.registerProbability ?? 0.3, smsDelivery: config.smsDelivery, smsRetirementDate: config.smsRetirementDate });
      if (config.targetMethod === 'passkey') {
        const rollout = await openRollout(config, logger);
        try {
          await setupPasskeys(config, rollout.ports, logger, tenant.state.now(), { allUsers: false, campaignGroupOnly: true, apply: true, runId: 'rehearsal-setup' });
        } finally {
          await rollout.close();
        }
      }
    }
    const witnesses = tenants.map((tenant) => witnessWrites(tenant.journal, tenant.state));
    const totalUsers = tenants.reduce((sum, tenant) => sum + tenant.state.users.length, 0);
    print(`Many-tenants rehearsal: ${tenants.length} tenants (${totalUsers} users, ${Math.min(...tenants.map((tenant) => tenant.state.users.length))}–${Math.max(...tenants.map((tenant) => tenant.state.users.length))} each, seeds ${options.seed}…${options.seed + tenants.length - 1}), ${options.nights} night(s) from ${start}, ${options.workers} queue-host worker(s)`);
    print(`One multi-tenant sandbox ${sandbox.url} (Graph quota windows ${quotaTimeScale}× shorter, the app-wide limits on) · Azurite tables and queue · registry ${env['MFA_TABLE_PREFIX']}Tenants · queue ${env['MFA_TENANT_QUEUE']}`);
    print(`Tenants vary: phone track (customer-managed SMS) or passkey track (setup-passkeys --apply first) every third; conditionalAccessGroup every fifth; wave sizes 10/25/50; notice 0–3 days`);
    print();

    // the host's fixed 10-minute lease and host.json's retry rules; polling at most 0.5 s apart (the host's wake-up
    // on a write by its own instance is not reproduced, and host.json's 30 s would only pad each night's start)
    host = await startTenantWorkers(env, azurite.connectionString, options.workers, { maxPollingIntervalMs: 500 });
    const outcomes: string[][] = tenants.map(() => []);
    let poisoned = 0;
    for (let night = 1; night <= options.nights; night += 1) {
      const date = new Date(firstNight + (night - 1) * dayMs).toISOString().slice(0, 10);
      const nightBegan = performance.now();
      const [eventsFrom, logsFrom] = [host.events.length, host.logs.length];
      const fanned = await openNight(env, tenants, date);
      const settled = await waitSettled(host, eventsFrom, fanned.enqueued.length, 30 * 60_000);
      poisoned += settled.filter((event) => event.type === 'settled' && event.outcome === 'poisoned').length;
      const events = functionEvents(host, logsFrom);
      for (const [index, tenant] of tenants.entries()) {
        const own = events.filter((event) => event['tenantId'] === tenant.tenantId);
        const done = own.find((event) => event.event === 'tenant.nightDone');
        const failed = own.filter((event) => event.event === 'tenant.failed').at(-1);
        const enqueued = fanned.enqueued.includes(tenant.tenantId);
        outcomes[index]?.push(done !== undefined ? String(done['status'] ?? done['outcome']) : failed !== undefined ? String(failed['errorCode']) : enqueued ? 'unsettled' : 'notEnqueued');
      }
      const seconds = (performance.now() - nightBegan) / 1000;
      for (const [index, tenant] of tenants.entries()) tenant.controls.simulateSignIns({ share: options.signInShare ?? 0.5, seed: options.seed * 100_000 + night * 1_000 + index });
      const counts = new Map<string, number>();
      for (const list of outcomes) counts.set(list.at(-1) ?? '', (counts.get(list.at(-1) ?? '') ?? 0) + 1);
      const required = tenants.reduce((sum, tenant, index) => sum + requiredCount(tenant, configs[index]), 0);
      print(`night ${String(night).padStart(2)} ${date}: ${fanned.enqueued.length} message(s) settled in ${seconds.toFixed(1)} s · ${[...counts].map(([outcome, count]) => `${outcome} ${count}`).join(', ')} · MFA required in Graph: ${required} of ${totalUsers} users`);
    }
    await host.stop();
    host = undefined;

    const lines: TenantRehearsalLine[] = [];
    for (const [index, tenant] of tenants.entries()) {
      witnesses[index]?.stop();
      const config = configs[index] as Config;
      const asSandbox: SandboxHandle = { ...sandbox, ...tenant };
      const journal = checkJournalEntries(tenant.journal.entries(), witnesses[index]?.witnesses ?? new Map(), journalContext(asSandbox, config));
      const tenantChecks = checkTenant(asSandbox, config);
      const { ports } = await registeredTenant(env, tenant.tenantId);
      const roster: RosterUser[] = [];
      for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) roster.push(row.user);
      const outcome = checkOutcome(roster, await readTenantUsers(tenant.tenantAdminUrl, sandbox.caPem), tenant.manifest.users);
      const ownObjects = new Set([...tenant.state.users.map((user) => user.id.toLowerCase()), ...Object.values(tenant.manifest.groups).filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase())]);
      const foreignWrites = tenant.journal.entries().filter((entry) => {
        const groupId = typeof entry.detail['groupId'] === 'string' ? entry.detail['groupId'].toLowerCase() : null;
        return (entry.userId !== null && !ownObjects.has(entry.userId.toLowerCase())) || (groupId !== null && !ownObjects.has(groupId));
      }).length;
      const nights = outcomes[index] ?? [];
      const failedNights = nights.filter((night) => /^[A-Z_]+$/.test(night) || night === 'unsettled').length;
      const kinds = new Map(tenant.manifest.users.map((user) => [user.id, user.category]));
      const inScope = tenant.state.users.filter((user) => user.accountEnabled && !outOfScopeKinds.includes(kinds.get(user.id) ?? 'disabled')).length;
      const ok =
        journal.breakGlassWrites === 0 && journal.phishingResistantWithoutPasskey.length === 0 && journal.passForExcluded.length === 0 && journal.smsAfterRetirement.length === 0 &&
        journal.duplicateWrites === 0 && tenantChecks.enforcedWithoutMethod.length === 0 && tenantChecks.phishingResistantMembersWithoutPasskey.length === 0 && outcome.length === 0 &&
        foreignWrites === 0 && failedNights === 0;
      lines.push({ tenantId: tenant.tenantId, displayName: tenant.displayName, users: tenant.state.users.length, variant: variants[index]?.label ?? '', nights, mfaRequired: requiredCount(tenant, config, kinds), inScope, journal, tenant: tenantChecks, outcome, foreignWrites, failedNights, ok });
    }
    printTenants(print, lines);

    const registry = await openTenantRegistry(loadDeploymentConfig(env));
    const overview = await buildTenantsReport(env, registry, new Date(firstNight + (options.nights - 1) * dayMs + 3_600_000));
    print();
    print('The report across tenants (mfa-rollout report --all-tenants), as of the last night:');
    print(renderTenantsText(overview).trimEnd());
    if (options.report !== undefined) {
      await writeFile(path.resolve(options.report), renderTenantsHtml(overview));
      print(`HTML report across tenants: ${path.resolve(options.report)}`);
    }
    const passed = lines.filter((line) => line.ok).length;
    const ok = passed === lines.length && poisoned === 0;
    const wallSeconds = (performance.now() - began) / 1000;
    const sum = (pick: (line: TenantRehearsalLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
    const summary = `${lines.length} tenants, ${totalUsers} users, ${options.nights} nights, ${options.workers} workers: ${passed} passed, ${lines.length - passed} failed · MFA required for ${sum((line) => line.mfaRequired)} of ${sum((line) => line.inScope)} users in scope · ${sum((line) => line.journal.writes)} writes (${sum((line) => line.journal.failedWrites)} refused), ${sum((line) => line.journal.duplicateWrites)} duplicate, ${sum((line) => line.foreignWrites)} across tenants · ${poisoned} poisoned · ${wallSeconds.toFixed(0)} s`;
    print();
    print(`Summary: ${summary}`);
    print(ok ? 'Rehearsal passed.' : 'Rehearsal FAILED.');
    return { ok, tenants: lines, poisoned, wallSeconds, summary };
  } finally {
    await host?.stop();
    await sandbox?.stop();
    await azurite.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Users (in scope, when `kinds` is given) whose MFA Graph requires: per-user MFA enabled/enforced, or in the MFA group. */
function requiredCount(tenant: SandboxTenantHandle, config: Config | undefined, kinds?: ReadonlyMap<string, string>): number {
  const { state, manifest } = tenant;
  return state.users.filter((user) => {
    if (kinds !== undefined && (!user.accountEnabled || outOfScopeKinds.includes((kinds.get(user.id) ?? 'disabled') as (typeof outOfScopeKinds)[number]))) return false;
    return config?.strategy === 'conditionalAccessGroup' ? state.isGroupMember(manifest.groups.mfaRequired, user.id) : state.perUserMfaState(user.id) !== 'disabled';
  }).length;
}

function printTenants(print: (line?: string) => void, lines: readonly TenantRehearsalLine[]): void {
  print();
  print('Per tenant (nights: c completed, h held, H halted, a alreadyRan, n nothingToDo, x failed)');
  const letter = (night: string) => ({ completed: 'c', held: 'h', halted: 'H', alreadyRan: 'a', nothingToDo: 'n', notEnqueued: '-' } as Record<string, string>)[night] ?? 'x';
  for (const line of lines) {
    const problems = [
      line.journal.breakGlassWrites > 0 ? `break-glass writes ${line.journal.breakGlassWrites}` : '',
      line.journal.duplicateWrites > 0 ? `duplicate writes ${line.journal.duplicateWrites}` : '',
      line.journal.phishingResistantWithoutPasskey.length > 0 ? `phishing-resistant without passkey ${line.journal.phishingResistantWithoutPasskey.length}` : '',
      line.journal.passForExcluded.length > 0 ? `passes for excluded ${line.journal.passForExcluded.length}` : '',
      line.journal.smsAfterRetirement.length > 0 ? `SMS after retirement ${line.journal.smsAfterRetirement.length}` : '',
      line.tenant.enforcedWithoutMethod.length > 0 ? `MFA without a method ${line.tenant.enforcedWithoutMethod.length}` : '',
      line.tenant.phishingResistantMembersWithoutPasskey.length > 0 ? `phishing-resistant members without passkey ${line.tenant.phishingResistantMembersWithoutPasskey.length}` : '',
      line.outcome.length > 0 ? `roster claims not borne out ${line.outcome.length} (${line.outcome.slice(0, 3).map((mismatch) => `${mismatch.upn}: ${mismatch.claim} / ${mismatch.graph}`).join('; ')})` : '',
      line.foreignWrites > 0 ? `writes across tenants ${line.foreignWrites}` : '',
      line.failedNights > 0 ? `failed nights ${line.nights.filter((night) => letter(night) === 'x').join(',')}` : '',
    ].filter((problem) => problem !== '');
    print(`  ${line.ok ? 'ok  ' : 'FAIL'} ${line.displayName.padEnd(14)} ${String(line.users).padStart(4)} users  ${line.variant.padEnd(32)} ${line.nights.map(letter).join('')}  MFA required ${line.mfaRequired}/${line.inScope}  writes ${line.journal.writes}${problems.length === 0 ? '' : `  · ${problems.join(' · ')}`}`);
  }
}
