import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { QueueServiceClient } from '@azure/storage-queue';
import type { QueueWorkersOptions } from '../../queuehost/startQueueWorkers.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { registeredTenant, registerSandboxTenant, startTenantWorkers } from '../../rehearsal/rehearseTenantsQueue.js';
import { deploymentSandboxSettings, phoneTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { startAzurite, type AzuriteHandle } from '../../rehearsal/startAzurite.js';
import { startSandbox, type SandboxHandle, type SandboxOptions, type SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { uniqueTablePrefix } from '../helpers/azurite.js';

/**
 * The queue path end to end for the many-tenants tests: one Azurite (Table and Queue services), one multi-tenant
 * sandbox, the tenant registry filled through `addTenant`, the timer's real fan-out, and `startQueueWorkers` running
 * the real `functions/tenantNight.ts` from source (through the rehearsal's wrapper, which gives it the night's
 * simulated clock). Each scenario gets its own tables prefix, queue and workers.
 */

/** The host's constants shortened for tests: a 3 s message lease (10 minutes in Azure), retries visible after 0.5 s. */
export const fastQueues: NonNullable<QueueWorkersOptions['queues']> = { maxPollingIntervalMs: 300, messageLeaseMs: 3_000, minimumRenewalIntervalMs: 500, visibilityTimeoutMs: 500 };

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

/**
 * One multi-tenant sandbox and its queue path (startWorld) for a test file: started before its tests, stopped after.
 * The returned object's `sandbox` and `world` exist once the file's first beforeAll ran.
 */
export function useQueuePathWorld(options: SandboxOptions): { readonly sandbox: SandboxHandle; readonly world: QueuePathWorld } {
  let sandbox: SandboxHandle | undefined;
  let world: QueuePathWorld | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
    world = await startWorld(sandbox);
  }, 60_000);
  afterAll(async () => {
    await world?.close();
    await sandbox?.stop();
  });
  return {
    get sandbox() {
      if (sandbox === undefined) throw new Error('the sandbox is not running (used outside a test?)');
      return sandbox;
    },
    get world() {
      if (world === undefined) throw new Error('the queue path is not running (used outside a test?)');
      return world;
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



/** 01:00 UTC of the night `index` days after 2027-01-04 (a Monday; before the SMS retirement date). */
export function nightDate(index: number): string {
  return new Date(Date.parse('2027-01-04T00:00:00Z') + index * 86_400_000).toISOString().slice(0, 10);
}




export { functionEvents, openNight, waitSettled } from '../../rehearsal/rehearseTenantsQueue.js';
export const register = registerSandboxTenant;

export async function tenantPorts(env: Record<string, string>, tenantId: string) {
  return (await registeredTenant(env, tenantId)).ports;
}

export async function startWorkers(env: Record<string, string>, world: QueuePathWorld, workers = 2, queues: QueueWorkersOptions['queues'] = fastQueues) {
  return startTenantWorkers(env, world.azurite.connectionString, workers, queues);
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
