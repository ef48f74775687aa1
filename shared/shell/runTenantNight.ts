import { loadDeploymentConfig } from '../config/loadConfig.js';
import { tenantConfig } from '../config/tenantConfig.js';
import { messageTiming } from '../core/tenantNightWindow.js';
import { parseTenantNightMessage } from '../core/tenantNightMessage.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { openRollout } from './rolloutPorts.js';
import { openTenantRegistry } from './openTenantRegistry.js';
import type { TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';
import { runWave, type NightResult } from './runWave.js';

type Environment = Readonly<Record<string, string | undefined>>;

export interface TenantNightOptions {
  /** The deployment's app settings (the Function App's environment). */
  readonly deploymentEnv: Environment;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly runId: string;
  /** How often the host has handed this message over (1 the first time). */
  readonly dequeueCount: number;
  readonly elapsed?: () => number;
}

export type TenantNightResult =
  | { readonly outcome: 'night'; readonly tenantId: string; readonly night: NightResult }
  /** Not retried: the tenant is disabled, the night is over or not tonight, or a failure only a person can fix. */
  | { readonly outcome: 'disabled' | 'late' | 'notTonight'; readonly tenantId: string }
  | { readonly outcome: 'refused'; readonly tenantId: string; readonly errorCode: string; readonly message: string };

/**
 * One tenant's night from its queue message: the message checked whole (TENANT_MESSAGE_INVALID), the tenant read from
 * the registry and its settings validated again, then `runWave` on that tenant's own config, tables partition and
 * lease, exactly as a single-tenant night.
 *
 * Thrown (the host retries after host.json visibilityTimeout, then moves the message to the poison queue, which
 * alerts): a malformed message, a lease another run holds, and every failure marked retryable (tables, Graph
 * unavailable). Returned, never retried: a disabled tenant, a late or other night's message, a night that already
 * ran (`runWave` refuses a second wave), held, halted, and failures no retry can mend (bad settings, no consent,
 * a missing break-glass account), each logged at error level as `tenant.failed` naming the tenant.
 */
export async function runTenantNight(message: unknown, options: TenantNightOptions): Promise<TenantNightResult> {
  const { logger } = options;
  let parsed;
  try {
    parsed = parseTenantNightMessage(message);
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('tenant.messageInvalid', { errorCode: failure.code, message: failure.message, dequeueCount: options.dequeueCount }, 'error');
    throw failure;
  }
  const { tenantId } = parsed;
  const tenantLogger = logger.with({ tenantId, rolloutId: tenantId, night: parsed.night });
  if (options.dequeueCount > 1) tenantLogger.event('tenant.redelivered', { dequeueCount: options.dequeueCount }, 'warn');
  try {
    return await night(parsed.tenantId, parsed.night, options, tenantLogger);
  } catch (error) {
    const failure = toRolloutError(error);
    tenantLogger.event('tenant.failed', { errorCode: failure.code, message: failure.message, requestId: failure.requestId ?? null, dequeueCount: options.dequeueCount }, failure.retryable ? 'warn' : 'error');
    if (failure.retryable) throw failure;
    return { outcome: 'refused', tenantId, errorCode: failure.code, message: failure.message };
  }
}

/** A hint for the fan-out's order only: a table that refuses it is logged, and the night's outcome stands. */
async function recordNightRan(registry: TenantRegistryTable, tenantId: string, night: string, seconds: number, logger: Logger): Promise<void> {
  try {
    await registry.markNightRan(tenantId, night, seconds);
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('tenant.nightTimeUnrecorded', { errorCode: failure.code, message: failure.message }, 'warn');
  }
}

async function night(tenantId: string, tonight: string, options: TenantNightOptions, logger: Logger): Promise<TenantNightResult> {
  const registry = await openTenantRegistry(loadDeploymentConfig(options.deploymentEnv));
  const entry = await registry.get(tenantId);
  if (entry === null) throw new RolloutError('TENANT_NOT_REGISTERED', `Tenant ${tenantId} is not in the tenant registry`);
  if (!entry.enabled) {
    logger.event('tenant.disabled', { at: entry.disabledAt }, 'warn');
    return { outcome: 'disabled', tenantId };
  }
  const config = tenantConfig(options.deploymentEnv, entry);
  const now = options.clock();
  const timing = messageTiming(tonight, config, now);
  if (timing !== 'tonight') {
    logger.event('tenant.nightSkipped', { timing, now: now.toISOString() }, 'warn');
    return { outcome: timing, tenantId };
  }
  const rollout = await openRollout(config, logger);
  const startedMs = now.getTime();
  try {
    const wave = { config, clock: options.clock, ports: rollout.ports, logger, runId: options.runId, ...(options.elapsed === undefined ? {} : { elapsed: options.elapsed }) };
    // a duplicate or redelivered message for a night whose wave already ran (or died) is `alreadyRan`: nothing is
    // read or written, as for a second timer run; the next night reconciles users a dead run left in flight
    const result = await runWave(wave);
    if (result.outcome === 'leaseHeld') {
      throw new RolloutError('LEASE_HELD', `Tenant ${tenantId}: another run holds the lease (${result.holder}, until ${result.expiresAt}); the message is retried after host.json visibilityTimeout`);
    }
    const seconds = Math.max(0, (options.clock().getTime() - startedMs) / 1000);
    logger.event('tenant.nightDone', { outcome: result.outcome, durationSeconds: seconds, ...('wave' in result ? { waveId: result.wave.waveId, status: result.wave.status } : {}) });
    // how long tonight ran, for tomorrow's fan-out order (`fanOutOrder`); not for a night that had already run
    if (result.outcome !== 'alreadyRan') await recordNightRan(registry, tenantId, tonight, seconds, logger);
    return { outcome: 'night', tenantId, night: result };
  } finally {
    await rollout.close();
  }
}
