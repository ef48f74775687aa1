import { daysHavePassed, nightGraceMs } from '../nightGrace.js';
import { retirementDateFor, startOfDay } from './methodAvailability.js';
import type { Journey, JourneyMode, JourneyProgress, JourneySettings, JourneyStep, TapRecord } from './journeyTypes.js';
import { stepsOfMode } from './journeyTypes.js';

/**
 * What the planner and the reports read off a user's recorded journey, without Graph: which kind of night the user
 * is due for, whether they are a straggler the helpdesk must hear about, and where they stand on the way off SMS.
 */

/** The steps the settings call for once the user has registered the target method. */
export function advanceStepsDue(journey: Journey, settings: JourneySettings): JourneyStep[] {
  const due: JourneyStep[] = [];
  if (journey.steps.enforceMfa === undefined) due.push('enforceMfa');
  if (settings.targetMethod === 'passkey' && settings.phishingResistantGroupId !== undefined && journey.steps.joinPhishingResistant === undefined) due.push('joinPhishingResistant');
  if (settings.targetMethod !== 'phone' && settings.retirePhoneAfterPasskey && settings.phoneRetiredGroupId !== undefined && journey.steps.joinPhoneRetired === undefined) due.push('joinPhoneRetired');
  return due;
}

/**
 * The night a user in the journey is due for, or null:
 * - `enter` while the entry is not over (entering, or an entry step failed and is retried);
 * - `advance` once the target method is registered and a step the settings call for is left;
 * - `check` for a look at the live methods: on the passkey and Authenticator tracks once a night until the target
 *   method is seen; after that (and on the phone track), until a sign-in shows the user did MFA: first once
 *   MFA_VERIFY_AFTER_DAYS have passed since MFA was required (`verificationDue`), then once every
 *   `phoneTrackLookEveryDays`.
 * A user in flight is due for the kind of night of the step they were in (the shell reconciles it first).
 */
/** Days between two looks at a user on the phone track (and at a registered user) until a sign-in shows MFA done. */
export const phoneTrackLookEveryDays = 7;

export function dueMode(progress: JourneyProgress, settings: JourneySettings, now: Date): JourneyMode | null {
  switch (progress.state) {
    case 'new':
    case 'announced':
    case 'parked':
    case 'rolledBack':
      return null;
    case 'inFlight':
      return (stepsOfMode.enter as readonly JourneyStep[]).includes(progress.pending.step) && progress.journey.entryCompleteAt === null ? 'enter' : 'advance';
    case 'failed':
    case 'active':
      break;
  }
  const journey = progress.journey;
  if (journey.entryCompleteAt === null) return 'enter';
  if (journey.registration !== null && advanceStepsDue(journey, settings).length > 0) return 'advance';
  const lookedWithin = (days: number) => journey.lastCheckedAt !== null && !daysHavePassed(journey.lastCheckedAt, days, now);
  if (settings.targetMethod !== 'phone' && journey.registration === null) return lookedWithin(1) ? null : 'check';
  // the phone track: the bridge was put in place by the rollout, so the methods say little; a look a week is enough
  // until a sign-in shows the user did MFA
  if (journey.steps.enforceMfa !== undefined && journey.mfaSeenAt === null) {
    if (!verificationDue(journey, settings, now)) return null;
    return lookedSinceVerificationDue(journey, settings) && lookedWithin(phoneTrackLookEveryDays) ? null : 'check';
  }
  return null;
}

/**
 * Is the user's MFA looked for in the sign-in log tonight, if they are looked at: MFA is required of them, no sign-in
 * has shown MFA yet, and MFA_VERIFY_AFTER_DAYS have passed since it was required (0: from the first night after,
 * counted as a nightly job counts days, `daysHavePassed`). Before that a sign-in with MFA is not yet expected. Pure.
 */
export function verificationDue(journey: Journey, settings: Pick<JourneySettings, 'verifyAfterDays'>, now: Date): boolean {
  const enforced = journey.steps.enforceMfa;
  return enforced !== undefined && journey.mfaSeenAt === null && daysHavePassed(enforced.at, settings.verifyAfterDays, now);
}

/**
 * Was the user looked at once the verification was due? The look of the night MFA was required (the entry's, within
 * the night's grace of the requirement) read no sign-in log, so it never counts, even with MFA_VERIFY_AFTER_DAYS=0.
 */
