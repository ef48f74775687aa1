import { TableClient } from '@azure/data-tables';
import azureFunctions from '@azure/functions';
import type { InvocationContext } from '@azure/functions';

/**
 * The queue host's own test fixture: a queue-triggered function that records every run in an Azurite table (partition
 * = the message's `key`, row = invocation id: process id, what it received, the trigger metadata, start and end) and
 * then does what the message says. Run by the workers from source (Node strips the types), so it imports packages only.
 * It registers itself as the real function does (`app.storageQueue`, queue name from an app setting).
 *
 *   { "key": "k", "behave": "succeed" }                    returns
 *   { "key": "k", "behave": "throw" }                      throws, every time
 *   { "key": "k", "behave": "hold", "holdMs": 5000 }       runs that long, then returns
 *   { "key": "k", "behave": "holdFirst", "holdMs": 60000 } the first delivery runs that long (to be killed), later ones return
 */
export async function recordingHandler(message: unknown, context: InvocationContext): Promise<void> {
  const table = TableClient.fromConnectionString(process.env['AzureWebJobsStorage'] ?? '', process.env['QUEUEHOST_RUNS_TABLE'] ?? '', { allowInsecureConnection: true });
  const order = typeof message === 'object' && message !== null ? (message as { key?: unknown; behave?: unknown; holdMs?: unknown }) : {};
  const key = typeof order.key === 'string' ? order.key : 'unkeyed';
  const entity = { partitionKey: key, rowKey: context.invocationId };
  await table.createEntity({
    ...entity,
    pid: process.pid,
    functionName: context.functionName,
    inputType: typeof message,
    input: JSON.stringify(message),
    triggerMetadata: JSON.stringify(context.triggerMetadata),
    trigger: JSON.stringify(context.options.trigger),
    startedAt: new Date().toISOString(),
  });
  context.info(`recordingHandler ran ${key}`);
  const dequeueCount = context.triggerMetadata?.['dequeueCount'];
  const holdMs = typeof order.holdMs === 'number' ? order.holdMs : 0;
  if (order.behave === 'hold' || (order.behave === 'holdFirst' && dequeueCount === 1)) await new Promise((resolve) => setTimeout(resolve, holdMs));
  await table.updateEntity({ ...entity, endedAt: new Date().toISOString() }, 'Merge');
  if (order.behave === 'throw') throw new Error(`recordingHandler: ${key} told to throw`);
}

azureFunctions.app.storageQueue('recordingHandler', { queueName: '%QUEUEHOST_QUEUE%', connection: 'AzureWebJobsStorage', handler: recordingHandler });
