import { isRestError } from '@azure/core-rest-pipeline';
import { RolloutError } from '../../errors/RolloutError.js';

/** Turns a Table Storage failure into a RolloutError: 412/409 are conflicts, the rest unavailability. */
export function toTableError(error: unknown, what: string): RolloutError {
  if (isRestError(error)) {
    const status = error.statusCode;
    if (status === 412 || status === 409) {
      return new RolloutError('TABLE_CONFLICT', `${what}: the row changed under this run (HTTP ${status})`, { httpStatus: status, cause: error });
    }
    return new RolloutError('TABLE_UNAVAILABLE', `${what}: Table Storage answered ${status ?? 'no status'} (${error.code ?? 'no code'})`, {
      ...(status === undefined ? {} : { httpStatus: status }),
      cause: error,
    });
  }
  return new RolloutError('TABLE_UNAVAILABLE', `${what}: ${error instanceof Error ? error.message : 'unknown failure'}`, { cause: error });
}

export function isConflict(error: unknown): boolean {
  return isRestError(error) && (error.statusCode === 412 || error.statusCode === 409);
}

export function isNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
}
