import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { decodeQueueMessage } from './decodeQueueMessage.js';
import { outcomeAfterRun, outcomeBeforeRun } from './messageOutcome.js';
import { nextPollDelay, type PollBackoff } from './nextPollDelay.js';
import { leaseSeconds, renewVisibility, type MessageReceipt } from './renewVisibility.js';
import type { QueuesSettings } from './resolveQueuesSettings.js';
import { isLostMessage, isTransientStorageFailure } from './storageFailure.js';
import type { Settlement } from './workerMessages.js';

/** What the listener reports (the worker adds its index). */
export type ListenerEvent =
  | { readonly type: 'started'; readonly messageId: string; readonly invocationId: string; readonly dequeueCount: number }
  | { readonly type: 'renewed'; readonly messageId: string; readonly nextVisibleOn: string }
  | { readonly type: 'settled'; readonly messageId: string; readonly invocationId: string | null; readonly dequeueCount: number; readonly outcome: Settlement; readonly error?: string };

export type RunResult = { readonly failed: false } | { readonly failed: true; readonly error: unknown };

export interface ListenerPorts {
  readonly queue: QueueClient;
  /** null when the queue has no poison queue (the host's rule: see poisonQueueName). */
  readonly poison: QueueClient | null;
  readonly settings: QueuesSettings;
  /** Runs the function once for a message; resolves with whether it threw (and what). */
  run(message: DequeuedMessageItem, text: string, value: unknown, invocationId: string): Promise<RunResult>;
  newInvocationId(): string;
  report(event: ListenerEvent): void;
  hostLog(level: 'information' | 'warning' | 'error', message: string): void;
  /** The function's name, for the host's timeout message. */
  readonly functionName: string;
}

export interface QueueListener {
  /** Stops polling, waits for every running message to finish and be settled. */
  stop(): Promise<void>;
  /** Settles when the listener has stopped: with `timedOut` when an invocation outlived host.json's functionTimeout. */
  readonly done: Promise<{ readonly timedOut: boolean }>;
}

/**
 * One Functions host instance's queue listener (the Storage extension's QueueListener): receives up to `batchSize`
 * messages with the 10-minute lease, runs them all at once, takes the next batch as soon as no more than
 * `newBatchThreshold` are still running, and backs off (randomized, exponential, up to `maxPollingInterval`) while the
 * queue is empty or missing. Each message is settled by QueueProcessor's rules (see messageOutcome.ts).
 */
