import type { Config } from '../config/configSchema.js';
import type { ErrorCode } from '../errors/errorCodes.js';

/**
 * Error codes that park a user at the first failure: the fault is this user's data, and the same write
 * tomorrow meets the same answer, so a retry only spends Graph quota and a nightly failure line.
 * - GRAPH_PHONE_INVALID: Graph refused a number our classifier accepted; a person fixes AD or the classifier.
 * - PHONE_CONFLICT: a different mobile method exists; a person decides (or sets MFA_OVERWRITE_CONFLICTING_PHONE).
 * - GRAPH_BAD_REQUEST: a 400 for this user's request.
 * - GRAPH_USER_NOT_FOUND: the user is gone; the roster refresh marks them not present anyway.
 * - ROW_CORRUPT: the user's row cannot be trusted until someone looks at it.
 *
 * Deliberately NOT parked at once, although the code table marks them not retryable: the tenant-wide ones
 * (GRAPH_PERMISSION_MISSING, GRAPH_AUTH_FAILED, GRAPH_NOT_FOUND (a setting names an unknown group or mailbox),
 * PREFLIGHT_FAILED, CONFIG_INVALID, BREAK_GLASS_MISSING, ROLLOUT_HALTED, CSV_INVALID, ROSTER_EMPTY, and the refusals of operator commands:
 * USERS_NOT_PARKED, USERS_NOT_ROLLED_BACK, ROLLOUT_NOT_HALTED, WAVE_NOT_FOUND) say nothing about the user: parking would turn one missing consent into a
 * wave of parked users to release by hand, while the failure-rate breaker already halts the rollout until it is
 * fixed. INTERNAL (our own fault, also an interrupted write) and GRAPH_PHONE_DUPLICATE (the next run re-reads the
 * methods and decides again) are retried too. Everything else, and any code not in the table, is retried until
 * `maxAttempts`.
 */
export const parkAtOnceCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'GRAPH_PHONE_INVALID',
  'PHONE_CONFLICT',
  'GRAPH_BAD_REQUEST',
  'GRAPH_USER_NOT_FOUND',
  'ROW_CORRUPT',
]);

export type RetryDecision = 'retry' | 'park';

/**
 * What happens to a user whose write failed: `park` (a person must look, with the last error code and
 * request-id) when the code parks at once or `attempts` (including this one) reached `maxAttempts`; else
 * `retry` on a later night, first in their ring and without a new notice.
 */
export function retryDecision(
  failure: { readonly attempts: number; readonly errorCode: string },
  config: Pick<Config, 'maxAttempts'>,
): RetryDecision {
  if ((parkAtOnceCodes as ReadonlySet<string>).has(failure.errorCode)) return 'park';
  return failure.attempts >= config.maxAttempts ? 'park' : 'retry';
}
