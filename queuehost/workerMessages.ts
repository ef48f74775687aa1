import type { QueuesSettings } from './resolveQueuesSettings.js';

/** The parent's first message to a worker: everything it needs to listen like one Functions host instance. */
export interface StartWorker {
  readonly type: 'start';
  readonly index: number;
  readonly connectionString: string;
  readonly queueName: string;
  readonly handlerModule: string;
  readonly handlerExport: string;
  readonly functionName: string;
  readonly hostJsonPath: string;
  readonly overrides: Partial<QueuesSettings>;
}

/** Stop taking messages, let the running ones finish and settle, then exit (the host's graceful shutdown). */
export interface StopWorker {
  readonly type: 'stop';
}

export type ToWorker = StartWorker | StopWorker;

/** How the host settled a message: deleted (success), released (visible again later), poisoned, or abandoned. */
export type Settlement = 'deleted' | 'released' | 'poisoned' | 'abandoned';

/** What a worker reports to the parent, in order, as it happens, stamped with when (`at`, ms since the epoch). */
export type WorkerEvent = WorkerReport & { readonly at: number };

export type WorkerReport =
  | { readonly type: 'listening'; readonly worker: number; readonly settings: QueuesSettings; readonly functionName: string }
  | { readonly type: 'started'; readonly worker: number; readonly messageId: string; readonly invocationId: string; readonly dequeueCount: number }
  | { readonly type: 'renewed'; readonly worker: number; readonly messageId: string; readonly nextVisibleOn: string }
  | {
      readonly type: 'settled';
      readonly worker: number;
      readonly messageId: string;
      /** null when the message was poisoned without running (undecodable, or dequeued too often already). */
      readonly invocationId: string | null;
      readonly dequeueCount: number;
      readonly outcome: Settlement;
      /** The handler's error message, when it threw. */
      readonly error?: string;
    }
  | { readonly type: 'failed'; readonly worker: number; readonly error: string }
  /** An invocation outlived functionTimeout: the worker settled its running messages as failed and exits; a new one replaces it. */
  | { readonly type: 'restarting'; readonly worker: number; readonly reason: string }
  /** The worker's last word before it exits (stopped, or replaced after a timeout): its peak resident set size. */
  | { readonly type: 'exiting'; readonly worker: number; readonly maxRssBytes: number };
