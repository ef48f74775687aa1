import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import azureFunctions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { fanOutNight, nightlyTimer } from '../../functions/nightlyWave.js';
import { onCallReport } from '../../functions/onCallReport.js';
import { tenantNight } from '../../functions/tenantNight.js';
import { loadDeploymentConfig } from '../../shared/config/loadConfig.js';
import { tenantConfig, tenantSettingRefusal } from '../../shared/config/tenantConfig.js';
import { addTenant } from '../../shared/shell/manageTenants.js';
import { openTenantRegistry } from '../../shared/shell/openTenantRegistry.js';
import { openTablePorts } from '../../shared/shell/rolloutPorts.js';
import { phoneTrackSettings, sandboxSettings } from '../../rehearsal/sandboxSettings.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/startSandbox.js';
import { uniqueTablePrefix, useAzurite } from '../helpers/azurite.js';
import { withEnvironment } from '../helpers/withEnvironment.js';
import { runCommand } from '../helpers/runCli.js';
import type { TenantsOverview } from '../../shared/core/tenantsOverview.js';

/**
 * Many tenants, one deployment: two customer tenants side by side, each a single-tenant sandbox of its own (until the
 * multi-tenant sandbox is merged: a registry entry may then point a tenant at its own Graph, authority and app id;
 * production has one of each). The handler is called as the Functions host calls it: the decoded message, a real
 * InvocationContext with the queue trigger's metadata, the app settings in the environment.
 */

const azurite = useAzurite({ queue: true });
const sharedSecret = 'one-multi-tenant-app-secret';
const sandboxes: SandboxHandle[] = [];
let workDir = '';

beforeAll(async () => {
  sandboxes.push(await startSandbox({ users: 40, seed: 61, clientSecret: sharedSecret }), await startSandbox({ users: 30, seed: 62, clientSecret: sharedSecret }));
  workDir = mkdtempSync(path.join(tmpdir(), 'mfa-tenants-'));
  sandboxes.forEach((handle, index) => writeFileSync(caFileOf(index), handle.caPem));
}, 60_000);

