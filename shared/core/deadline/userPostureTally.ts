import type { Config } from '../../config/configSchema.js';
import { createExclusionCheck } from '../exclusions.js';
import { methodPosture, type MethodPosture } from '../journey/journeyStanding.js';
import { nudgeOf } from './campaignConversion.js';
import { readiness } from '../readiness.js';
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
  /** Of `notInJourney`, enabled accounts in the rollout's scope with no strong method known (only SMS, nothing, or never looked at): at risk until a wave reaches them. */
  readonly notInJourneyNoStrongMethod: number;
  /**
   * Of `notInJourney`, enabled accounts with no strong method known that the operator's own settings leave out of the
   * rollout (`outOfScopeReason`: cloud-only with MFA_ALLOW_CLOUD_ONLY=false, or sync stopped): no wave will reach them,
   * so they are not the rollout's risk and not in the projection, yet they meet the blocking prompt on the date; the
   * report names them apart. Absent in counts recorded before it existed (0).
   */
  readonly outOfScopeNoStrongMethod?: number;
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

type TallyConfig = Pick<Config, 'breakGlass' | 'exclusionGroupId' | 'excludeUpnPatterns' | 'campaignMode' | 'allowCloudOnly' | 'targetMethod'>;

/** Why the operator's settings leave a user out of the rollout's scope (readiness `notSynced`: cloud-only with MFA_ALLOW_CLOUD_ONLY=false, or sync stopped for the user), or null. */
export type OutOfScopeReason = 'notSynced';

export function outOfScopeReason(user: RosterUser, config: Pick<Config, 'allowCloudOnly' | 'targetMethod'>): OutOfScopeReason | null {
  const ready = readiness(user.directory, config);
  return !ready.ready && ready.reason === 'notSynced' ? 'notSynced' : null;
}

/**
 * A present, enabled user no wave has reached and with no strong method known, who meets the blocking prompt on the
 * date: at risk (`inScope`, until a wave reaches them), or out of the rollout's scope by the operator's settings
 * (`outOfScope`); null for everyone else.
 */
export function notReachedStanding(user: RosterUser, bucket: UserPostureBucket, config: Pick<Config, 'allowCloudOnly' | 'targetMethod'>): 'inScope' | 'outOfScope' | null {
  // a disabled account cannot sign in: it meets no prompt, so it is not at risk (it stays in its bucket)
  if (!user.present || bucket !== 'notInJourney' || user.directory.methods === 'registered' || !user.directory.accountEnabled) return null;
  return outOfScopeReason(user, config) === null ? 'inScope' : 'outOfScope';
}

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
  let outOfScopeNoStrongMethod = 0;
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
      const notReached = notReachedStanding(user, bucket, config);
      if (notReached === 'inScope') notInJourneyNoStrongMethod += 1;
      else if (notReached === 'outOfScope') outOfScopeNoStrongMethod += 1;
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
        counts: { ...counts, total, notPresent, notInJourneyNoStrongMethod, outOfScopeNoStrongMethod },
        registeredOn: { ...registeredOn },
        firstNudgeAt: Number.isFinite(firstNudge) ? new Date(firstNudge).toISOString() : null,
      };
    },
  };
}

/** Users at the rollout's risk if SMS and voice went dark now: SMS/voice only, no method, or in scope, not reached and with no strong method known (not those the settings leave out of scope). */
export function usersAtRisk(counts: UserPostureCounts): number {
  return counts.smsVoiceOnly + counts.noMfaMethod + counts.notInJourneyNoStrongMethod;
}

/** Users out of the rollout's scope who meet the blocking prompt on the date, by name (the report lists them apart from the stragglers). */
export interface OutOfScopeList {
  readonly count: number;
  /** At most the list limit, by UPN. */
  readonly users: readonly { readonly userId: string; readonly upn: string; readonly reason: OutOfScopeReason }[];
}

/** Collects `OutOfScopeList` in one pass over the roster (pure; memory: at most `listLimit` users). */
export function collectOutOfScope(config: TallyConfig, listLimit = 200): { add(user: RosterUser): void; finish(): OutOfScopeList } {
  const isExcluded = createExclusionCheck(config);
  const excluded = (user: RosterUser) => isExcluded(user.directory) !== null;
  const users: { userId: string; upn: string; reason: OutOfScopeReason }[] = [];
  let count = 0;
  return {
    add(user) {
      if (!user.present || notReachedStanding(user, userPostureBucket(user, excluded), config) !== 'outOfScope') return;
      count += 1;
      users.push({ userId: user.directory.id, upn: user.directory.userPrincipalName, reason: 'notSynced' });
      users.sort((a, b) => (a.upn < b.upn ? -1 : a.upn > b.upn ? 1 : 0));
      if (users.length > listLimit) users.pop();
    },
    finish: () => ({ count, users: [...users] }),
  };
}
