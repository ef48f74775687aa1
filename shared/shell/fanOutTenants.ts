import { loadDeploymentConfig } from '../config/loadConfig.js';
import { queueConnectionFrom } from '../config/queueConnection.js';
import { tenantConfig } from '../config/tenantConfig.js';
import { fanOutOrder } from '../core/fanOutOrder.js';
import { decideFanOut, type FanOutDecision } from '../core/tenantNightWindow.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { openTenantRegistry } from './openTenantRegistry.js';
import { createTenantQueue, type TenantQueue } from '../adapters/queue/tenantQueue.js';
import type { TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';

type Environment = Readonly<Record<string, string | undefined>>;

export interface FanOutOptions {
  readonly deploymentEnv: Environment;
  readonly registry: TenantRegistryTable;
  readonly queue: TenantQueue;
  readonly logger: Logger;
  readonly now: Date;
  /** Decide and report, enqueue nothing. */
  readonly dryRun?: boolean;
}

export interface FanOutTenant extends FanOutDecision {
  readonly displayName: string;
  /** Why the tenant was not enqueued although due, or why its settings do not validate (named error code and message). */
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface FanOutResult {
  readonly tenants: readonly FanOutTenant[];
  /** Tenants enqueued now, in the order sent (`fanOutOrder`: the longest last nights first; none on a dry run). */
  readonly enqueued: readonly string[];
  /** Registry rows that cannot be read (their messages), or a due tenant whose message could not be sent. */
  readonly failed: readonly string[];
}

/**
 * The timer's night in many-tenants mode: one message per enabled tenant whose start window is open tonight and
 * that has no message yet for tonight (`decideFanOut`, each tenant's own settings), sent the longest last nights first
 * (`fanOutOrder`), then the night recorded on its registry entry. A tenant whose settings do not validate is logged by
 * name (`tenant.configInvalid`) and skipped; a message that cannot be sent is logged (`tenant.enqueueFailed`) and the
 * others still go: one tenant never stops another.
 */
export async function fanOutTenants(options: FanOutOptions): Promise<FanOutResult> {
  const { registry, queue, logger, now } = options;
  const { entries, unreadable } = await registry.list();
  const failed: string[] = unreadable.map((error) => error.message);
  for (const error of unreadable) logger.event('tenant.unreadable', { errorCode: error.code, message: error.message }, 'error');
  if (options.dryRun !== true) await queue.ensure();
  const tenants: FanOutTenant[] = [];
  const due: { readonly tenantId: string; readonly night: string; readonly lastNightSeconds: number | null; readonly at: number }[] = [];
  for (const entry of entries) {
    let config = null;
    let error: FanOutTenant['error'] = null;
    if (entry.enabled) {
      try {
        config = tenantConfig(options.deploymentEnv, entry);
      } catch (thrown) {
        const failure = toRolloutError(thrown);
        error = { code: failure.code, message: failure.message };
        logger.event('tenant.configInvalid', { tenantId: entry.tenantId, errorCode: failure.code, message: failure.message }, 'error');
      }
    }
    const decision = decideFanOut({ tenantId: entry.tenantId, enabled: entry.enabled, lastEnqueuedNight: entry.lastEnqueuedNight, config }, now);
    if (decision.verdict === 'due' && decision.night !== null) due.push({ tenantId: entry.tenantId, night: decision.night, lastNightSeconds: entry.lastNight?.seconds ?? null, at: tenants.length });
    tenants.push({ ...decision, displayName: entry.displayName, error });
  }
  const enqueued: string[] = [];
  // the longest nights first (`fanOutOrder`): the instances taking messages in queue order then finish together
  for (const { tenantId, night, lastNightSeconds, at } of options.dryRun === true ? [] : fanOutOrder(due)) {
    try {
      await queue.send({ tenantId, night, enqueuedAt: now.toISOString() });
      await registry.markEnqueued(tenantId, night);
      enqueued.push(tenantId);
      logger.event('tenant.enqueued', { tenantId, night, queue: queue.name, lastNightSeconds });
    } catch (thrown) {
      const failure = toRolloutError(thrown);
      const tenant = tenants[at];
      if (tenant !== undefined) tenants[at] = { ...tenant, error: { code: failure.code, message: failure.message } };
      failed.push(`${tenantId}: ${failure.message}`);
      logger.event('tenant.enqueueFailed', { tenantId, night, errorCode: failure.code, message: failure.message }, 'error');
    }
  }
  logger.event('fanOut.done', { tenants: entries.length, enqueued: enqueued.length, failed: failed.length, now: now.toISOString() }, failed.length > 0 ? 'error' : 'info');
  return { tenants, enqueued, failed };
}

/** `fanOutTenants` on the deployment's registry and queue, from its app settings (the timer and `mfa-rollout fan-out`). */
export async function runFanOut(deploymentEnv: Environment, logger: Logger, now: Date, options: { readonly dryRun?: boolean } = {}): Promise<FanOutResult> {
  const deployment = loadDeploymentConfig(deploymentEnv);
  const queue = createTenantQueue(queueConnectionFrom(deploymentEnv), deployment.tenantQueue);
  const registry = await openTenantRegistry(deployment);
  return fanOutTenants({ deploymentEnv, registry, queue, logger, now, ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }) });
}
