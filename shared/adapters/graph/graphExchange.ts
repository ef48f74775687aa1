import { randomUUID } from 'node:crypto';
import { BatchRequestContent, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { isRolloutError } from '../../errors/RolloutError.js';
import type { GraphCall } from './graphCall.js';
import type { GraphConnection } from './graphClient.js';

/** What one HTTP exchange (or one item of a `$batch`) produced, before any retry decision. */
export type ExchangeOutcome =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly body: unknown;
      readonly requestId: string | null;
      readonly retryAfter: string | null;
      /** `x-ms-throttle-limit-percentage` (Graph sends it once 80 % of a quota is used). */
      readonly limitPercentage: number | null;
      /** `x-ms-throttle-information` of a 429: `WriteLimitExceeded`, `ResourceUnitLimitExceeded`, ... */
      readonly throttleInformation: string | null;
    }
  /**
   * An answer that cannot be read. `ofCall`: `status` is the call's own answer (a 2xx with a body that is not JSON);
   * false: it is the `$batch` envelope's, and what happened to the call itself is unknown.
   */
  | { readonly kind: 'malformed'; readonly status: number; readonly ofCall: boolean; readonly requestId: string | null; readonly clientRequestId: string; readonly detail: string }
  /**
   * No answer: the timeout fired, the connection failed, or no token could be had (`auth`). `unsent`: the request
   * surely never reached Graph (no token, the connection refused or the host not found); otherwise it may have been
   * applied.
   */
  | { readonly kind: 'transport'; readonly timeout: boolean; readonly auth: boolean; readonly unsent: boolean; readonly detail: string; readonly clientRequestId: string };

export interface GraphExchange {
  /** One call as its own HTTP request. */
  single(call: GraphCall): Promise<ExchangeOutcome>;
  /** Up to 20 calls of one version as one `POST /{version}/$batch`; one outcome per call, in order. */
  batch(version: GraphCall['version'], calls: readonly GraphCall[]): Promise<ExchangeOutcome[]>;
}

export const batchLimit = 20;

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

/** Connection failures that happen before a request leaves: Graph cannot have applied it. */
const unsentCauses = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Credential failures the Graph client passes through (as `GraphError.code`): retrying them only repeats them. */
const authErrorNames = new Set(['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError', 'Access token is undefined']);

/**
 * The HTTP side of the gateway: sends calls through the Graph client (whose middleware chain has no
 * RetryHandler), each exchange under its own timeout, and reads every answer defensively into an
 * `ExchangeOutcome`. It never retries and never throws for anything Graph or the network did.
 */