afterAll(async () => {
  for (const sandbox of sandboxes) await sandbox.stop();
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

/** Each sandbox its own self-signed CA (both named localhost: one bundle of the two would not verify the second). */
function caFileOf(index: number): string {
  return path.join(workDir, `ca-${index}.pem`);
}

function sandbox(index: number): SandboxHandle {
  const handle = sandboxes[index];
  if (handle === undefined) throw new Error('the sandboxes are not running');
  return handle;
}

/** `0 M H * * *` five minutes before now: each tenant's night is open when the test runs. */
function scheduleOpenNow(): string {
  const opened = new Date(Date.now() - 5 * 60_000);
  return `0 ${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`;
}

/** The deployment's app settings: storage, the queue, the one app's secret, the CAs; no tenant's. */
function deploymentEnv(): Record<string, string> {
  return {
    MFA_MULTI_TENANT: 'true',
    MFA_TABLES_CONNECTION: azurite().connectionString,
    MFA_TABLE_PREFIX: uniqueTablePrefix('tenants'),
    MFA_TENANT_QUEUE: `nights-${randomUUID().slice(0, 8)}`,
    AzureWebJobsStorage: azurite().connectionString,
    MFA_AUTH_MODE: 'clientSecret',
    MFA_CLIENT_SECRET: sharedSecret,
    MFA_NOTICE_DAYS: '0',
    MFA_WAVE_SCHEDULE: scheduleOpenNow(),
    ...phoneTrackSettings,
  };
}

/** What a registry entry holds for a sandbox tenant: its accounts, groups, rings, home country (and its own Graph). */
function tenantSettings(handle: SandboxHandle, overrides: Record<string, string> = {}): Record<string, string> {
  const all = sandboxSettings(handle, '', caFileOf(sandboxes.indexOf(handle)));
  return { ...Object.fromEntries(Object.entries(all).filter(([name]) => tenantSettingRefusal(name) === null)), ...overrides };
}

/** A real InvocationContext as the queue trigger builds it (triggerMetadata included), keeping every log line. */
function queueContext(dequeueCount = 1): { context: InvocationContext; lines: string[] } {
  const lines: string[] = [];
  const now = new Date();
  const context = new azureFunctions.InvocationContext({
    invocationId: randomUUID(),
    functionName: 'tenantNight',
    logHandler: (level, ...args) => lines.push(`${level} ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`),
    triggerMetadata: {
      id: randomUUID(), popReceipt: randomUUID(), dequeueCount,
      insertionTime: now.toISOString(), expirationTime: new Date(now.getTime() + 7 * 86_400_000).toISOString(), nextVisibleTime: new Date(now.getTime() + 600_000).toISOString(),
    },
  });
  return { context, lines };
}

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

function events(lines: readonly string[]): { level: string; event: string; [field: string]: unknown }[] {
  return lines.map((line) => ({ level: line.slice(0, line.indexOf(' ')), ...(JSON.parse(line.slice(line.indexOf(' ') + 1)) as { event: string }) }));
}

/** Every message on the queue, as the host would hand it over (base64 decoded, JSON parsed). */
async function queued(env: Record<string, string>): Promise<unknown[]> {
  const queue = QueueServiceClient.fromConnectionString(env['AzureWebJobsStorage'] ?? '').getQueueClient(env['MFA_TENANT_QUEUE'] ?? '');
  const received = await queue.receiveMessages({ numberOfMessages: 32 });
  return received.receivedMessageItems.map((item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as unknown);
}

const writesOf = (handle: SandboxHandle, from: number) => handle.journal.entries(from).filter((entry) => entry.method !== 'GET');

describe('tenantNight (queue-triggered, many tenants)', () => {
  it('runs two tenants side by side with their own settings: one halts, the other finishes, a bad one is named and stops only itself', async () => {
    const env = deploymentEnv();
    const [halting, finishing] = [sandbox(0), sandbox(1)];
    const registry = await openTenantRegistry(loadDeploymentConfig(env));
    await addTenant(env, registry, { tenantId: halting.tenantId, displayName: 'Halting Ltd', settings: tenantSettings(halting, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '20', MFA_MAX_WAVE_SIZE: '20', MFA_GRAPH_MAX_ATTEMPTS: '2', MFA_HALT_MIN_ATTEMPTS: '10' }) }, new Date());
    await addTenant(env, registry, { tenantId: finishing.tenantId, displayName: 'Finishing plc', settings: tenantSettings(finishing, { MFA_WAVE_SIZE: '10' }) }, new Date());
    // a third tenant whose entry was edited by hand into a bad value: the fan-out names it and goes on
    const broken = '0b0b0b0b-1111-4222-8333-444455556666';
    await registry.save({ tenantId: broken, displayName: 'Broken GmbH', enabled: true, settings: { MFA_BREAK_GLASS: 'bg@broken.example', MFA_WAVE_SIZE: 'lots' }, addedAt: '', updatedAt: '', disabledAt: null, lastEnqueuedNight: null, lastNight: null });

    const fan = queueContext();
    const fanned = await withEnvironment(env, () => fanOutNight(timer, fan.context));
    expect([...fanned.enqueued].sort()).toEqual([halting.tenantId, finishing.tenantId].sort());
    expect(fanned.tenants.find((tenant) => tenant.tenantId === broken)).toMatchObject({ verdict: 'settingsInvalid', error: { code: 'CONFIG_INVALID', message: expect.stringContaining(`Tenant ${broken} (Broken GmbH): Invalid configuration:\nMFA_WAVE_SIZE: expected`) } });
    expect(events(fan.lines)).toContainEqual(expect.objectContaining({ level: 'error', event: 'tenant.configInvalid', tenantId: broken, errorCode: 'CONFIG_INVALID' }));
    // a second tick of the timer the same night enqueues nobody again
    const again = await withEnvironment(env, () => fanOutNight(timer, queueContext().context));
    expect(again.enqueued).toEqual([]);

    const messages = await queued(env);
    expect(messages).toHaveLength(2);
    const messageOf = (tenantId: string) => messages.find((message) => (message as { tenantId: string }).tenantId === tenantId);
    expect(messageOf(finishing.tenantId)).toEqual({ tenantId: finishing.tenantId, night: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), enqueuedAt: expect.any(String) });

    halting.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], retryAfterSeconds: 0 });
    const [haltingFrom, finishingFrom] = [halting.journal.entries().length, finishing.journal.entries().length];
    const [haltingRun, finishingRun] = [queueContext(), queueContext()];
    const [haltingResult, finishingResult] = await withEnvironment(env, () => Promise.all([
      tenantNight(messageOf(halting.tenantId), haltingRun.context),
      tenantNight(messageOf(finishing.tenantId), finishingRun.context),
    ]));
    halting.traffic.clearFaults();

    expect(haltingResult).toMatchObject({ outcome: 'night', tenantId: halting.tenantId, night: { outcome: 'wave', wave: { status: 'halted', pilot: false, planned: 20 } } });
    expect(finishingResult).toMatchObject({ outcome: 'night', tenantId: finishing.tenantId, night: { outcome: 'wave', wave: { status: 'completed', pilot: true } } });
    // Graph's state, read from each tenant: the halting one took no MFA state, the other did, each only its own users
    const enforced = (handle: SandboxHandle, from: number) => writesOf(handle, from).filter((entry) => entry.operation === 'requirements.update' && entry.status < 300).map((entry) => entry.userId);
    expect(enforced(halting, haltingFrom)).toEqual([]);
    expect(enforced(finishing, finishingFrom).length).toBeGreaterThan(0);
    for (const id of enforced(finishing, finishingFrom)) expect(finishing.manifest.users.some((user) => user.id === id)).toBe(true);
    // each tenant's own partition of the tables: its wave, and nothing of the other's
    const portsOf = async (handle: SandboxHandle) => openTablePorts(tenantConfig(env, { tenantId: handle.tenantId, displayName: '', settings: tenantSettings(handle) }));
    const haltingPorts = await portsOf(halting);
    expect((await haltingPorts.waves.history()).map((wave) => wave.status)).toEqual(['halted']);
    // failures are partitioned by wave id, and two tenants' waves may start in the same second: each tenant's carry its id
    const haltedWaveId = haltingResult.outcome === 'night' && haltingResult.night.outcome === 'wave' ? haltingResult.night.wave.waveId : '';
    expect((await haltingPorts.failures.forWave(haltedWaveId)).length).toBeGreaterThan(0);
    const failuresTable = TableClient.fromConnectionString(azurite().connectionString, `${env['MFA_TABLE_PREFIX'] ?? ''}Failures`, { allowInsecureConnection: true });
    const partitions = new Set<string>();
    for await (const entity of failuresTable.listEntities()) partitions.add(entity.partitionKey ?? '');
    expect([...partitions]).toEqual([`${halting.tenantId}~${haltedWaveId}`]);
    expect((await (await portsOf(finishing)).waves.history()).map((wave) => wave.status)).toEqual(['completed']);
    expect(events(haltingRun.lines).every((event) => event['tenantId'] === undefined || event['tenantId'] === halting.tenantId)).toBe(true);
    expect(events(finishingRun.lines)).toContainEqual(expect.objectContaining({ event: 'tenant.nightDone', tenantId: finishing.tenantId, outcome: 'wave', status: 'completed' }));

    // the same message again (a duplicate, or a redelivery): tonight's wave already ran, nothing is written
    const duplicateFrom = finishing.journal.entries().length;
    const duplicate = queueContext(2);
    const repeated = await withEnvironment(env, () => tenantNight(messageOf(finishing.tenantId), duplicate.context));
    expect(repeated).toMatchObject({ outcome: 'night', night: { outcome: 'alreadyRan' } });
    expect(writesOf(finishing, duplicateFrom)).toEqual([]);
    expect(events(duplicate.lines)).toContainEqual(expect.objectContaining({ event: 'tenant.redelivered', dequeueCount: 2, tenantId: finishing.tenantId }));

    // the broken tenant's night, had a message come: refused by name, not retried (a retry only repeats it)
    const brokenRun = queueContext();
    const refused = await withEnvironment(env, () => tenantNight({ tenantId: broken, night: (messageOf(finishing.tenantId) as { night: string }).night, enqueuedAt: new Date().toISOString() }, brokenRun.context));
    expect(refused).toMatchObject({ outcome: 'refused', tenantId: broken, errorCode: 'CONFIG_INVALID', message: expect.stringContaining('MFA_WAVE_SIZE: expected') });
    expect(events(brokenRun.lines)).toContainEqual(expect.objectContaining({ level: 'error', event: 'tenant.failed', tenantId: broken, errorCode: 'CONFIG_INVALID' }));

    // one report across the tenants (report --all-tenants), from each tenant's tables: the halt, the finished wave, the broken entry
    const report = await runCommand(env, ['report', '--all-tenants', '--json']);
    expect(report.exitCode).toBe(0);
    const overview = JSON.parse(report.out) as TenantsOverview;
    const lineOf = (tenantId: string) => overview.tenants.find((tenant) => tenant.tenantId === tenantId);
    expect(lineOf(halting.tenantId)).toMatchObject({ displayName: 'Halting Ltd', rollout: { planStatus: 'halted', last: { kind: 'enforce', status: 'halted' }, failures: { GRAPH_UNAVAILABLE: expect.any(Number) } }, error: null });
    expect(lineOf(finishing.tenantId)).toMatchObject({ rollout: { planStatus: expect.not.stringMatching('halted'), enforced: expect.any(Number), last: { status: 'completed' }, deadline: { status: 'notApplicable' } } });
    expect(lineOf(broken)).toMatchObject({ rollout: null, error: { code: 'CONFIG_INVALID' } });
    expect(overview.totals).toMatchObject({ tenants: 3, halted: 1, unreadable: 1 });
    // one tenant's own report, as ever, through --tenant
    const own = await runCommand(env, ['--tenant', finishing.tenantId, 'report', '--json']);
    expect(JSON.parse(own.out)).toMatchObject({ rolloutId: finishing.tenantId, waves: [{ status: 'completed' }] });
    // the on-call HTTP report of a many-tenants deployment: every tenant without ?tenant, one tenant with it
    const http = async (query: string) => withEnvironment(env, async () => {
      const init = await onCallReport(new azureFunctions.HttpRequest({ method: 'GET', url: `http://localhost:7071/api/report${query}`, headers: { accept: 'application/json' } }), queueContext().context);
      const response = new azureFunctions.HttpResponse(init);
      return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
    });
    expect(await http('')).toMatchObject({ status: 200, body: { totals: { tenants: 3, halted: 1 } } });
    expect(await http(`?tenant=${halting.tenantId}`)).toMatchObject({ status: 200, body: { rolloutId: halting.tenantId, plan: { status: 'halted' } } });
    expect(await http(`?tenant=${randomUUID()}`)).toMatchObject({ status: 404, body: { error: 'TENANT_NOT_REGISTERED' } });
    const text = await runCommand(env, ['report', '--all-tenants']);
    expect(text.out).toContain(`${halting.tenantId}  Halting Ltd`);
    expect(text.out).toMatch(/plan: halted: failure rate/);
  }, 120_000);

  it('sends the longest last nights first, a tenant with none recorded before them; each night records how long it ran', async () => {
    const env = deploymentEnv();
    const [short, long] = [sandbox(0), sandbox(1)];
    const registry = await openTenantRegistry(loadDeploymentConfig(env));
    const fresh = '0c0c0c0c-1111-4222-8333-444455556666';
    await addTenant(env, registry, { tenantId: short.tenantId, displayName: 'Short Ltd', settings: tenantSettings(short, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '5' }) }, new Date());
    await addTenant(env, registry, { tenantId: long.tenantId, displayName: 'Long plc', settings: tenantSettings(long) }, new Date());
    await addTenant(env, registry, { tenantId: fresh, displayName: 'New GmbH', settings: tenantSettings(short) }, new Date());
    // what earlier nights recorded: the registry's rows as the table holds them (a row of an older version has none)
    const rows = TableClient.fromConnectionString(azurite().connectionString, `${env['MFA_TABLE_PREFIX'] ?? ''}Tenants`, { allowInsecureConnection: true });
    await rows.updateEntity({ partitionKey: 'tenant', rowKey: short.tenantId, lastNightRan: '2026-11-30', lastNightSeconds: 12.5 }, 'Merge');
    await rows.updateEntity({ partitionKey: 'tenant', rowKey: long.tenantId, lastNightRan: '2026-11-30', lastNightSeconds: 300 }, 'Merge');
    expect(await registry.get(long.tenantId)).toMatchObject({ lastNight: { night: '2026-11-30', seconds: 300 } });

    const fan = queueContext();
    const fanned = await withEnvironment(env, () => fanOutNight(timer, fan.context));
    expect(fanned.enqueued).toEqual([fresh, long.tenantId, short.tenantId]);
    const messages = await queued(env);
    expect(messages.map((message) => (message as { tenantId: string }).tenantId)).toEqual([fresh, long.tenantId, short.tenantId]);
    expect(events(fan.lines)).toContainEqual(expect.objectContaining({ event: 'tenant.enqueued', tenantId: long.tenantId, lastNightSeconds: 300 }));

    // tonight's night of the short tenant records how long it ran, read back from the table
    const message = messages.find((entry) => (entry as { tenantId: string }).tenantId === short.tenantId);
    const began = Date.now();
    const run = queueContext();
    const result = await withEnvironment(env, () => tenantNight(message, run.context));
    const wall = (Date.now() - began) / 1000;
    expect(result).toMatchObject({ outcome: 'night', night: { outcome: 'wave' } });
    const tonight = (message as { night: string }).night;
    const recorded = (await registry.get(short.tenantId))?.lastNight;
    expect(recorded?.night).toBe(tonight);
    expect(recorded?.seconds).toBeGreaterThan(0);
    expect(recorded?.seconds).toBeLessThanOrEqual(wall + 0.1);
    expect(events(run.lines)).toContainEqual(expect.objectContaining({ event: 'tenant.nightDone', tenantId: short.tenantId, durationSeconds: expect.any(Number) }));
    // a duplicate of the message finds tonight's wave done and leaves the recorded time as it was
    await withEnvironment(env, () => tenantNight(message, queueContext(2).context));
    expect((await registry.get(short.tenantId))?.lastNight).toEqual(recorded);
    // a value that is not a number of seconds is no estimate: the tenant counts as one with none recorded
    await rows.updateEntity({ partitionKey: 'tenant', rowKey: long.tenantId, lastNightSeconds: 'long' }, 'Merge');
    expect((await registry.get(long.tenantId))?.lastNight).toBeNull();
  }, 120_000);

  it('refuses a malformed message by name (thrown: the host retries it, then poisons it) and runs nothing', async () => {
    const env = deploymentEnv();
    const from = sandbox(0).journal.entries().length;
    const { context, lines } = queueContext(3);
    const run = withEnvironment(env, () => tenantNight({ tenantId: 'contoso', night: 'tonight' }, context));
    await expect(run).rejects.toMatchObject({ code: 'TENANT_MESSAGE_INVALID', message: expect.stringContaining('at fault: tenantId; night; enqueuedAt') });
    expect(events(lines)).toContainEqual(expect.objectContaining({ level: 'error', event: 'tenant.messageInvalid', errorCode: 'TENANT_MESSAGE_INVALID', dequeueCount: 3 }));
    expect(sandbox(0).journal.entries(from)).toEqual([]);
  });

  it('names a tenant without consent with its admin-consent URL, and lets a disabled tenant and a late message be', async () => {
    const env = deploymentEnv();
    const handle = sandbox(0);
    const registry = await openTenantRegistry(loadDeploymentConfig(env));
    const stranger = '0a0b0c0d-1111-4222-8333-444455556666';
    await addTenant(env, registry, { tenantId: handle.tenantId, displayName: 'Unconsented AB', settings: tenantSettings(handle, { MFA_CLIENT_ID: stranger }) }, new Date());
    // the timer function itself: with MFA_MULTI_TENANT=true it only fans out
    const fanned = await withEnvironment(env, () => nightlyTimer(timer, queueContext().context));
    expect(fanned).toMatchObject({ enqueued: [handle.tenantId] });
    const night = 'tenants' in fanned ? (fanned.tenants[0]?.night ?? '') : '';
    const from = handle.journal.entries().length;

    // another run holds this tenant's lease (a duplicate still running, or a run that died moments ago): thrown, so
    // the host hands the message over again after visibilityTimeout, when a dead run's lease has lapsed
    const tablePorts = await openTablePorts(tenantConfig(env, { tenantId: handle.tenantId, displayName: '', settings: tenantSettings(handle) }));
    const held = await tablePorts.lease.acquire('another-run', new Date(), 300);
    const leased = queueContext();
    await expect(withEnvironment(env, () => tenantNight({ tenantId: handle.tenantId, night, enqueuedAt: new Date().toISOString() }, leased.context))).rejects.toMatchObject({ code: 'LEASE_HELD' });
    expect(events(leased.lines)).toContainEqual(expect.objectContaining({ level: 'warning', event: 'tenant.failed', errorCode: 'LEASE_HELD' }));
    if ('release' in held) await held.release();

    const { context, lines } = queueContext();
    const refused = await withEnvironment(env, () => tenantNight({ tenantId: handle.tenantId, night, enqueuedAt: new Date().toISOString() }, context));
    expect(refused).toMatchObject({ outcome: 'refused', errorCode: 'TENANT_NOT_CONSENTED', message: expect.stringContaining(`${handle.origin}/${handle.tenantId}/adminconsent?client_id=${stranger}`) });
    expect(events(lines)).toContainEqual(expect.objectContaining({ level: 'error', event: 'tenant.failed', tenantId: handle.tenantId, errorCode: 'TENANT_NOT_CONSENTED' }));
    expect(writesOf(handle, from).filter((entry) => !entry.operation.startsWith('token'))).toEqual([]);

    const late = await withEnvironment(env, () => tenantNight({ tenantId: handle.tenantId, night: '2020-01-01', enqueuedAt: '2020-01-01T01:00:00Z' }, queueContext().context));
    expect(late).toEqual({ outcome: 'late', tenantId: handle.tenantId });
    await registry.save({ ...(await registry.get(handle.tenantId))!, enabled: false, disabledAt: new Date().toISOString() });
    const disabled = await withEnvironment(env, () => tenantNight({ tenantId: handle.tenantId, night, enqueuedAt: new Date().toISOString() }, queueContext().context));
    expect(disabled).toEqual({ outcome: 'disabled', tenantId: handle.tenantId });
    const unknown = await withEnvironment(env, () => tenantNight({ tenantId: randomUUID(), night, enqueuedAt: new Date().toISOString() }, queueContext().context));
    expect(unknown).toMatchObject({ outcome: 'refused', errorCode: 'TENANT_NOT_REGISTERED' });
  }, 60_000);
});
