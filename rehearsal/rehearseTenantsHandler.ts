import type { InvocationContext } from '@azure/functions';
import { tenantNight } from '../functions/tenantNight.js';
import type { TenantNightResult } from '../shared/shell/runTenantNight.js';

/**
 * The rehearsal's queue handler (never deployed): the real `tenantNight` (whose module registers the
 * `app.storageQueue` trigger the queue host checks), given a simulated clock. The simulated night starts at 01:00 UTC
 * of the message's `night` when the message was put on the queue (its `insertionTime`, stamped by Azurite), and
 * runs on in real time from there, so a redelivered message (a killed worker, a retry) sees the time that has
 * passed since, as a run lease left by a dead run would in Azure. A message without a readable night gets the
 * real clock: `tenantNight` refuses it by name anyway.
 */
export async function rehearsalTenantNight(message: unknown, context: InvocationContext): Promise<TenantNightResult> {
  return tenantNight(message, context, simulatedClock(message, context));
}

export function simulatedClock(message: unknown, context: Pick<InvocationContext, 'triggerMetadata'>): () => Date {
  const night = typeof message === 'object' && message !== null ? (message as { night?: unknown }).night : undefined;
  const inserted = Date.parse(String(context.triggerMetadata?.['insertionTime'] ?? ''));
  const nightStart = typeof night === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(night) ? Date.parse(`${night}T01:00:00Z`) : Number.NaN;
  if (Number.isNaN(nightStart) || Number.isNaN(inserted)) return () => new Date();
  return () => new Date(nightStart + Math.max(0, Date.now() - inserted));
}
