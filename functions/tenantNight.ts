import azureFunctions from '@azure/functions';
import type { InvocationContext } from '@azure/functions';
import { createLogger } from '../shared/log/logEvent.js';
import { invocationSink } from '../shared/log/invocationSink.js';
import { runTenantNight, type TenantNightResult } from '../shared/shell/runTenantNight.js';

/**
 * Many tenants: one tenant's night, from a message the nightly timer's fan-out put on MFA_TENANT_QUEUE. The host
 * hands over the decoded JSON and a context whose `triggerMetadata.dequeueCount` says how often it came; a throw
 * makes the host retry the message (host.json `extensions.queues`) and, after maxDequeueCount attempts, move it to
 * the poison queue, which alerts. `clock` is there for tests.
 */
export async function tenantNight(message: unknown, context: InvocationContext, clock: () => Date = () => new Date()): Promise<TenantNightResult> {
  const logger = createLogger(invocationSink(context), { runId: context.invocationId });
  const dequeueCount = Number(context.triggerMetadata?.['dequeueCount'] ?? 1);
  return runTenantNight(message, { deploymentEnv: process.env, clock, logger, runId: context.invocationId, dequeueCount: Number.isFinite(dequeueCount) ? dequeueCount : 1 });
}

azureFunctions.app.storageQueue('tenantNight', {
  queueName: '%MFA_TENANT_QUEUE%',
  connection: 'AzureWebJobsStorage',
  handler: tenantNight,
});
