import type { QueueClient } from '@azure/storage-queue';
import { isLostMessage, isTransientStorageFailure } from './storageFailure.js';

/** A running message's receipt: the pop receipt changes with every renewal, and only the latest deletes it. */
export interface MessageReceipt {
  readonly messageId: string;
  popReceipt: string;
}

export interface Renewal {
  /** Stops renewing; waits for a renewal in flight, so the receipt is final when it resolves. */
  stop(): Promise<void>;
}

/**
 * Keeps a running message invisible, as the host does while its function runs: halfway through the lease
 * (`leaseMs` / 2) it sets the message's visibility to a full lease again, and again after each success. After a
 * server error it tries sooner (half the gap after each failure, never under `minimumIntervalMs`); once the receipt
 * no longer matches or the message is gone, it stops (ownership is lost for good).
 */
export function renewVisibility(queue: QueueClient, receipt: MessageReceipt, leaseMs: number, minimumIntervalMs: number, renewed: (nextVisibleOn: Date) => void, failed: (error: unknown) => void): Renewal {
  const normalMs = leaseMs / 2;
  let intervalMs = normalMs;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (delayMs: number) => {
    if (!stopped) timer = setTimeout(() => (inFlight = renewOnce()), delayMs);
  };
  const renewOnce = async () => {
    try {
      const answer = await queue.updateMessage(receipt.messageId, receipt.popReceipt, undefined, leaseSeconds(leaseMs));
      if (answer.popReceipt !== undefined) receipt.popReceipt = answer.popReceipt;
      intervalMs = normalMs;
      if (answer.nextVisibleOn !== undefined) renewed(answer.nextVisibleOn);
      schedule(intervalMs);
    } catch (error) {
      if (isLostMessage(error)) return;
      failed(error);
      if (!isTransientStorageFailure(error)) return;
      intervalMs = Math.max(intervalMs / 2, minimumIntervalMs); // the host's LinearSpeedupStrategy: half the gap each failure
      schedule(intervalMs);
    }
  };

  schedule(normalMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/** Storage visibility is whole seconds: the lease rounded, never 0 (0 would make the message visible at once). */
export function leaseSeconds(leaseMs: number): number {
  return Math.max(1, Math.round(leaseMs / 1000));
}
