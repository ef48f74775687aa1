import { BatchRequestContent, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { Config } from '../../config/configSchema.js';
import { RolloutError, isRolloutError } from '../../errors/RolloutError.js';
import type { Logger } from '../../log/logEvent.js';
import type { GraphConnection } from './graphClient.js';
import { isRetryableStatus, toGraphFailure } from './graphFailure.js';
import { retryDelayMs } from './retryDelay.js';
import { createWritePacer, type WritePacer } from './writePacer.js';

export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One Graph call, described as data so the gateway can batch, pace and retry it. */
export interface GraphCall {
  /** What the rollout is doing, e.g. `phoneMethods.create`; names the call in errors and logs. */
  readonly operation: string;
  readonly method: GraphMethod;
  readonly version: 'v1.0' | 'beta';
  /** Relative path with query, e.g. `/users/{id}/authentication/phoneMethods`. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The application permission the call needs (named when Graph answers 403). */
  readonly permission: string;
  /**
   * Spacing between calls of this operation, for APIs with their own low limits (Conditional Access:
   * about 1 request/s per tenant without Retry-After; the registration report: 5 per 10 s).
   */
  readonly minIntervalMs?: number;
}

export interface GraphAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | null;
}

export interface GatewayStats {
  calls: number;
  batches: number;
  retries: number;
  throttled: number;
  failures: number;
}

export interface GraphGateway {
  /** Sends one call (possibly inside a $batch), retrying what is worth retrying. Non-2xx ends as a RolloutError. */
  send(call: GraphCall): Promise<GraphAnswer>;
  /** Walks `@odata.nextLink` pages of a collection, one page at a time (nothing is collected). */
  pages(call: GraphCall): AsyncGenerator<unknown[]>;
  readonly stats: Readonly<GatewayStats>;
  readonly writeRate: number;
}

export type GatewayConfig = Pick<
  Config,
  'graphConcurrency' | 'graphMaxAttempts' | 'graphRetryBudget' | 'graphTimeoutSeconds' | 'graphMaxRetryAfterSeconds' | 'graphUseBatch' | 'graphWritesPerSecond'
>;

