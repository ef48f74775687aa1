import type { TriggerMetadata } from '@azure/functions';

/** The received message's own facts (as @azure/storage-queue's ReceivedMessageItem names them). */
export interface ReceivedFacts {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly dequeueCount: number;
  readonly insertedOn: Date;
  readonly expiresOn: Date;
  readonly nextVisibleOn: Date;
}

/**
 * `context.triggerMetadata` of a queue-triggered invocation as the Node.js worker hands it over: the host's binding
 * data camel-cased (`queueTrigger` the decoded text, `id`, `popReceipt`, `dequeueCount` a number, the three times as
 * strings the way the host serializes a DateTimeOffset, `+00:00`), and `sys` (method name, UTC now, a random GUID).
 */
export function queueTriggerMetadata(message: ReceivedFacts, text: string, functionName: string, now: Date, randomGuid: string): TriggerMetadata {
  return {
    queueTrigger: text,
    dequeueCount: message.dequeueCount,
    expirationTime: hostTime(message.expiresOn),
    insertionTime: hostTime(message.insertedOn),
    nextVisibleTime: hostTime(message.nextVisibleOn),
    id: message.messageId,
    popReceipt: message.popReceipt,
    sys: { methodName: functionName, utcNow: now.toISOString(), randGuid: randomGuid },
  };
}

/** Storage times are whole seconds; the host writes a DateTimeOffset as `2026-12-02T01:02:03+00:00`. */
function hostTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}+00:00`;
}
