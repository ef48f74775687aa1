import type { Config } from '../config/configSchema.js';
import { exclusionReason, type ExclusionReason } from './exclusions.js';
import { readiness, type NotReadyReason } from './readiness.js';
import type { RosterUser } from './rosterUser.js';

export type UserStanding =
  | 'notPresent'
  /** In the journey, MFA required of them. */
  | 'enforced'
  /** In the journey on the passkey or Authenticator track with no method yet: waiting for a helpdesk Temporary Access Pass. */
  | 'awaitingTap'
  | 'parked'
  | 'rolledBack'
  | 'inFlight'
  | ExclusionReason
  | NotReadyReason
  /** Ready and not yet enforced (new, announced, or failed and awaiting a retry). */
  | 'pending';

/**
 * Where one user stands, in the same precedence as the planner counts them: gone from the directory, the
 * progress states that are never planned again, then exclusions, then readiness. For reports and the
 * rehearsal's user-by-user check.
 */
export function userStanding(user: RosterUser, config: Config): UserStanding {
  if (!user.present) return 'notPresent';
  const progress = user.progress;
  const state = progress.state;
  if (state === 'active' || (state === 'failed' && progress.journey.entryCompleteAt !== null)) {
    return progress.journey.steps.enforceMfa === undefined ? 'awaitingTap' : 'enforced';
  }
  if (state === 'parked' || state === 'rolledBack' || state === 'inFlight') return state;
  const excluded = exclusionReason(user.directory, config);
  if (excluded !== null) return excluded;
  const ready = readiness(user.directory, config);
  return ready.ready ? 'pending' : ready.reason;
}
