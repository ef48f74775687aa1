import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { GraphOutcome } from '../http/createGraphDispatcher.js';
import { graphErrorBody } from '../http/graphErrorBody.js';
import { graphErrors } from '../http/graphErrors.js';
import type { GraphHttpError } from '../http/GraphHttpError.js';
import type { GraphRequest, GraphRoute, GraphVersion, RequestContext } from '../http/graphRoute.js';
import { createRandom } from '../tenant/random.js';
import type { OutcomeRecorder } from '../stats/createOutcomeRecorder.js';
import { parseBatchRequests, type BatchItem } from './parseBatchRequests.js';

export const batchPattern = '$batch';
/** The operation name of the `$batch` envelope (fault rules can aim at it). */
export const batchOperation = 'batch.send';

export interface BatchRouteDependencies {
  /** Runs one item through the same Graph pipeline as a direct request. */
  readonly dispatch: (request: GraphRequest) => Promise<GraphOutcome>;
  /** Books each item (counters, journal with `viaBatch`, statistics). */
  readonly record: OutcomeRecorder;
  /** Seeds the order of the answers. */
  readonly seed: number;
}

/** One item of the answer, as Graph sends it. */
export interface BatchItemResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

interface ItemResult {
  readonly item: BatchItem;
  readonly requestId: string;
  readonly outcome: GraphOutcome;
}

const isBatchPath = (relative: string): boolean => /^\$batch(?:[/?#]|$)/i.test(relative);

/** Whether a route is the `$batch` envelope. */
export function isBatchRoute(route: GraphRoute): boolean {
  return route.pattern === batchPattern;
}

/**
 * `POST /v1.0/$batch` and `POST /beta/$batch` (docs/graph-behaviour.md#json-batching). Items run through the same
 * pipeline as direct requests, with the envelope's token: same permission checks, quotas (each item metered on its
 * own), faults and journal. Items run concurrently (`dependsOn` is not modelled: refused with 400), and the answers
 * come back in a shuffled order with `"Content-Type": "application/json"` on every item that has a body. The envelope
 * needs only a valid token and costs no quota.
 */
export function createBatchRoute(dependencies: BatchRouteDependencies): GraphRoute {
  let batches = 0;

  /** An item refused before it reached the pipeline (its URL is not one Graph would take): no route, no user. */
  const refused = (context: RequestContext, requestId: string, error: GraphHttpError): GraphOutcome => ({
    reply: {
      status: error.status,
      headers: error.headers,
      body: graphErrorBody(error.code, error.message, { date: context.tenant.now(), requestId, clientRequestId: context.request.clientRequestId }),
    },
    family: `/${context.version}/(unmatched)`,
    operation: undefined,
    envelope: false,
    audit: { userId: null, detail: { errorCode: error.code } },
  });

  const itemUrl = (context: RequestContext, item: BatchItem): URL | GraphHttpError => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(item.url) || item.url.startsWith('//')) return graphErrors.batchItemUrl();
    const relative = item.url.startsWith('/') ? item.url.slice(1) : item.url;
    if (isBatchPath(relative)) return graphErrors.batchNested();
    try {
      return new URL(`${context.origin}/${context.version}/${relative}`);
    } catch {
      return graphErrors.batchItemUrl();
    }
  };

  const render = (result: ItemResult): BatchItemResponse => {
    const { reply } = result.outcome;
    const headers: Record<string, string> = { 'request-id': result.requestId, ...reply.headers };
    const body = reply.rawBody ?? reply.body;
    if (body === undefined || reply.status === 204) return { id: result.item.id, status: reply.status, headers };
    headers['Content-Type'] = 'application/json';
    return { id: result.item.id, status: reply.status, headers, body };
  };

  return {
    method: 'POST',
    pattern: batchPattern,
    operation: batchOperation,
    versions: ['v1.0', 'beta'],
    permissions: [],
    handle: async (context) => {
      const items = parseBatchRequests(context.body);
      batches += 1;
      const envelope = context.request;
      const version: GraphVersion = context.version;

      const execute = async (item: BatchItem): Promise<ItemResult> => {
        const requestId = randomUUID();
        const url = itemUrl(context, item);
        let outcome: GraphOutcome;
        if (!(url instanceof URL)) {
          outcome = refused(context, requestId, url);
        } else {
          const headers: Record<string, string | undefined> = { ...item.headers, authorization: envelope.headers.authorization };
          outcome = await dependencies.dispatch({
            method: item.method,
            url,
            headers,
            bodyText: item.bodyText ?? '',
            requestId,
            clientRequestId: item.headers['client-request-id'] ?? envelope.clientRequestId,
            batchRequestId: envelope.requestId,
          });
        }
        dependencies.record({
          method: item.method,
          path: url instanceof URL ? url.pathname : `/${version}/${item.url.replace(/^\//, '').split('?')[0] ?? ''}`,
          requestId,
          outcome,
          batchRequestId: envelope.requestId,
        });
        return { item, requestId, outcome };
      };

      // Graph sends Outlook up to 4 items of an unordered batch at a time (docs/graph-behaviour.md#json-batching)
      const outlook = pLimit(4);
      const results = await Promise.all(items.map((item) => (/\/sendMail(?:[?#]|$)/i.test(item.url) ? outlook(() => execute(item)) : execute(item))));
      if (results.some((result) => result.outcome.reply.hang === true)) return { status: 0, hang: true };
      const responses = createRandom(dependencies.seed + Math.imul(batches, 0x9e3779b1)).shuffle(results.map(render));
      return { status: 200, body: { responses } };
    },
  };
}
