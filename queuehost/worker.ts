import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import azureFunctions from '@azure/functions';
import type { FunctionTrigger, InvocationContext } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { captureRegistrations, type RegisteredFunction } from './captureRegistrations.js';
import { poisonQueueName } from './messageOutcome.js';
import { queueTriggerMetadata } from './queueTriggerMetadata.js';
import { startQueueListener, type QueueListener, type RunResult } from './queueListener.js';
import { resolveQueuesSettings } from './resolveQueuesSettings.js';
import type { StartWorker, ToWorker, WorkerReport } from './workerMessages.js';

/**
 * One worker process: a stand-in for one scaled-out Functions host instance with its Node.js worker. Started by
 * startQueueWorkers (child process with an IPC channel); the first message says what to listen to and what to call.
 * Function and host logs go to stderr as JSON lines; events go to the parent over IPC.
 */

type Handler = (input: unknown, context: InvocationContext) => unknown;

let index = -1;
let listener: QueueListener | undefined;
let stopping = false;

const unsent = new Set<Promise<void>>();

/** Sends an event to the parent; exiting waits for every event sent to be handed over. */
function send(report: WorkerReport): void {
  if (!process.connected || process.send === undefined) return;
  const sent = new Promise<void>((resolve) => process.send?.({ ...report, at: Date.now() }, undefined, {}, () => resolve()));
  unsent.add(sent);
  void sent.then(() => unsent.delete(sent));
}

function writeLog(category: string, level: string, message: string, invocationId?: string): void {
  const line = { time: new Date().toISOString(), worker: index, category, level, ...(invocationId === undefined ? {} : { invocationId }), message };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

async function start(options: StartWorker): Promise<void> {
  index = options.index;
  const registered = captureRegistrations((level, message) => writeLog('Worker.System', level, message));
  const settings = resolveQueuesSettings(JSON.parse(readFileSync(options.hostJsonPath, 'utf8')) as unknown, { processorCount: os.availableParallelism(), ...(process.env['WEBSITE_SKU'] === undefined ? {} : { websiteSku: process.env['WEBSITE_SKU'] }) }, options.overrides);
  const loaded = (await import(pathToFileURL(options.handlerModule).href)) as Record<string, unknown>;
  const handler = loaded[options.handlerExport];
  if (typeof handler !== 'function') throw new Error(`${options.handlerModule}: export ${JSON.stringify(options.handlerExport)} is not a function`);
  const trigger = triggerFor(options, registered);

  const service = QueueServiceClient.fromConnectionString(options.connectionString);
  const queue = service.getQueueClient(options.queueName);
  const poisonName = poisonQueueName(options.queueName);
  const hostLog = (level: 'information' | 'warning' | 'error', message: string) => writeLog('Host.Triggers.Queue', level, message);

  listener = startQueueListener({
    queue,
    poison: poisonName === null ? null : service.getQueueClient(poisonName),
    settings,
    functionName: options.functionName,
    newInvocationId: randomUUID,
    report: (event) => send({ ...event, worker: index }),
    hostLog,
    run: async (message, text, value, invocationId): Promise<RunResult> => {
      const started = Date.now();
      const executor = (level: string, line: string) => writeLog('Host.Executor', level, line, invocationId);
      executor('information', `Executing 'Functions.${options.functionName}' (Reason='New queue message detected on '${options.queueName}'.', Id=${invocationId})`);
      executor('information', `Trigger Details: MessageId: ${message.messageId}, DequeueCount: ${message.dequeueCount}, InsertedOn: ${message.insertedOn.toISOString()}`);
      const context = new azureFunctions.InvocationContext({
        invocationId,
        functionName: options.functionName,
        triggerMetadata: queueTriggerMetadata(message, text, options.functionName, new Date(), randomUUID()),
        options: { trigger, extraInputs: [], extraOutputs: [] },
        logHandler: (level, ...args) => writeLog(`Function.${options.functionName}.User`, level, format(...args), invocationId),
      });
      try {
        await (handler as Handler)(value, context);
        executor('information', `Executed 'Functions.${options.functionName}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`);
        return { failed: false };
      } catch (error) {
        executor('error', `Executed 'Functions.${options.functionName}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms): ${error instanceof Error ? error.message : String(error)}`);
        return { failed: true, error };
      }
    },
  });
  send({ type: 'listening', worker: index, settings, functionName: options.functionName });
  if (stopping) await stop();
  const { timedOut } = await listener.done;
  if (timedOut) {
    send({ type: 'restarting', worker: index, reason: 'functionTimeout' });
    await exit(1);
  }
}

/**
 * The trigger binding the invocation's `context.options.trigger` shows: the one the module registered for this function
 * (`app.storageQueue`), whose queue name (an app-setting reference like `%MFA_TENANT_QUEUE%` resolved from the
 * environment, as the host resolves it) must be the queue listened to; or, when the module registers nothing, a
 * queueTrigger binding for that queue.
 */
function triggerFor(options: StartWorker, registered: readonly RegisteredFunction[]): FunctionTrigger {
  const own = registered.find((entry) => entry.name === options.functionName);
  if (own === undefined) return { type: 'queueTrigger', name: 'queueItem', queueName: options.queueName, connection: 'AzureWebJobsStorage' };
  const { direction: _direction, properties: _properties, ...trigger } = own.trigger;
  if (trigger['type'] !== 'queueTrigger') throw new Error(`function ${options.functionName}: registered with a ${String(trigger['type'])} trigger, not queueTrigger`);
  const declared = String(trigger['queueName']);
  const setting = /^%(.+)%$/.exec(declared)?.[1];
  const resolved = setting === undefined ? declared : process.env[setting];
  if (resolved === undefined) throw new Error(`function ${options.functionName}: its queue name ${declared} names the app setting ${setting ?? ''}, which is not set`);
  if (resolved !== options.queueName) throw new Error(`function ${options.functionName}: listens to queue ${JSON.stringify(resolved)}, not ${JSON.stringify(options.queueName)}`);
  return trigger as FunctionTrigger;
}

async function stop(): Promise<void> {
  stopping = true;
  if (listener === undefined) return; // still starting: start() stops once the listener exists
  await listener.stop();
  await exit(0);
}

async function exit(code: number): Promise<never> {
  send({ type: 'exiting', worker: index, maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  await Promise.all(unsent);
  process.exit(code);
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    start(message).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      writeLog('Host.Startup', 'error', text);
      send({ type: 'failed', worker: index, error: text });
      void Promise.all(unsent).then(() => process.exit(1));
    });
  } else {
    void stop();
  }
});
// the parent went away without stopping us: stop as a host instance being shut down would
process.on('disconnect', () => void stop());
