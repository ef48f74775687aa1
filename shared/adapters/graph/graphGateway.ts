import pLimit from 'p-limit';
import { z } from 'zod';
import type { Config } from '../../config/configSchema.js';
import { RolloutError } from '../../errors/RolloutError.js';
import type { Logger } from '../../log/logEvent.js';
import { createBatchQueue } from './batchQueue.js';
import { isWrite, type GraphAnswer, type GraphCall } from './graphCall.js';
import type { GraphConnection } from './graphClient.js';
import { createGraphExchange, type ExchangeOutcome } from './graphExchange.js';
import { toGraphFailure, toMalformedFailure, toTransportFailure } from './graphFailure.js';
import { parseRetryAfter, retryDelayMs, retryVerdict, type RetryVerdict } from './retryDelay.js';
import { createWritePacer, type WriteShareSource } from './writePacer.js';

export type { GraphAnswer, GraphCall, GraphMethod } from './graphCall.js';

export interface GatewayStats {
  /** `send` calls (each page of `pages` is one). */
  calls: number;
  /** Exchanges made for them: plain requests plus `$batch` items, i.e. what Graph meters (envelopes not counted). */
  attempts: number;
  /** `$batch` envelopes sent. */
  batches: number;
  /** Of the attempts, those sent as items of a `$batch`. */
  batchedAttempts: number;
  retries: number;
  /** Answers 429, whole or per batch item. */
  throttled: number;
  /** Calls that ended in an error. */
  failures: number;
  /** Retries left in this run's budget (MFA_GRAPH_RETRY_BUDGET). */
  retryBudgetLeft: number;
}

export interface GraphGateway {
  /** Sends one call (possibly inside a $batch), retrying what is worth retrying. Non-2xx ends as a RolloutError. */
  send(call: GraphCall): Promise<GraphAnswer>;
  /** Walks `@odata.nextLink` pages of a collection, one page at a time (nothing is collected). */
  pages(call: GraphCall): AsyncGenerator<unknown[]>;
  readonly stats: Readonly<GatewayStats>;
  /** The write pacer's current sustained rate, writes per second. */
  readonly writeRate: number;
}

export type GatewayConfig = Pick<
  Config,
  'graphConcurrency' | 'graphMaxAttempts' | 'graphRetryBudget' | 'graphTimeoutSeconds' | 'graphMaxRetryAfterSeconds' | 'graphUseBatch' | 'graphWritesPerSecond' | 'graphWriteQuota'
>;

export interface GatewayOptions {
  readonly logger?: Logger;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Many tenants: this night's part of the app's write limit across tenants (`appWriteShareKeeper.ts`). */
  readonly writeShare?: WriteShareSource;
}

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });

/**
 * The one way the rollout talks to Microsoft Graph, and the one layer that retries: the SDK's RetryHandler is
 * not in the middleware chain (graphClient.ts), so a call is never retried twice over.
 *
 * - Concurrency: at most MFA_GRAPH_CONCURRENCY requests in flight (p-limit).
 * - Batching: calls are grouped into `$batch` requests of up to 20 (`batchQueue.ts`); under load the batches fill
 *   up while they wait for a request slot, and a call that would travel alone goes as a plain request.
 * - Retries: 429, 5xx, timeouts and unreadable answers, for whole answers and for each batch item on its own,
 *   except a write answered 2xx with an unreadable body, which has landed and counts as done, and a write whose
 *   answer was lost (a timeout or a dropped connection after it was sent, a `$batch` answer without it), which is
 *   never sent again blind: it fails at once (GRAPH_TIMEOUT, GRAPH_UNAVAILABLE or GRAPH_MALFORMED_RESPONSE) for the
 *   caller to read Graph back (`runJourney`);
 *   after Retry-After (or jittered backoff), up to MFA_GRAPH_MAX_ATTEMPTS per call and MFA_GRAPH_RETRY_BUDGET per run.
 * - Throttling: writes are paced (`writePacer.ts`) a margin under the documented write quota, slowing down on 429s
 *   and refined by `x-ms-throttle-limit-percentage` where Graph sends it (directory writes only); a 429 holds every
 *   call it concerns (writes for the write quota, everything for the resource-unit quota, one operation or limit
 *   group for APIs with their own limit) for the Retry-After.
 * - Failures: every error is a RolloutError with an operator code, the HTTP status and the request-id
 *   (`graphFailure.ts`).
 */
