import type { Config } from '../config/configSchema.js';
import { daysHavePassed } from './nightGrace.js';
import type { RolloutProgress } from './rosterUser.js';

type Enforced = Extract<RolloutProgress, { readonly state: 'enforced' }>;

/**
 * Registration checks per night, at most: 5 × MFA_MAX_WAVE_SIZE (10,000 by default). The night keeps the rows of
 * the users it checks in memory (about 1 KB each); users beyond the cap are checked on a later night, the least
 * recently checked first (`verificationOrder`), so every due user is reached in turn.
 */
export function verificationsPerNight(config: Pick<Config, 'maxWaveSize'>): number {
  return 5 * config.maxWaveSize;
}

/** Whether a user's registration is checked tonight: enforced `verifyAfterDays` ago and not yet seen registered. */
export function isVerificationDue(progress: RolloutProgress, config: Pick<Config, 'verifyAfterDays'>, now: Date): progress is Enforced {
  return progress.state === 'enforced' && progress.registration !== 'registered' && daysHavePassed(progress.enforcedAt, config.verifyAfterDays, now);
}

/** Never checked first, then the longest since the last check, then the earliest enforced; ties by user id. */
export function verificationOrder(a: { readonly userId: string; readonly progress: Enforced }, b: { readonly userId: string; readonly progress: Enforced }): number {
  const checked = (progress: Enforced) => (progress.verifiedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(progress.verifiedAt) || 0);
  return checked(a.progress) - checked(b.progress)
    || (Date.parse(a.progress.enforcedAt) || 0) - (Date.parse(b.progress.enforcedAt) || 0)
    || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}
