import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import azureFunctions from '@azure/functions';
import type { InvocationContext, Timer } from '@azure/functions';
import { fanOutNight } from '../functions/nightlyWave.js';
import { loadDeploymentConfig } from '../shared/config/loadConfig.js';
import { tenantConfig, tenantSettingRefusal } from '../shared/config/tenantConfig.js';
import type { FanOutResult } from '../shared/shell/fanOutTenants.js';
import { addTenant } from '../shared/shell/manageTenants.js';
import { openTenantRegistry } from '../shared/shell/openTenantRegistry.js';
import { openTablePorts } from '../shared/shell/rolloutPorts.js';
import { startQueueWorkers, type QueueWorkers, type QueueWorkersOptions } from '../queuehost/startQueueWorkers.js';
import type { WorkerEvent } from '../queuehost/workerMessages.js';
import type { SandboxHandle, SandboxTenantHandle } from '../sandbox/startSandbox.js';
import { tenantSandboxSettings } from './sandboxSettings.js';

type Settings = Readonly<Record<string, string>>;

/**
 * The many-tenants rehearsal's queue path (the tests use it too): registering sandbox tenants, opening a night (the
 * tenants' clocks and the timer's real fan-out), the queue host's workers running the rehearsal's handler, and
 * waiting for a night's messages to settle.
 */

/** The rehearsal's handler module, run from source when this file is (jest), compiled otherwise. */
export const rehearsalHandlerModule = path.join(path.dirname(fileURLToPath(import.meta.url)), `rehearseTenantsHandler${path.extname(fileURLToPath(import.meta.url))}`);

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

/**
 * Registers a sandbox tenant through `addTenant` (validated as `mfa-rollout tenants add` validates it).
 * `tenantSandboxSettings` names MFA_TENANT_ID, which the registry refuses in an entry (it is the entry's row key):
 * only the settings an entry may hold are kept.
 */
export async function registerSandboxTenant(env: Settings, sandbox: SandboxHandle, tenant: SandboxTenantHandle, overrides: Settings = {}): Promise<void> {
  const registry = await openTenantRegistry(loadDeploymentConfig(env));
  const settings = Object.fromEntries(Object.entries(tenantSandboxSettings(sandbox, tenant)).filter(([name]) => tenantSettingRefusal(name) === null));
  await addTenant(env, registry, { tenantId: tenant.tenantId, displayName: tenant.displayName, settings: { ...settings, ...overrides } }, new Date());
}

/** A registered tenant's config and tables, as its night opens them. */
export async function registeredTenant(env: Settings, tenantId: string) {
  const registry = await openTenantRegistry(loadDeploymentConfig(env));
  const entry = await registry.get(tenantId);
  if (entry === null) throw new Error(`tenant ${tenantId} is not registered`);
  const config = tenantConfig(env, entry);
  return { config, ports: await openTablePorts(config) };
}

function timerContext(): InvocationContext {
  return new azureFunctions.InvocationContext({ invocationId: randomUUID(), functionName: 'nightlyWave', logHandler: () => undefined });
}

/**
 * Opens night `date` on the tenants' clocks (01:00 UTC, running on in real time; directory sync 20 minutes old) and
 * runs the timer's fan-out at 01:00:05 with the deployment's settings in the environment: one message per due tenant.
 */
export async function openNight(env: Settings, tenants: readonly SandboxTenantHandle[], date: string): Promise<FanOutResult> {
  for (const tenant of tenants) {
    tenant.controls.setNow(`${date}T01:00:00.000Z`);
    tenant.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
  }
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fanOutNight(timer, timerContext(), () => new Date(`${date}T01:00:05.000Z`));
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, saved);
  }
}

/** `workers` queue-host instances listening to the deployment's MFA_TENANT_QUEUE, running tenantNight on the night's simulated clock. */
export async function startTenantWorkers(env: Settings, connectionString: string, workers: number, queues?: QueueWorkersOptions['queues']): Promise<QueueWorkers> {
  return startQueueWorkers({
    connectionString,
    queueName: env['MFA_TENANT_QUEUE'] ?? 'mfa-tenant-nights',
    handlerModule: rehearsalHandlerModule,
    handlerExport: 'rehearsalTenantNight',
    functionName: 'tenantNight',
    workers,
    env,
    ...(queues === undefined ? {} : { queues }),
    stopTimeoutMs: 60_000,
  });
}

const finalOutcomes = new Set(['deleted', 'poisoned']);

/** Waits until `count` messages have been settled for good (deleted, or moved to the poison queue) since event `from`. */
export async function waitSettled(host: QueueWorkers, from: number, count: number, timeoutMs = 120_000): Promise<WorkerEvent[]> {
  const settled = () => host.events.slice(from).filter((event) => event.type === 'settled' && finalOutcomes.has(event.outcome));
  await host.waitFor(() => settled().length >= count, timeoutMs);
  return settled();
}

export interface FunctionEvent {
  readonly level: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

/** The product's structured events that tenantNight logged, from every worker, in arrival order (from log line `from`). */
export function functionEvents(host: QueueWorkers, from = 0): FunctionEvent[] {
  return host.logs.slice(from).flatMap((line) => {
    if (line.entry?.category !== 'Function.tenantNight.User') return [];
    try {
      return [{ level: line.entry.level, ...(JSON.parse(line.entry.message) as { event: string }) }];
    } catch {
      return [];
    }
  });
}
