import type { Config } from '../config/configSchema.js';
import { releaseParked } from '../core/journey/journeyTransitions.js';
import { isInState } from '../core/rolloutState.js';
import type { Logger } from '../log/logEvent.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { selectRosterUsers } from './selectRosterUsers.js';

/** Which parked users to release: every one, or those named by object id or UPN (case-insensitive). */
export type ParkedSelection = { readonly all: true } | { readonly users: readonly string[] };

export interface ReleasedUser {
  readonly userId: string;
  readonly upn: string;
  /** The error that parked the user, and the attempts it had used. */
  readonly errorCode: string;
  readonly attempts: number;
  readonly waveId: string;
  /** The step that failed (`read`: reading the user's facts failed before any write). */
  readonly step: string;
}

export interface RetryParkedResult {
  readonly users: readonly ReleasedUser[];
  readonly dryRun: boolean;
}

/**
 * `mfa-rollout retry-parked`: after an operator fixed what parked users (their directory data, a permission, a
 * conflicting phone method), gives them `maxAttempts` new attempts: each goes back to `failed` with no attempts
 * counted (`releaseParked`), so the next night retries them first in their ring, without a new notice. Nothing is
 * written to Graph here; the night does that, with every readiness and exclusion check as usual. Rolled-back users
 * are readmitted with `mfa-rollout readmit` instead.
 *
 * Named users must all be in the roster and parked, or nothing is released: the error lists every name at fault.
 * Each row is written with its ETag, so a row that changed since it was read fails with TABLE_CONFLICT, and the
 * users released before it stay released (run the command again for the rest).
 */
export async function retryParkedUsers(
  config: Config,
  ports: RolloutPorts,
  logger: Logger,
  now: Date,
  selection: ParkedSelection,
  dryRun: boolean,
): Promise<RetryParkedResult> {
  const chosen = await selectRosterUsers(ports.roster, selection, {
    command: 'retry-parked', state: 'parked', stateWord: 'parked', errorCode: 'USERS_NOT_PARKED', nothingDone: 'Nothing was released.', rolloutId: config.rolloutId,
  });
  const users: ReleasedUser[] = [];
  for (const row of chosen) {
    const progress = row.user.progress;
    if (!isInState(progress, 'parked')) continue;
    if (!dryRun) await ports.roster.writeProgress(row, releaseParked(progress));
    const { failure } = progress;
    users.push({ userId: row.user.directory.id, upn: row.user.directory.userPrincipalName, errorCode: failure.errorCode, attempts: progress.journey.attempts, waveId: failure.waveId, step: failure.step });
  }
  if (!dryRun) logger.event('users.unparked', { rolloutId: config.rolloutId, released: users.length }, 'warn');
  return { users, dryRun };
}