export function createGraphGateway(connection: GraphConnection, config: GatewayConfig, options: GatewayOptions = {}): GraphGateway {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = pLimit(config.graphConcurrency);
  const exchange = createGraphExchange(connection, config.graphTimeoutSeconds * 1000);
  const stats: GatewayStats = { calls: 0, attempts: 0, batches: 0, batchedAttempts: 0, retries: 0, throttled: 0, failures: 0, retryBudgetLeft: config.graphRetryBudget };
  const batchQueue = createBatchQueue(exchange, limit, (items) => {
    stats.batches += 1;
    stats.batchedAttempts += items;
  });
  const pacer = createWritePacer({ ratePerSecond: config.graphWritesPerSecond, quota: config.graphWriteQuota, sleep, ...(options.writeShare === undefined ? {} : { share: options.writeShare }) });
  let readsPausedUntil = 0;
  /** Per operation (or limit group) with its own limit (`minIntervalMs`): the earliest time its next call may go. */
  const nextSlot = new Map<string, number>();
  let budgetExhaustedLogged = false;

  /** Waits for this operation's turn when it has a minimum interval between calls. */
  async function spaced(call: GraphCall): Promise<void> {
    if (call.minIntervalMs === undefined) return;
    const group = call.limitGroup ?? call.operation;
    const at = performance.now();
    const slot = Math.max(at, nextSlot.get(group) ?? 0);
    nextSlot.set(group, slot + call.minIntervalMs);
    if (slot > at) await sleep(slot - at);
  }

  async function readGate(): Promise<void> {
    for (let wait = readsPausedUntil - performance.now(); wait > 0; wait = readsPausedUntil - performance.now()) await sleep(wait);
  }

  /** Graph throttles per app and tenant: every call drawing on the same quota would get the same answer now. */
  function holdAfterThrottle(call: GraphCall, outcome: Extract<ExchangeOutcome, { kind: 'answer' }>, delayMs: number): void {
    const asked = parseRetryAfter(outcome.retryAfter, Date.now());
    const until = performance.now() + (asked ?? delayMs);
    if (call.minIntervalMs !== undefined) {
      // an API with its own limit (Conditional Access, the registration report): only its calls wait
      const group = call.limitGroup ?? call.operation;
      nextSlot.set(group, Math.max(nextSlot.get(group) ?? 0, until));
      return;
    }
    const quota = outcome.throttleInformation === 'WriteLimitExceeded' ? 'writes' : outcome.throttleInformation === 'ResourceUnitLimitExceeded' ? 'all' : isWrite(call) ? 'writes' : 'reads';
    if (quota !== 'reads') pacer.pauseUntil(until);
    if (quota !== 'writes') readsPausedUntil = Math.max(readsPausedUntil, until);
  }

  async function send(call: GraphCall): Promise<GraphAnswer> {
    stats.calls += 1;
    const write = isWrite(call);
    const batchable = config.graphUseBatch && !call.path.startsWith('https://') && call.minIntervalMs === undefined;
    for (let attempt = 1; ; attempt += 1) {
      const ticket = write ? await pacer.acquire(attempt > 1) : undefined;
      if (!write) await readGate();
      await spaced(call);
      stats.attempts += 1;
      const sentAt = performance.now();
      const outcome = batchable ? await batchQueue.enqueue(call) : await limit(() => exchange.single(call));
      if (write && outcome.kind === 'answer') {
        pacer.observe({ ...(ticket === undefined ? {} : { ticket }), throttled: outcome.status === 429, limitPercentage: outcome.limitPercentage, latencyMs: performance.now() - sentAt });
      }
      if (outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300) {
        return { status: outcome.status, body: outcome.body, requestId: outcome.requestId };
      }
      // a write Graph answered 2xx has landed, even when the body cannot be read: sending it again would write twice
      // (the rollout never reads the body of a write's answer)
      if (write && outcome.kind === 'malformed' && outcome.ofCall && outcome.status >= 200 && outcome.status < 300) {
        return { status: outcome.status, body: null, requestId: outcome.requestId };
      }

      const failure = failureOf(call, outcome);
      if (write && call.changesNothing !== true && answerLost(outcome)) {
        // sent and never answered (or a $batch whose answer does not say what became of it): the write may have
        // landed, and sending it again blind could write twice; the caller reads Graph back and decides
        stats.failures += 1;
        throw new RolloutError(failure.code, `${failure.message}; the write may have landed, so it is not sent again before Graph is read back`, {
          ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
          ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
          retryable: true,
        });
      }
      const delayMs = retryDelayMs({ retry: attempt, retryAfter: outcome.kind === 'answer' ? outcome.retryAfter : null, now: Date.now(), random: random() });
      if (outcome.kind === 'answer' && outcome.status === 429) {
        stats.throttled += 1;
        holdAfterThrottle(call, outcome, delayMs);
      }
      const verdict = retryVerdict({
        retryable: failure.retryable,
        attempt,
        maxAttempts: config.graphMaxAttempts,
        budgetLeft: stats.retryBudgetLeft,
        delayMs,
        maxDelayMs: config.graphMaxRetryAfterSeconds * 1000,
      });
      if (!verdict.retry) {
        stats.failures += 1;
        throw finalFailure(call, failure, verdict, attempt, delayMs);
      }
      stats.retryBudgetLeft -= 1;
      stats.retries += 1;
      options.logger?.event(
        'graph.retry',
        {
          operation: call.operation,
          httpStatus: outcome.kind === 'transport' ? null : outcome.status,
          errorCode: failure.code,
          requestId: failure.requestId ?? null,
          attempt,
          waitSeconds: Math.round(verdict.delayMs / 100) / 10,
        },
        'debug',
      );
      await sleep(verdict.delayMs);
    }
  }

  function finalFailure(call: GraphCall, failure: RolloutError, verdict: Extract<RetryVerdict, { retry: false }>, attempt: number, delayMs: number): RolloutError {
    const details = {
      ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
      ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      ...(failure.graphCode === undefined ? {} : { graphCode: failure.graphCode }),
    };
    switch (verdict.reason) {
      case 'notRetryable':
        return failure;
      case 'attempts':
        return new RolloutError(failure.code, `${failure.message} (after ${attempt} attempts, MFA_GRAPH_MAX_ATTEMPTS)`, { ...details, retryable: failure.retryable });
      case 'retryAfterTooLong':
        return new RolloutError(failure.code, `${failure.message} (Graph asked to wait ${Math.round(delayMs / 1000)} s, more than MFA_GRAPH_MAX_RETRY_AFTER_SECONDS)`, { ...details, retryable: true });
      case 'budget':
        if (!budgetExhaustedLogged) {
          budgetExhaustedLogged = true;
          options.logger?.event('graph.retryBudgetExhausted', { operation: call.operation, retries: stats.retries, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
        }
        return new RolloutError('GRAPH_RETRY_BUDGET_EXHAUSTED', `${call.operation}: no retries left in this run's budget (MFA_GRAPH_RETRY_BUDGET); last answer: ${failure.message}`, details);
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
          throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `${call.operation}: the next link points outside ${connection.origin}`, {
            ...(answer.requestId === null ? {} : { requestId: answer.requestId }),
          });
        }
        next = { ...call, path: link, version: link.slice(connection.origin.length + 1).startsWith('beta/') ? 'beta' : 'v1.0' };
      }
    }
  }

  /** No answer says whether the call was applied: a transport failure after it left, or a `$batch` answer without it. */
  function answerLost(outcome: ExchangeOutcome): boolean {
    return (outcome.kind === 'transport' && !outcome.unsent) || (outcome.kind === 'malformed' && !outcome.ofCall);
  }

  function failureOf(call: GraphCall, outcome: ExchangeOutcome): RolloutError {
    switch (outcome.kind) {
      case 'transport':
        return toTransportFailure({ operation: call.operation, ...outcome });
      case 'malformed':
        return toMalformedFailure({ operation: call.operation, ...outcome });
      case 'answer':
        return toGraphFailure({ status: outcome.status, body: outcome.body, requestId: outcome.requestId, operation: call.operation, permission: call.permission });
    }
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
