import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import azureFunctions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { fanOutNight } from '../../functions/nightlyWave.js';
import { loadDeploymentConfig } from '../../shared/config/loadConfig.js';
import { tenantConfig, tenantSettingRefusal } from '../../shared/config/tenantConfig.js';
import { addTenant } from '../../shared/shell/manageTenants.js';
import { openTenantRegistry } from '../../shared/shell/openTenantRegistry.js';
import { openTablePorts } from '../../shared/shell/rolloutPorts.js';
import type { FanOutResult } from '../../shared/shell/fanOutTenants.js';
import { startQueueWorkers, type QueueWorkers, type QueueWorkersOptions } from '../../queuehost/startQueueWorkers.js';
import type { WorkerEvent } from '../../queuehost/workerMessages.js';
import { deploymentSandboxSettings, phoneTrackSettings, tenantSandboxSettings } from '../../rehearsal/sandboxSettings.js';
import { startAzurite, type AzuriteHandle } from '../../rehearsal/startAzurite.js';
import type { SandboxHandle, SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { uniqueTablePrefix } from '../helpers/azurite.js';
import { withEnvironment } from '../helpers/withEnvironment.js';

/**
 * The queue path end to end for the many-tenants tests: one Azurite (Table and Queue services), one multi-tenant
 * sandbox, the tenant registry filled through `addTenant`, the timer's real fan-out, and `startQueueWorkers` running
 * the real `functions/tenantNight.ts` from source (through the rehearsal's wrapper, which gives it the night's
 * simulated clock). Each scenario gets its own tables prefix, queue and workers.
 */

export const handlerModule = fileURLToPath(new URL('../../rehearsal/rehearseTenantsHandler.ts', import.meta.url));

/** The host's constants shortened for tests: a 3 s message lease (10 minutes in Azure), retries visible after 0.5 s. */
export const fastQueues: NonNullable<QueueWorkersOptions['queues']> = { maxPollingIntervalMs: 300, messageLeaseMs: 3_000, minimumRenewalIntervalMs: 500, visibilityTimeoutMs: 500 };

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

export interface QueuePathWorld {
  readonly azurite: AzuriteHandle;
  readonly caFile: string;
  close(): Promise<void>;
}

export async function startWorld(sandbox: SandboxHandle): Promise<QueuePathWorld> {
  const azurite = await startAzurite({ queue: true });
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-many-tenants-'));
  const caFile = path.join(workDir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  return {
    azurite,
    caFile,
    close: async () => {
      await azurite.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A deployment's app settings: storage, the queue, the one multi-tenant app, the CA; no tenant's own. */
export function deploymentEnv(sandbox: SandboxHandle, world: QueuePathWorld, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...deploymentSandboxSettings(sandbox, world.azurite.connectionString, world.caFile),
    MFA_MULTI_TENANT: 'true',
    MFA_TABLE_PREFIX: uniqueTablePrefix('mt'),
    MFA_TENANT_QUEUE: `nights-${randomUUID().slice(0, 8)}`,
    AzureWebJobsStorage: world.azurite.connectionString,
    MFA_NOTICE_DAYS: '0',
    ...phoneTrackSettings,
    ...extra,
  };
}

/**
 * Registers a sandbox tenant through `addTenant`. `tenantSandboxSettings` names MFA_TENANT_ID, which the registry
 * refuses in an entry (it is the entry's row key): the settings a registry entry may hold are kept.
 */
export async function register(env: Record<string, string>, sandbox: SandboxHandle, tenant: SandboxTenantHandle, overrides: Record<string, string> = {}): Promise<void> {
  const registry = await openTenantRegistry(loadDeploymentConfig(env));
  const settings = Object.fromEntries(Object.entries(tenantSandboxSettings(sandbox, tenant)).filter(([name]) => tenantSettingRefusal(name) === null));
  await addTenant(env, registry, { tenantId: tenant.tenantId, displayName: tenant.displayName, settings: { ...settings, ...overrides } }, new Date());
}

/** The tables of one registered tenant, as its night opens them. */
export async function tenantPorts(env: Record<string, string>, tenantId: string) {
  const registry = await openTenantRegistry(loadDeploymentConfig(env));
  const entry = await registry.get(tenantId);
  if (entry === null) throw new Error(`tenant ${tenantId} is not registered`);
  return openTablePorts(tenantConfig(env, entry));
}

export function queueContext(): InvocationContext {
  return new azureFunctions.InvocationContext({ invocationId: randomUUID(), functionName: 'nightlyWave', logHandler: () => undefined });
}

/** 01:00 UTC of the night `index` days after 2027-01-04 (a Monday; before the SMS retirement date). */
export function nightDate(index: number): string {
  return new Date(Date.parse('2027-01-04T00:00:00Z') + index * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Opens night `date` on the tenants' clocks (01:00 UTC, running on in real time; directory sync fresh) and runs the
 * timer's fan-out at 01:00:05 with the deployment's settings: one message per due tenant.
 */
export async function openNight(env: Record<string, string>, tenants: readonly SandboxTenantHandle[], date: string): Promise<FanOutResult> {
  for (const tenant of tenants) {
    tenant.controls.setNow(`${date}T01:00:00.000Z`);
    tenant.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
  }
  return withEnvironment(env, () => fanOutNight(timer, queueContext(), () => new Date(`${date}T01:00:05.000Z`)));
}

export async function startWorkers(env: Record<string, string>, world: QueuePathWorld, workers = 2, queues: QueueWorkersOptions['queues'] = fastQueues): Promise<QueueWorkers> {
  return startQueueWorkers({
    connectionString: world.azurite.connectionString,
    queueName: env['MFA_TENANT_QUEUE'] ?? '',
    handlerModule,
    handlerExport: 'rehearsalTenantNight',
    functionName: 'tenantNight',
    workers,
    env,
    queues,
    stopTimeoutMs: 30_000,
  });
}

const finalOutcomes = new Set(['deleted', 'poisoned']);

/** Waits until `count` messages have been settled for good (deleted, or moved to the poison queue) since event `from`. */
export async function waitSettled(host: QueueWorkers, from: number, count: number, timeoutMs = 120_000): Promise<WorkerEvent[]> {
  const settled = () => host.events.slice(from).filter((event) => event.type === 'settled' && finalOutcomes.has(event.outcome));
  await host.waitFor(() => settled().length >= count, timeoutMs);
  return settled();
}

/** The tenant's function log entries (the product's structured events), parsed, from every worker. */
export function functionEvents(host: QueueWorkers): { level: string; event: string; [field: string]: unknown }[] {
  return host.logs
    .filter((line) => line.entry?.category === 'Function.tenantNight.User')
    .flatMap((line) => {
      try {
        return [{ level: line.entry?.level ?? '', ...(JSON.parse(line.entry?.message ?? '') as { event: string }) }];
      } catch {
        return [];
      }
    });
}

export async function poisonMessages(env: Record<string, string>): Promise<unknown[]> {
  const poison = QueueServiceClient.fromConnectionString(env['AzureWebJobsStorage'] ?? '').getQueueClient(`${env['MFA_TENANT_QUEUE'] ?? ''}-poison`);
  if (!(await poison.exists())) return [];
  const peeked = await poison.peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as unknown);
}

/** Users the phone track must end enforced (by their generated kind) whose per-user MFA state is still disabled in Graph. */
export function notEnforced(tenant: SandboxTenantHandle): string[] {
  return tenant.manifest.users
    .filter((user) => expectedStanding[user.category] === 'enforced' && tenant.state.perUserMfaState(user.id) === 'disabled')
    .map((user) => user.upn);
}

/** Users whose per-user MFA state Graph shows as enabled or enforced. */
export function enforcedIds(tenant: SandboxTenantHandle): string[] {
  return tenant.state.users.filter((user) => tenant.state.perUserMfaState(user.id) !== 'disabled').map((user) => user.id);
}
