import type { LimitFunction } from 'p-limit';
import type { GraphCall } from './graphCall.js';
import { batchLimit, type ExchangeOutcome, type GraphExchange } from './graphExchange.js';

export interface BatchQueue {
  /**
   * Sends the call in the next `$batch` of its version. Calls made in the same turn of the event loop travel
   * together; while every request slot is busy, calls keep joining the waiting batch (group commit), so a loaded
   * gateway sends full batches and an idle one sends at once. A call that ends up alone goes as a plain request.
   */
  enqueue(call: GraphCall): Promise<ExchangeOutcome>;
}

interface Waiting {
  readonly call: GraphCall;
  readonly resolve: (outcome: ExchangeOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export function createBatchQueue(exchange: GraphExchange, limit: LimitFunction, onBatch: (items: number) => void): BatchQueue {
  const queues = new Map<string, Waiting[]>();
  /** Request slots asked for (p-limit) that have not started yet, per version: each will take up to 20 calls. */
  const pendingRunners = new Map<string, number>();
  const kickPending = new Set<string>();

  const queueOf = (version: string): Waiting[] => {
    let queue = queues.get(version);
    if (queue === undefined) {
      queue = [];
      queues.set(version, queue);
    }
    return queue;
  };

  const schedule = (version: GraphCall['version']): void => {
    const waiting = queueOf(version).length;
    const runners = pendingRunners.get(version) ?? 0;
    for (let extra = Math.ceil(waiting / batchLimit) - runners; extra > 0; extra -= 1) {
      pendingRunners.set(version, (pendingRunners.get(version) ?? 0) + 1);
      void limit(() => run(version));
    }
  };

  const run = async (version: GraphCall['version']): Promise<void> => {
    pendingRunners.set(version, (pendingRunners.get(version) ?? 1) - 1);
    const entries = queueOf(version).splice(0, batchLimit);
    if (entries.length === 0) return;
    try {
      if (entries.length === 1) {
        const [only] = entries as [Waiting];
        only.resolve(await exchange.single(only.call));
        return;
      }
      onBatch(entries.length);
      const outcomes = await exchange.batch(version, entries.map((entry) => entry.call));
      entries.forEach((entry, index) => entry.resolve(outcomes[index] as ExchangeOutcome));
    } catch (error) {
      for (const entry of entries) entry.reject(error);
    }
  };

  return {
    enqueue(call) {
      return new Promise((resolve, reject) => {
        const queue = queueOf(call.version);
        queue.push({ call, resolve, reject });
        if (queue.length % batchLimit === 0) {
          schedule(call.version); // a full batch need not wait for the end of the turn
        } else if (!kickPending.has(call.version)) {
          kickPending.add(call.version);
          setImmediate(() => {
            kickPending.delete(call.version);
            schedule(call.version);
          });
        }
      });
    },
  };
}
