import type { Config } from '../../config/configSchema.js';
import { createExclusionCheck } from '../exclusions.js';
import { methodPosture, type MethodPosture } from '../journey/journeyStanding.js';
import { nudgeOf } from './campaignConversion.js';
import type { RosterUser } from '../rosterUser.js';

/** Where a present user stands on the way off SMS: exactly one bucket each. */
export type UserPostureBucket = MethodPosture | 'excluded' | 'parked';

/** The buckets in the order the report lists them. */
export const userPostureBuckets: readonly UserPostureBucket[] = [
  'noMfaMethod', 'smsVoiceOnly', 'otherMethod', 'targetRegistered', 'phishingResistantEnforced', 'notInJourney', 'excluded', 'parked',
];

/** The roster counted by bucket (see `userPostureBucket`). */
export type UserPostureCounts = Readonly<Record<UserPostureBucket, number>> & {
  /** Present users: the buckets add up to it. */
  readonly total: number;
  /** Gone from the directory at the last refresh: in no bucket (nothing to retire for them). */
  readonly notPresent: number;
  /** Of `notInJourney`, enabled accounts with no strong method known (only SMS, nothing, or never looked at): at risk until a wave reaches them. */
  readonly notInJourneyNoStrongMethod: number;
};

/** What a tally of the roster gives: the buckets, and the campaign's registrations by day for the pace. */
export interface UserPostureTallyResult {
  readonly counts: UserPostureCounts;
  /** Target-method registrations the rollout saw, not had before the journey, by UTC date of `seenAt` (`YYYY-MM-DD` -> count). */
  readonly registeredOn: Readonly<Record<string, number>>;
  /** The first nudge of any user (ISO), or null before the campaign nudged anyone: the pace is measured from it. */
  readonly firstNudgeAt: string | null;
}

export interface UserPostureTally {
  add(user: RosterUser): void;
  finish(): UserPostureTallyResult;
}

type TallyConfig = Pick<Config, 'breakGlass' | 'exclusionGroupId' | 'excludeUpnPatterns' | 'campaignMode'>;

/**
 * The bucket of one present user, the first that applies:
 * - `parked`: failed MFA_MAX_ATTEMPTS nights, a person must look;
 * - `excluded`: an exclusion applies and the journey has not carried the user past its entry (as the wave planner
 *   counts them: a user excluded after entering stays where their journey puts them);
 * - otherwise where the journey records say the user stands (`methodPosture`): not in the journey yet, no MFA method,
 *   SMS/voice only, another method (not the target), the target registered, phishing-resistant enforced.
 */
export function userPostureBucket(user: RosterUser, excluded: (user: RosterUser) => boolean): UserPostureBucket {
  const { progress } = user;
  if (progress.state === 'parked') return 'parked';
  const pastEntry = (progress.state === 'active' || progress.state === 'failed') && progress.journey.entryCompleteAt !== null;
  if (!pastEntry && progress.state !== 'inFlight' && progress.state !== 'rolledBack' && excluded(user)) return 'excluded';
  return methodPosture(progress);
}

/**
 * Counts the roster by posture, one user at a time (pure; memory: the counters and one count per day with a
 * registration, whatever the roster size); the nudges are found as the conversion finds them (`nudgeOf`). The night records the counts (the SMS-only line of the report's chart)
 * and decides the deadline verdict from them; the report counts the same way.
 */
export function createUserPostureTally(config: TallyConfig): UserPostureTally {
  const isExcluded = createExclusionCheck(config);
  const excluded = (user: RosterUser) => isExcluded(user.directory) !== null;
  const counts: Record<UserPostureBucket, number> = Object.fromEntries(userPostureBuckets.map((bucket) => [bucket, 0])) as Record<UserPostureBucket, number>;
  const registeredOn: Record<string, number> = {};
  let total = 0;
  let notPresent = 0;
  let notInJourneyNoStrongMethod = 0;
  let firstNudge = Number.POSITIVE_INFINITY;
  return {
    add(user) {
      if (!user.present) {
        notPresent += 1;
        return;
      }
      total += 1;
      const bucket = userPostureBucket(user, excluded);
      counts[bucket] += 1;
      // a disabled account cannot sign in: it meets no prompt, so it is not at risk (it stays in its bucket)
      if (bucket === 'notInJourney' && user.directory.methods !== 'registered' && user.directory.accountEnabled) notInJourneyNoStrongMethod += 1;
      const { progress } = user;
      if (progress.state === 'new' || progress.state === 'announced') return;
      const nudgedAt = Date.parse(nudgeOf(progress.journey, config.campaignMode)?.at ?? '');
      if (nudgedAt < firstNudge) firstNudge = nudgedAt;
      const registration = progress.journey.registration;
      if (registration === null || registration.hadBefore || Number.isNaN(Date.parse(registration.seenAt))) return;
      const date = new Date(registration.seenAt).toISOString().slice(0, 10);
      registeredOn[date] = (registeredOn[date] ?? 0) + 1;
    },
    finish() {
      return {
        counts: { ...counts, total, notPresent, notInJourneyNoStrongMethod },
        registeredOn: { ...registeredOn },
        firstNudgeAt: Number.isFinite(firstNudge) ? new Date(firstNudge).toISOString() : null,
      };
    },
  };
}

/** Users who would meet the blocking prompt if SMS and voice went dark now: SMS/voice only, no method, or not reached with no strong method known. */
export function usersAtRisk(counts: UserPostureCounts): number {
  return counts.smsVoiceOnly + counts.noMfaMethod + counts.notInJourneyNoStrongMethod;
}