function lookedSinceVerificationDue(journey: Journey, settings: Pick<JourneySettings, 'verifyAfterDays'>): boolean {
  const enforcedAt = journey.steps.enforceMfa?.at;
  if (enforcedAt === undefined || journey.lastCheckedAt === null) return false;
  const looked = Date.parse(journey.lastCheckedAt);
  return looked > Date.parse(enforcedAt) + nightGraceMs && daysHavePassed(enforcedAt, settings.verifyAfterDays, new Date(looked));
}

export interface StragglerSettings extends JourneySettings {
  /** Days after the nudge without the target method before a user is listed (MFA_PASSKEY_NUDGE_DAYS). */
  readonly passkeyNudgeDays: number;
  /** Days before the user's retirement date from which an SMS-only user is listed (MFA_DEADLINE_WARNING_DAYS). */
  readonly deadlineWarningDays: number;
}

export type StragglerReason =
  /** Under the phishing-resistant policy, and the passkey is gone. */
  | 'passkeyRemoved'
  /** No method to do MFA with at all: a helpdesk Temporary Access Pass is the way in. */
  | 'needsTap'
  /** Only SMS/voice, and the retirement date is near (or past). */
  | 'smsOnlyNearDeadline'
  /** Nudged MFA_PASSKEY_NUDGE_DAYS ago and still no target method. */
  | 'notRegisteredAfterNudge';

const dayMs = 86_400_000;

/** Why the helpdesk must hear about this user now, or null. The first reason that applies, in the order above; `tap` is the row's record of issued passes. */
export function stragglerReason(journey: Journey, settings: StragglerSettings, isGlobalAdmin: boolean, now: Date, tap: TapRecord | null = null): StragglerReason | null {
  if (settings.targetMethod === 'phone' || journey.entryCompleteAt === null) return null;
  if (journey.registration !== null) return null;
  const methods = journey.methods;
  if (journey.steps.joinPhishingResistant !== undefined) return 'passkeyRemoved';
  // a pass the helpdesk issued is the way in until it expires; an expired one unused leaves the user a straggler again
  const passValid = tap !== null && Date.parse(tap.expiresAt) > now.getTime();
  if (methods !== null && !methods.phone && !methods.authenticator && !methods.other && !passValid) return 'needsTap';
  const smsOnly = methods !== null && methods.phone && !methods.passkey && !methods.authenticator && !methods.other;
  const deadline = startOfDay(retirementDateFor(isGlobalAdmin, settings));
  if (smsOnly && settings.smsDelivery === 'microsoft' && now.getTime() >= deadline - settings.deadlineWarningDays * dayMs) return 'smsOnlyNearDeadline';
  const nudgedAt = journey.steps.joinCampaign?.at ?? (settings.campaignMode === 'microsoftManaged' ? journey.entryCompleteAt : null);
  if (nudgedAt !== null && daysHavePassed(nudgedAt, settings.passkeyNudgeDays, now)) return 'notRegisteredAfterNudge';
  return null;
}

/** Where a user stands on the way off SMS, as the report counts them (exclusions and parked users are counted apart). */
export type MethodPosture =
  | 'notInJourney' // not attended by a wave yet (new, announced)
  | 'noMfaMethod'
  | 'smsVoiceOnly'
  | 'otherMethod' // Microsoft Authenticator, OATH, Windows Hello, but not the target method
  | 'targetRegistered' // the passkey (or Authenticator, on that track) is registered
  | 'phishingResistantEnforced';

export function methodPosture(progress: JourneyProgress): MethodPosture {
  if (progress.state === 'new' || progress.state === 'announced') return 'notInJourney';
  const { journey } = progress;
  if (journey.steps.joinPhishingResistant !== undefined && journey.registration !== null) return 'phishingResistantEnforced';
  if (journey.registration !== null) return 'targetRegistered';
  const methods = journey.methods;
  if (methods === null) return journey.steps.phoneMethod !== undefined ? 'smsVoiceOnly' : 'noMfaMethod';
  if (methods.passkey || methods.authenticator || methods.other) return 'otherMethod';
  return methods.phone ? 'smsVoiceOnly' : 'noMfaMethod';
}