export function createGraphExchange(connection: GraphConnection, timeoutMs: number): GraphExchange {
  const { client } = connection;

  async function single(call: GraphCall): Promise<ExchangeOutcome> {
    const clientRequestId = randomUUID();
    const signal = AbortSignal.timeout(timeoutMs);
    const request = client
      .api(call.path)
      .version(call.version)
      .responseType(ResponseType.RAW)
      .headers({ ...call.headers, 'client-request-id': clientRequestId })
      .option('signal', signal);
    try {
      const response = (await dispatch(request, call)) as Response;
      return await readResponse(response, clientRequestId);
    } catch (error) {
      return transportOutcome(error, clientRequestId, signal);
    }
  }

  async function batch(version: GraphCall['version'], calls: readonly GraphCall[]): Promise<ExchangeOutcome[]> {
    const clientRequestId = randomUUID();
    const content = new BatchRequestContent();
    calls.forEach((call, index) => {
      const headers: Record<string, string> = { ...call.headers, 'client-request-id': clientRequestId };
      const init: RequestInit = { method: call.method, headers };
      if (call.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(call.body);
      }
      // No version segment: BatchRequestContent 3.0.7 strips scheme and host but not the version, and Graph answers
      // 400 "Resource not found for the segment 'v1.0'" (msgraph-sdk-javascript#1178, #1451). The batch endpoint
      // itself (/v1.0/$batch or /beta/$batch) carries the version.
      content.addRequest({ id: String(index + 1), request: new Request(`${connection.origin}${call.path}`, init) });
    });
    const body = await content.getContent();
    let envelope: ExchangeOutcome;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = (await client.api('/$batch').version(version).responseType(ResponseType.RAW).header('client-request-id', clientRequestId).option('signal', signal).post(body)) as Response;
      envelope = await readResponse(response, clientRequestId);
    } catch (error) {
      envelope = transportOutcome(error, clientRequestId, signal);
    }
    // the whole batch failed (throttled, unavailable, timed out): every item retries on its own terms
    if (envelope.kind !== 'answer' || envelope.status !== 200) return calls.map(() => envelope);
    const parsed = batchEnvelope.safeParse(envelope.body);
    if (!parsed.success) {
      return calls.map(() => ({ kind: 'malformed', status: 200, ofCall: false, requestId: envelope.requestId, clientRequestId, detail: 'a $batch answer without a valid responses array' }));
    }
    const byId = new Map(parsed.data.responses.map((item) => [item.id, item]));
    return calls.map((_call, index): ExchangeOutcome => {
      const item = byId.get(String(index + 1));
      if (item === undefined) return { kind: 'malformed', status: 200, ofCall: false, requestId: envelope.requestId, clientRequestId, detail: `a $batch answer without item ${index + 1}` };
      const headers = lowerCaseKeys(item.headers ?? {});
      const requestId = headers['request-id'] ?? envelope.requestId;
      let itemBody: unknown = item.body ?? null;
      if (typeof itemBody === 'string' && (headers['content-type'] ?? '').startsWith('application/json')) {
        // a JSON item body is embedded as JSON; a string claiming to be JSON must parse
        try {
          itemBody = JSON.parse(itemBody) as unknown;
        } catch {
          if (item.status >= 200 && item.status < 300) return { kind: 'malformed', status: item.status, ofCall: true, requestId, clientRequestId, detail: 'a body that is not JSON' };
          itemBody = null;
        }
      }
      return {
        kind: 'answer',
        status: item.status,
        body: itemBody,
        requestId,
        retryAfter: headers['retry-after'] ?? null,
        limitPercentage: parsePercentage(headers['x-ms-throttle-limit-percentage'] ?? null),
        throttleInformation: headers['x-ms-throttle-information'] ?? null,
      };
    });
  }

  return { single, batch };
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

async function readResponse(response: Response, clientRequestId: string): Promise<ExchangeOutcome> {
  const headers = response.headers;
  const requestId = headers.get('request-id');
  const answer = (body: unknown): ExchangeOutcome => ({
    kind: 'answer',
    status: response.status,
    body,
    requestId,
    retryAfter: headers.get('retry-after'),
    limitPercentage: parsePercentage(headers.get('x-ms-throttle-limit-percentage')),
    throttleInformation: headers.get('x-ms-throttle-information'),
  });
  const text = await response.text();
  if (text.length === 0) return answer(null);
  try {
    return answer(JSON.parse(text) as unknown);
  } catch {
    // an error answer without a JSON body is still that error (its status decides); a 2xx must be readable
    if (!response.ok) return answer(null);
    return { kind: 'malformed', status: response.status, ofCall: true, requestId, clientRequestId, detail: 'a body that is not JSON' };
  }
}

/**
 * What a rejected exchange means. The Graph client wraps what fetch or the credential threw into a GraphError
 * (`code` = the original error's name, or the original error as `body` when it is not an Error of this realm), so
 * the timeout is read from our own signal rather than guessed from the error.
 */
function transportOutcome(error: unknown, clientRequestId: string, signal: AbortSignal): ExchangeOutcome {
  if (isRolloutError(error)) throw error;
  const { name, code, body } = error as { name?: unknown; code?: unknown; body?: unknown };
  const inner = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
  const names = [code, inner, name].filter((value): value is string => typeof value === 'string' && value !== '');
  const authName = names.find((value) => authErrorNames.has(value));
  if (authName !== undefined) return { kind: 'transport', timeout: false, auth: true, unsent: true, detail: `no Graph token could be obtained (${authName})`, clientRequestId };
  const timeout = signal.aborted;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  const said = typeof cause === 'string' ? cause : typeof body === 'string' && body !== '' ? body.slice(0, 120) : (names[0] ?? 'network error');
  return {
    kind: 'transport',
    timeout,
    auth: false,
    unsent: !timeout && typeof cause === 'string' && unsentCauses.has(cause),
    detail: timeout ? 'no answer within MFA_GRAPH_TIMEOUT_SECONDS' : `the connection failed (${said})`,
    clientRequestId,
  };
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
