/** What the host does with a message after its function ran (or instead of running it). */
export type MessageOutcome = 'run' | 'delete' | 'release' | 'poison' | 'abandon';

/**
 * Before the function runs: a message already dequeued more than `maxDequeueCount` times (its earlier attempts died
 * with their instance, so none of them could poison it) goes straight to the poison queue, as the host's
 * QueueProcessor.BeginProcessingMessageAsync does.
 */
export function outcomeBeforeRun(dequeueCount: number, maxDequeueCount: number, hasPoisonQueue: boolean): 'run' | 'poison' {
  return hasPoisonQueue && dequeueCount > maxDequeueCount ? 'poison' : 'run';
}

/**
 * After the function ran (QueueProcessor.CompleteProcessingMessageAsync): success deletes the message; a failure on
 * the `maxDequeueCount`-th attempt or later moves it to the poison queue; an earlier failure releases it, visible again
 * after host.json's `visibilityTimeout`. A queue with no poison queue (its name ends in `-poison`, or is too long for
 * the suffix) leaves a failed message invisible until its lease runs out, to avoid a fast endless loop.
 */
export function outcomeAfterRun(succeeded: boolean, dequeueCount: number, maxDequeueCount: number, hasPoisonQueue: boolean): 'delete' | 'release' | 'poison' | 'abandon' {
  if (succeeded) return 'delete';
  if (!hasPoisonQueue) return 'abandon';
  return dequeueCount >= maxDequeueCount ? 'poison' : 'release';
}

/** The host's poison queue for a queue: `<name>-poison`, or none for a poison queue itself or a name too long (63). */
export function poisonQueueName(queueName: string): string | null {
  const name = `${queueName}-poison`;
  return queueName.endsWith('-poison') || name.length > 63 ? null : name;
}
