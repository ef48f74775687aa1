import type { Config } from '../../config/configSchema.js';
import { verificationDue } from './journeyStanding.js';
import type { JourneyProgress } from './journeyTypes.js';

const dayMs = 86_400_000;
/** How long the sign-in log keeps sign-ins with Entra ID P1/P2 (docs/graph-behaviour.md#sign-in-activity). */
export const signInLogRetentionDays = 30;
/** Days beyond MFA_STUCK_AFTER_DAYS the window reaches back, so a user checked a few nights late still has their sign-in in it. */
const windowMarginDays = 7;

/**
 * The start of the one sign-in log read tonight (ISO), or null when no user checked tonight needs it: users in check
 * mode whose MFA is required, who were not yet seen doing MFA and whose MFA_VERIFY_AFTER_DAYS have passed
 * (`verificationDue`, the journey's `mfaSignIn` need). The window starts
 * at the oldest enforcement among them, but never further back than MFA_STUCK_AFTER_DAYS + 7 days (a user enforced
 * long before that is stuck whatever the log says; earlier nights read their older sign-ins) nor than the log's
 * 30-day retention. Pure.
 */
export function mfaSignInWindow(checked: Iterable<JourneyProgress>, config: Pick<Config, 'stuckAfterDays' | 'verifyAfterDays'>, now: Date): string | null {
  let oldest: number | null = null;
  for (const progress of checked) {
    if (progress.state === 'new' || progress.state === 'announced') continue;
    const { journey } = progress;
    const enforced = journey.steps.enforceMfa;
    if (enforced === undefined || !verificationDue(journey, config, now)) continue;
    const at = Date.parse(enforced.at);
    if (!Number.isNaN(at) && (oldest === null || at < oldest)) oldest = at;
  }
  if (oldest === null) return null;
  const earliest = now.getTime() - Math.min(config.stuckAfterDays + windowMarginDays, signInLogRetentionDays) * dayMs;
  return new Date(Math.max(oldest, earliest)).toISOString();
}