export function startQueueListener(ports: ListenerPorts): QueueListener {
  const { queue, settings } = ports;
  const processing = new Set<Promise<void>>();
  let stopping = false;
  let wake: () => void = () => undefined;
  // functionTimeout: the host fails the invocation and restarts the language worker process, which ends every
  // invocation running in it; here every running message is settled as failed and the worker then exits (and is
  // replaced), since the JavaScript still running cannot be stopped otherwise
  let timedOut = false;
  let restart: (result: RunResult) => void = () => undefined;
  const restarted = new Promise<RunResult>((resolve) => (restart = resolve));

  const loop = async () => {
    let backoff: PollBackoff = { currentMs: 0, exponent: 0 };
    let foundSinceLastWait = false;
    let queueExists = false;
    while (!stopping) {
      let batch: DequeuedMessageItem[] = [];
      try {
        // the host checks once that the queue exists (an absent queue is waited for, never created), then just receives
        if (!queueExists) queueExists = await queue.exists();
        if (queueExists) batch = (await queue.receiveMessages({ numberOfMessages: settings.batchSize, visibilityTimeout: leaseSeconds(settings.messageLeaseMs) })).receivedMessageItems;
      } catch (error) {
        queueExists = false;
        if (!isTransientStorageFailure(error) && !isLostMessage(error)) ports.hostLog('error', `Polling queue '${queue.name}' failed: ${describe(error)}`);
      }
      if (batch.length > 0) {
        for (const message of batch) {
          const task = processMessage(message).catch((error: unknown) => ports.hostLog('error', `Settling message '${message.messageId}' failed: ${describe(error)}`));
          processing.add(task);
          void task.finally(() => processing.delete(task));
        }
        foundSinceLastWait = true;
        while (processing.size > settings.newBatchThreshold) await Promise.race(processing);
        continue;
      }
      backoff = nextPollDelay(backoff, foundSinceLastWait, settings.maxPollingIntervalMs, Math.random);
      foundSinceLastWait = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff.currentMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await Promise.all(processing);
    return { timedOut };
  };

  const processMessage = async (message: DequeuedMessageItem) => {
    const receipt: MessageReceipt = { messageId: message.messageId, popReceipt: message.popReceipt };
    const settled = (outcome: Settlement, invocationId: string | null, error?: unknown) =>
      ports.report({ type: 'settled', messageId: message.messageId, invocationId, dequeueCount: message.dequeueCount, outcome, ...(error === undefined ? {} : { error: describe(error) }) });

    const decoded = decodeQueueMessage(message.messageText, settings.messageEncoding);
    if (!decoded.ok) {
      ports.hostLog('warning', `Message decoding has failed! Check MessageEncoding settings. MessageId=${message.messageId}.`);
      await settle('poison', message, receipt);
      settled('poisoned', null);
      return;
    }
    if (outcomeBeforeRun(message.dequeueCount, settings.maxDequeueCount, ports.poison !== null) === 'poison') {
      await settle('poison', message, receipt);
      settled('poisoned', null);
      return;
    }

    const invocationId = ports.newInvocationId();
    ports.report({ type: 'started', messageId: message.messageId, invocationId, dequeueCount: message.dequeueCount });
    const renewal = renewVisibility(
      queue,
      receipt,
      settings.messageLeaseMs,
      settings.minimumRenewalIntervalMs,
      (nextVisibleOn) => ports.report({ type: 'renewed', messageId: message.messageId, nextVisibleOn: nextVisibleOn.toISOString() }),
      (error) => ports.hostLog('warning', `Renewing the visibility of message '${message.messageId}' failed: ${describe(error)}`),
    );
    let result: RunResult;
    let timer: NodeJS.Timeout | undefined;
    try {
      const limit = settings.functionTimeoutMs;
      const timeout = new Promise<RunResult>((resolve) => {
        if (limit === undefined || limit <= 0) return;
        timer = setTimeout(() => {
          const text = `Timeout value of ${timeSpan(limit)} exceeded by function 'Functions.${ports.functionName}' (Id: '${invocationId}'). Initiating cancellation.`;
          ports.hostLog('error', text);
          timedOut = true;
          stopping = true;
          wake();
          resolve({ failed: true, error: new Error(text) }); // first, so this invocation fails with the timeout itself
          restart({ failed: true, error: new Error(`the language worker was restarted after invocation ${invocationId} timed out`) });
        }, limit);
      });
      result = await Promise.race([ports.run(message, decoded.text, decoded.value, invocationId), timeout, restarted]);
    } finally {
      clearTimeout(timer);
      await renewal.stop();
    }
    const outcome = outcomeAfterRun(!result.failed, message.dequeueCount, settings.maxDequeueCount, ports.poison !== null);
    await settle(outcome, message, receipt);
    settled(({ delete: 'deleted', release: 'released', poison: 'poisoned', abandon: 'abandoned' } as const)[outcome], invocationId, result.failed ? result.error : undefined);
  };

  const settle = async (outcome: 'delete' | 'release' | 'poison' | 'abandon', message: DequeuedMessageItem, receipt: MessageReceipt) => {
    if (outcome === 'abandon') return; // left invisible until its lease runs out
    if (outcome === 'poison' && ports.poison !== null) {
      ports.hostLog('warning', `Message has reached MaxDequeueCount of ${settings.maxDequeueCount}. Moving message to queue '${ports.poison.name}'.`);
      await sendCreatingQueue(ports.poison, message.messageText);
    }
    try {
      if (outcome === 'release') await queue.updateMessage(receipt.messageId, receipt.popReceipt, undefined, Math.floor(settings.visibilityTimeoutMs / 1000));
      else await queue.deleteMessage(receipt.messageId, receipt.popReceipt);
    } catch (error) {
      if (!isLostMessage(error)) throw error; // someone else owns it now, or it is gone: nothing to do
    }
  };

  const done = loop();
  return {
    done,
    stop: async () => {
      stopping = true;
      wake();
      await done;
    },
  };
}

/** The poison copy keeps the body exactly as it was on the wire; the poison queue is created the first time. */
async function sendCreatingQueue(queue: QueueClient, body: string): Promise<void> {
  try {
    await queue.sendMessage(body);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    await queue.createIfNotExists();
    await queue.sendMessage(body);
  }
}

/** A duration as the host prints a TimeSpan: hh:mm:ss. */
function timeSpan(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((part) => String(part).padStart(2, '0')).join(':');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