export interface GatewayOptions {
  readonly logger?: Logger;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one HTTP exchange (or one batch item) produced, before any retry decision. */
type Outcome =
  | { kind: 'answer'; status: number; body: unknown; requestId: string | null; retryAfter: string | null; limitPercentage: number | null }
  | { kind: 'malformed'; status: number; requestId: string | null; detail: string }
  | { kind: 'transport'; timeout: boolean; detail: string };

const batchLimit = 20;

const batchEnvelope = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/**
 * The one way the rollout talks to Microsoft Graph. It limits concurrency (p-limit), packs calls into
 * JSON $batch requests of up to 20, paces writes just under the write quota, and is the single layer that
 * retries: the SDK's RetryHandler is not in the middleware chain (see graphClient.ts), so no call is ever
 * retried twice over. Retry-After is honoured for whole answers and for each item inside a batch, and a
 * 429 pauses every write, not only the call that got it.
 */
export function createGraphGateway(connection: GraphConnection, config: GatewayConfig, options: GatewayOptions = {}): GraphGateway {
  const { client } = connection;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = pLimit(config.graphConcurrency);
  const pacer: WritePacer = createWritePacer({ initialRate: config.graphWritesPerSecond, sleep });
  const stats: GatewayStats = { calls: 0, batches: 0, retries: 0, throttled: 0, failures: 0 };
  let retryBudget = config.graphRetryBudget;
  let readsPausedUntil = 0;
  const queues = new Map<string, { call: GraphCall; resolve: (outcome: Outcome) => void }[]>();
  const nextSlot = new Map<string, number>();

  /** Waits for this operation's turn when it has a minimum interval between calls. */
  async function spaced(call: GraphCall): Promise<void> {
    if (call.minIntervalMs === undefined) return;
    const at = performance.now();
    const slot = Math.max(at, nextSlot.get(call.operation) ?? 0);
    nextSlot.set(call.operation, slot + call.minIntervalMs);
    if (slot > at) await sleep(slot - at);
  }

  const timeoutMs = config.graphTimeoutSeconds * 1000;

  async function exchange(call: GraphCall): Promise<Outcome> {
    const request = client
      .api(call.path)
      .version(call.version)
      .responseType(ResponseType.RAW)
      .option('signal', AbortSignal.timeout(timeoutMs));
    if (call.headers !== undefined) request.headers(call.headers);
    try {
      const response = (await dispatch(request, call)) as Response;
      return await readResponse(response);
    } catch (error) {
      return transportOutcome(error);
    }
  }

  function dispatch(request: ReturnType<Client['api']>, call: GraphCall): Promise<unknown> {
    switch (call.method) {
      case 'GET':
        return request.get();
      case 'POST':
        return request.post(call.body ?? {});
      case 'PATCH':
        return request.patch(call.body ?? {});
      case 'DELETE':
        return request.delete();
    }
  }

  async function exchangeBatch(version: string, entries: { call: GraphCall; resolve: (outcome: Outcome) => void }[]): Promise<void> {
    stats.batches += 1;
    const content = new BatchRequestContent();
    entries.forEach((entry, index) => {
      const headers: Record<string, string> = { ...(entry.call.headers ?? {}) };
      const init: RequestInit = { method: entry.call.method, headers };
      if (entry.call.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(entry.call.body);
      }
      // No version segment: BatchRequestContent 3.0.7 strips scheme and host but not the version, and Graph answers
      // 400 "Resource not found for the segment 'v1.0'" (msgraph-sdk-javascript#1178, #1451). The batch endpoint
      // itself (/v1.0/$batch or /beta/$batch) carries the version.
      content.addRequest({ id: String(index + 1), request: new Request(`${connection.origin}${entry.call.path}`, init) });
    });
    const body = await content.getContent();
    let envelope: Outcome;
    try {
      const response = (await client.api('/$batch').version(version).responseType(ResponseType.RAW).option('signal', AbortSignal.timeout(timeoutMs)).post(body)) as Response;
      envelope = await readResponse(response);
    } catch (error) {
      envelope = transportOutcome(error);
    }
    if (envelope.kind !== 'answer' || envelope.status !== 200) {
      for (const entry of entries) entry.resolve(envelope); // the whole batch failed: every item retries on its own terms
      return;
    }
    const parsed = batchEnvelope.safeParse(envelope.body);
    if (!parsed.success) {
      for (const entry of entries) entry.resolve({ kind: 'malformed', status: 200, requestId: envelope.requestId, detail: 'the $batch answer has no valid responses array' });
      return;
    }
    const byId = new Map(parsed.data.responses.map((item) => [item.id, item]));
    entries.forEach((entry, index) => {
      const item = byId.get(String(index + 1));
      if (item === undefined) {
        entry.resolve({ kind: 'malformed', status: 200, requestId: envelope.requestId, detail: `the $batch answer lacks item ${index + 1}` });
        return;
      }
      const headers = lowerCaseKeys(item.headers ?? {});
      entry.resolve({
        kind: 'answer',
        status: item.status,
        body: item.body ?? null,
        requestId: headers['request-id'] ?? envelope.requestId,
        retryAfter: headers['retry-after'] ?? null,
        limitPercentage: parsePercentage(headers['x-ms-throttle-limit-percentage'] ?? null),
      });
    });
  }

  function enqueue(call: GraphCall): Promise<Outcome> {
    return new Promise((resolve) => {
      const queue = queues.get(call.version) ?? [];
      queue.push({ call, resolve });
      queues.set(call.version, queue);
      if (queue.length >= batchLimit) flush(call.version);
      else if (queue.length === 1) setImmediate(() => flush(call.version));
    });
  }

  function flush(version: string): void {
    const queue = queues.get(version);
    if (queue === undefined || queue.length === 0) return;
    queues.set(version, []);
    for (let start = 0; start < queue.length; start += batchLimit) {
      const entries = queue.slice(start, start + batchLimit);
      if (entries.length === 1 && entries[0] !== undefined) {
        const only = entries[0];
        void limit(() => exchange(only.call)).then(only.resolve);
      } else {
        void limit(() => exchangeBatch(version, entries));
      }
    }
  }

  async function send(call: GraphCall): Promise<GraphAnswer> {
    const isWrite = call.method !== 'GET';
    for (let attempt = 1; ; attempt += 1) {
      stats.calls += 1;
      if (isWrite) await pacer.acquire(1);
      else if (readsPausedUntil > performance.now()) await sleep(readsPausedUntil - performance.now());
      await spaced(call);
      const direct = call.path.startsWith('https://') || call.minIntervalMs !== undefined;
      const outcome = config.graphUseBatch && !direct ? await enqueue(call) : await limit(() => exchange(call));

      if (outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300) {
        if (isWrite) pacer.observe({ throttled: false, limitPercentage: outcome.limitPercentage });
        return { status: outcome.status, body: outcome.body, requestId: outcome.requestId };
      }
      const failure = failureOf(call, outcome);
      const retryAfter = outcome.kind === 'answer' ? outcome.retryAfter : null;
      if (outcome.kind === 'answer' && outcome.status === 429) {
        stats.throttled += 1;
        if (isWrite) pacer.observe({ throttled: true, limitPercentage: outcome.limitPercentage });
      }
      const delay = retryDelayMs({ retry: attempt, retryAfter, now: Date.now(), random: random() });
      const worthRetrying = failure.retryable && attempt < config.graphMaxAttempts;
      if (!worthRetrying) {
        stats.failures += 1;
        throw failure;
      }
      if (delay > config.graphMaxRetryAfterSeconds * 1000) {
        stats.failures += 1;
        throw new RolloutError(failure.code, `${failure.message} (Graph asked to wait ${Math.round(delay / 1000)} s, more than MFA_GRAPH_MAX_RETRY_AFTER_SECONDS)`, {
          ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
          ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
          retryable: true,
        });
      }
      if (retryBudget <= 0) {
        stats.failures += 1;
        throw new RolloutError('GRAPH_RETRY_BUDGET_EXHAUSTED', `${call.operation}: no retries left in this run's budget (MFA_GRAPH_RETRY_BUDGET); last answer: ${failure.message}`, {
          ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
          ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
        });
      }
      retryBudget -= 1;
      stats.retries += 1;
      if (outcome.kind === 'answer' && outcome.status === 429) {
        // Graph throttles per app and tenant: every call of this kind would get the same answer now.
        if (isWrite) pacer.pauseUntil(performance.now() + delay);
        else readsPausedUntil = Math.max(readsPausedUntil, performance.now() + delay);
      }
      options.logger?.event('graph.retry', {
        operation: call.operation,
        httpStatus: outcome.kind === 'transport' ? null : outcome.status,
        errorCode: failure.code,
        requestId: failure.requestId ?? null,
        attempt,
        waitSeconds: Math.round(delay / 100) / 10,
      }, 'debug');
      await sleep(delay);
    }
  }

  async function* pages(call: GraphCall): AsyncGenerator<unknown[]> {
    let next: GraphCall | null = call;
    let emptyInARow = 0;
    while (next !== null) {
      const answer = await send(next);
      const page = pageSchema.safeParse(answer.body);
      if (!page.success) {
        throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `${call.operation}: a page of the answer is not a collection (${page.error.issues[0]?.path.join('.') || 'value'} ${page.error.issues[0]?.message ?? ''})`, {
          ...(answer.requestId === null ? {} : { requestId: answer.requestId }),
        });
      }
      const link = page.data['@odata.nextLink'];
      emptyInARow = page.data.value.length === 0 ? emptyInARow + 1 : 0;
      if (emptyInARow > 20) {
        throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `${call.operation}: more than 20 empty pages in a row, each with a next link`, {
          ...(answer.requestId === null ? {} : { requestId: answer.requestId }),
        });
      }
      yield page.data.value;
      if (link === undefined) {
        next = null;
      } else {
        if (!link.startsWith(`${connection.origin}/`)) {
          throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `${call.operation}: the next link points outside ${connection.origin}`);
        }
        next = { ...call, path: link, version: link.slice(connection.origin.length + 1).startsWith('beta/') ? 'beta' : 'v1.0' };
      }
    }
  }

  function failureOf(call: GraphCall, outcome: Outcome): RolloutError {
    if (outcome.kind === 'transport') {
      return new RolloutError(outcome.timeout ? 'GRAPH_TIMEOUT' : 'GRAPH_UNAVAILABLE', `${call.operation}: ${outcome.detail}`, { retryable: true });
    }
    if (outcome.kind === 'malformed') {
      return new RolloutError('GRAPH_MALFORMED_RESPONSE', `${call.operation}: Graph answered ${outcome.status} with ${outcome.detail}`, {
        httpStatus: outcome.status,
        ...(outcome.requestId === null ? {} : { requestId: outcome.requestId }),
        retryable: true,
      });
    }
    return toGraphFailure({ status: outcome.status, body: outcome.body, requestId: outcome.requestId, operation: call.operation, permission: call.permission });
  }

  return {
    send,
    pages,
    stats,
    get writeRate() {
      return pacer.rate;
    },
  };
}

