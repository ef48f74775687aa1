import type { ErrorCode } from '../../errors/errorCodes.js';
import { RolloutError } from '../../errors/RolloutError.js';

export interface GraphFailureInput {
  readonly status: number;
  /** The parsed answer body, if it was JSON. */
  readonly body: unknown;
  readonly requestId: string | null;
  /** What the rollout was doing, e.g. `phoneMethods.create`. */
  readonly operation: string;
  /** The application permission the call needs, named in 403 errors. */
  readonly permission: string;
}

/** Statuses worth another attempt: throttling and the transient server family. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Graph's error envelope `{ error: { code, message, innerError: { "request-id" } } }`, read defensively. */
export function readGraphError(body: unknown): { code: string | null; message: string | null; requestId: string | null } {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return { code: null, message: null, requestId: null };
  const { code, message, innerError } = error as { code?: unknown; message?: unknown; innerError?: unknown };
  const inner = typeof innerError === 'object' && innerError !== null ? (innerError as Record<string, unknown>)['request-id'] : undefined;
  return {
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? message : null,
    requestId: typeof inner === 'string' ? inner : null,
  };
}

/** 403 codes that mean a missing licence (Entra ID P1 for the reports and sign-in logs), not a missing permission (docs/graph-behaviour.md#errors). */
const licenceCodes = new Set(['Authentication_RequestFromNonPremiumTenantOrB2CTenant', 'Authentication_RequestFromUnsupportedUserRole']);

/** Whether a Graph error code on a 403 means the tenant lacks the licence rather than the app the permission. */
export function isLicenceRefusal(graphCode: string | undefined | null): boolean {
  return licenceCodes.has(graphCode ?? '');
}

/** Turns a non-2xx Graph answer into a RolloutError with a code an operator can act on, keeping the request-id. */
export function toGraphFailure(input: GraphFailureInput): RolloutError {
  const graph = readGraphError(input.body);
  const requestId = input.requestId ?? graph.requestId ?? undefined;
  const said = `Graph answered ${input.status}${graph.code === null ? '' : ` ${graph.code}`}`;
  const code = codeFor(input, graph.code);
  const message =
    code !== 'GRAPH_PERMISSION_MISSING'
      ? `${input.operation}: ${said}${graph.message === null ? '' : `: ${graph.message}`}`
      : licenceCodes.has(graph.code ?? '')
        ? `${input.operation} needs a licence the tenant lacks (Entra ID P1), besides the Graph application permission ${input.permission} (${said}: ${graph.message ?? 'access denied'})`
        : `${input.operation} needs the Graph application permission ${input.permission} (${said}: ${graph.message ?? 'access denied'})`;
  return new RolloutError(code, message, {
    httpStatus: input.status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(graph.code === null ? {} : { graphCode: graph.code }),
    retryable: isRetryableStatus(input.status),
  });
}

function codeFor(input: GraphFailureInput, graphCode: string | null): ErrorCode {
  const status = input.status;
  if (status === 429) return 'GRAPH_THROTTLED';
  if (status >= 500) return 'GRAPH_UNAVAILABLE';
  if (status === 401) return 'GRAPH_AUTH_FAILED';
  if (status === 403) return 'GRAPH_PERMISSION_MISSING';
  if (status === 404) return input.operation.startsWith('users.') || input.operation.startsWith('phoneMethods.') || input.operation.startsWith('requirements.') || input.operation.startsWith('methods.') ? 'GRAPH_USER_NOT_FOUND' : 'GRAPH_NOT_FOUND';
  // a refused phone number; whether it was a duplicate is decided by reading the methods, never from the message
  // (the journey reads the create back: runJourney, classifyMobileCreateRefusal; docs/graph-behaviour.md#phone-methods)
  if (status === 400 && (input.operation === 'phoneMethods.create' || input.operation === 'phoneMethods.update')) return 'GRAPH_PHONE_INVALID';
  if (graphCode === 'InvalidAuthenticationToken') return 'GRAPH_AUTH_FAILED';
  return status >= 400 && status < 500 ? 'GRAPH_BAD_REQUEST' : 'GRAPH_UNEXPECTED';
}

/** A call Graph never answered: the timeout fired, the connection failed, or no token could be had. */
export function toTransportFailure(input: { readonly operation: string; readonly timeout: boolean; readonly auth: boolean; readonly detail: string; readonly clientRequestId: string }): RolloutError {
  const code: ErrorCode = input.auth ? 'GRAPH_AUTH_FAILED' : input.timeout ? 'GRAPH_TIMEOUT' : 'GRAPH_UNAVAILABLE';
  // no request-id exists without an answer: the client-request-id we sent is what Microsoft support can search for
  return new RolloutError(code, `${input.operation}: ${input.detail} (client-request-id ${input.clientRequestId})`, { retryable: !input.auth });
}

/** A 2xx answer the rollout could not read (not JSON, or a `$batch` answer without the item). */
export function toMalformedFailure(input: { readonly operation: string; readonly status: number; readonly requestId: string | null; readonly detail: string }): RolloutError {
  return new RolloutError('GRAPH_MALFORMED_RESPONSE', `${input.operation}: Graph answered ${input.status} with ${input.detail}`, {
    httpStatus: input.status,
    ...(input.requestId === null ? {} : { requestId: input.requestId }),
    retryable: true,
  });
}
