import type { SmsCalendar } from '../posture/postureTypes.js';
import { usersAtRisk, type UserPostureTallyResult } from './userPostureTally.js';

/** Nights the observed registration pace looks back over. */
export const smsPaceWindowNights = 7;

/** Users still SMS/voice-only (or without any method) on the retirement date, at the pace observed so far. */
export interface SmsOnlyProjection {
  /** The date projected to: the general retirement date (MFA_SMS_RETIREMENT_DATE). */
  readonly retirementDate: string;
  /** Whole days from today (UTC) to it; 0 on the day, negative after. */
  readonly daysLeft: number;
  /** Nights of registrations left before the date (one a day, today's included; 0 on and after it). */
  readonly nightsLeft: number;
  /** Users at risk now: SMS/voice only, no MFA method, and not reached yet with no strong method known. */
  readonly atRiskNow: number;
  readonly smsVoiceOnly: number;
  readonly noMfaMethod: number;
  readonly notReached: number;
  /** Not reached, no strong method known, and out of the rollout's scope by the settings (cloud-only with MFA_ALLOW_CLOUD_ONLY=false): not in `atRiskNow`, blocked on the date all the same. */
  readonly outOfScope: number;
  readonly pace: {
    /** The window: the last `smsPaceWindowNights` nights, or the nights since the first nudge when fewer. */
    readonly nights: number;
    /** Target-method registrations seen in those nights (not those the users had before). */
    readonly registrations: number;
    /** `registrations / nights`, rounded to 0.1 (0 when there is no night to measure yet). */
    readonly perNight: number;
  };
  /** `atRiskNow` less the pace times `nightsLeft`, never below 0; `atRiskNow` itself on and after the date. */
  readonly projectedOnDate: number;
  /** Nights at that pace until nobody is at risk (null: no registration in the window). */
  readonly nightsToClear: number | null;
  /** How it was computed, in one paragraph, for the report. */
  readonly method: string;
}

const dayMs = 86_400_000;
const dayOf = (time: number) => Math.floor(time / dayMs);

/**
 * Projects the users at risk on the retirement date (pure). The pace is the target-method registrations the rollout
 * saw (a method a user had before the journey does not count) on the last `smsPaceWindowNights` UTC days up to today,
 * or on the days since the first nudge when the campaign is younger, divided by those days. The projection takes
 * that many users off the users at risk now for every night left before the date. The general date is used for
 * everyone: a later date for Global Administrators and external users only gives them more time.
 */
export function projectSmsOnly(input: {
  readonly tally: UserPostureTallyResult;
  readonly calendar: Pick<SmsCalendar, 'retirementDate' | 'daysLeft'>;
  readonly now: Date;
  readonly windowNights?: number;
}): SmsOnlyProjection {
  const { tally, calendar, now } = input;
  const window = input.windowNights ?? smsPaceWindowNights;
  const today = dayOf(now.getTime());
  const firstNudge = tally.firstNudgeAt === null ? Number.NaN : dayOf(Date.parse(tally.firstNudgeAt));
  const nights = Number.isNaN(firstNudge) ? 0 : Math.max(0, Math.min(window, today - firstNudge + 1));
  let registrations = 0;
  for (const [date, count] of Object.entries(tally.registeredOn)) {
    const day = dayOf(Date.parse(`${date}T00:00:00Z`));
    if (day > today - nights && day <= today) registrations += count;
  }
  const rate = nights === 0 ? 0 : registrations / nights;
  const { counts } = tally;
  const atRiskNow = usersAtRisk(counts);
  const nightsLeft = Math.max(0, calendar.daysLeft);
  const projectedOnDate = nightsLeft === 0 ? atRiskNow : Math.max(0, Math.ceil(atRiskNow - rate * nightsLeft - 1e-9));
  const method =
    `Users at risk: SMS/voice only, no MFA method, and users in the rollout's scope not reached by a wave yet with no strong method known (${atRiskNow} now; users the settings leave out of scope, such as cloud-only users with MFA_ALLOW_CLOUD_ONLY=false, are counted apart: ${counts.outOfScopeNoStrongMethod ?? 0}). ` +
    `Pace: the target-method registrations the rollout saw over the last ${window} nights (or since the first nudge, if more recent), not counting methods users had before, divided by those nights. ` +
    `Projection: the users at risk now less the pace times the nights left before ${calendar.retirementDate} (one a day, today's included), never below 0. ` +
    'The general retirement date is used for everyone (a later date for Global Administrators and external users only gives them more time).';
  return {
    retirementDate: calendar.retirementDate,
    daysLeft: calendar.daysLeft,
    nightsLeft,
    atRiskNow,
    smsVoiceOnly: counts.smsVoiceOnly,
    noMfaMethod: counts.noMfaMethod,
    notReached: counts.notInJourneyNoStrongMethod,
    outOfScope: counts.outOfScopeNoStrongMethod ?? 0,
    pace: { nights, registrations, perNight: Math.round(rate * 10) / 10 },
    projectedOnDate,
    nightsToClear: rate === 0 ? (atRiskNow === 0 ? 0 : null) : Math.ceil(atRiskNow / rate - 1e-9),
    method,
  };
}