async function readResponse(response: Response): Promise<Outcome> {
  const requestId = response.headers.get('request-id');
  const retryAfter = response.headers.get('retry-after');
  const limitPercentage = parsePercentage(response.headers.get('x-ms-throttle-limit-percentage'));
  const text = await response.text();
  if (text.length === 0) return { kind: 'answer', status: response.status, body: null, requestId, retryAfter, limitPercentage };
  try {
    return { kind: 'answer', status: response.status, body: JSON.parse(text) as unknown, requestId, retryAfter, limitPercentage };
  } catch {
    if (!response.ok && !isRetryableStatus(response.status)) {
      return { kind: 'answer', status: response.status, body: null, requestId, retryAfter, limitPercentage };
    }
    return { kind: 'malformed', status: response.status, requestId, detail: 'a body that is not JSON' };
  }
}

function transportOutcome(error: unknown): Outcome {
  if (isRolloutError(error)) throw error;
  const name = (error as { name?: string }).name ?? '';
  const timeout = name === 'TimeoutError' || name === 'AbortError' || /aborted|timeout/i.test(String((error as Error).message));
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return { kind: 'transport', timeout, detail: timeout ? 'no answer within MFA_GRAPH_TIMEOUT_SECONDS' : `the connection failed (${cause ?? name ?? 'network error'})` };
}

function parsePercentage(value: string | null): number | null {
  if (value === null) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}
