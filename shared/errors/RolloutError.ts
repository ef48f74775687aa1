import { errorCodes, type ErrorCode } from './errorCodes.js';

export interface RolloutErrorDetails {
  /** HTTP status of the Graph or Table answer that caused it, when there was one. */
  httpStatus?: number;
  /** Graph's `request-id` (response header or `innerError`), kept for Microsoft support. */
  requestId?: string;
  /** Graph's own error code (`Request_ResourceNotFound`, `TooManyRequests`, ...). */
  graphCode?: string;
  /** Overrides the code table's retryable flag. */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * The one error type of the rollout: a code an operator can act on, plus the Graph request-id.
 * Messages name the setting, row or call at fault, never a value that could be a secret or a phone number.
 */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
  readonly code: ErrorCode;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly graphCode: string | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, details: RolloutErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.graphCode = details.graphCode;
    this.retryable = details.retryable ?? errorCodes[code].retryable;
    Object.setPrototypeOf(this, RolloutError.prototype);
  }
}

/** Checks by name, so it also works across duplicate copies of this module. */
export function isRolloutError(error: unknown): error is RolloutError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'RolloutError';
}

/** Turns any thrown value into a RolloutError, keeping a RolloutError as it is. */
export function toRolloutError(error: unknown, fallback: ErrorCode = 'INTERNAL'): RolloutError {
  if (isRolloutError(error)) return error;
  const message = error instanceof Error ? error.message : `non-error value of type ${typeof error} was thrown`;
  return new RolloutError(fallback, message, { cause: error });
}
