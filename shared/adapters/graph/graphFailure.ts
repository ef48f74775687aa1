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

/** Turns a non-2xx Graph answer into a RolloutError with a code an operator can act on, keeping the request-id. */
export function toGraphFailure(input: GraphFailureInput): RolloutError {
  const graph = readGraphError(input.body);
  const requestId = input.requestId ?? graph.requestId ?? undefined;
  const said = `Graph answered ${input.status}${graph.code === null ? '' : ` ${graph.code}`}`;
  const code = codeFor(input, graph.code, graph.message);
  const message =
    code === 'GRAPH_PERMISSION_MISSING'
      ? `${input.operation} needs the Graph application permission ${input.permission} (${said}: ${graph.message ?? 'access denied'})`
      : `${input.operation}: ${said}${graph.message === null ? '' : `: ${graph.message}`}`;
  return new RolloutError(code, message, {
    httpStatus: input.status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(graph.code === null ? {} : { graphCode: graph.code }),
    retryable: isRetryableStatus(input.status),
  });
}

function codeFor(input: GraphFailureInput, graphCode: string | null, message: string | null): ErrorCode {
  const status = input.status;
  if (status === 429) return 'GRAPH_THROTTLED';
  if (status >= 500) return 'GRAPH_UNAVAILABLE';
  if (status === 401) return 'GRAPH_AUTH_FAILED';
  if (status === 403) return 'GRAPH_PERMISSION_MISSING';
  if (status === 404) return input.operation.startsWith('users.') || input.operation.startsWith('phoneMethods.') || input.operation.startsWith('requirements.') || input.operation.startsWith('methods.') ? 'GRAPH_USER_NOT_FOUND' : 'GRAPH_NOT_FOUND';
  if (status === 400 && input.operation.startsWith('phoneMethods.')) {
    return /already exists/i.test(message ?? '') ? 'GRAPH_PHONE_DUPLICATE' : 'GRAPH_PHONE_INVALID';
  }
  if (graphCode === 'InvalidAuthenticationToken') return 'GRAPH_AUTH_FAILED';
  return status >= 400 && status < 500 ? 'GRAPH_BAD_REQUEST' : 'GRAPH_UNEXPECTED';
}
