import type { GraphOutcome } from '../http/createGraphDispatcher.js';
import type { Journal } from './journal.js';
import type { TrafficStats } from './createTrafficStats.js';

export interface RecordedExchange {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly requestId: string;
  readonly outcome: GraphOutcome;
  /** `request-id` of the `$batch` envelope when this was one of its items. */
  readonly batchRequestId?: string;
}

export type OutcomeRecorder = (exchange: RecordedExchange) => void;

const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Books one Graph exchange (a direct request, an envelope, or a batch item) in the counters, the write journal
 * (every write but the envelope itself; batch items marked `viaBatch`) and the traffic statistics.
 */
export function createOutcomeRecorder(journal: Journal, stats: TrafficStats): OutcomeRecorder {
  return ({ method, path, requestId, outcome, batchRequestId }) => {
    const status = outcome.reply.status;
    const viaBatch = batchRequestId !== undefined;
    if (viaBatch) journal.countItem(method, outcome.family, status);
    else journal.count(method, outcome.family, status);
    if (writeMethods.has(method) && !outcome.envelope) {
      journal.append({
        method,
        path,
        userId: outcome.audit.userId,
        operation: outcome.operation ?? 'unknown',
        status,
        requestId,
        detail: outcome.audit.detail,
        ...(viaBatch ? { viaBatch: true as const, batchRequestId } : {}),
      });
    }
    stats.observe({
      method,
      status,
      userId: outcome.audit.userId,
      envelope: outcome.envelope,
      viaBatch,
      throttleScope: status === 429 ? outcome.reply.headers?.['x-ms-throttle-scope'] : undefined,
    });
  };
}
