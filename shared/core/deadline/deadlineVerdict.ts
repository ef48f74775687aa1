import type { SmsDelivery } from '../journey/journeyTypes.js';
import type { SmsOnlyProjection } from './projectSmsOnly.js';

/**
 * Whether users will still be SMS-only on the retirement date (docs/graph-behaviour.md#sms-and-voice-retirement):
 * `atRisk` when Microsoft delivers the codes and the projection leaves anyone at risk on the date (after the date:
 * anyone at risk now, who meets the blocking prompt at sign-in); `onTrack` when it leaves nobody; `notApplicable`
 * with a customer-managed provider, whose SMS and voice outlive the date.
 */
export interface DeadlineVerdict {
  readonly status: 'atRisk' | 'onTrack' | 'notApplicable';
  /** One line for the report and the alert (counts and days only, never a name). */
  readonly message: string;
}

/** The deadline verdict (pure): the night logs `deadline.atRisk` on it, and the report shows the same. */
export function deadlineVerdict(projection: SmsOnlyProjection, delivery: SmsDelivery): DeadlineVerdict {
  if (delivery === 'customerManaged') {
    return { status: 'notApplicable', message: 'SMS and voice come from a customer-managed provider (MFA_SMS_DELIVERY=customerManaged): the retirement date of Microsoft delivery does not cut them off.' };
  }
  const verdict = rolloutVerdict(projection);
  // users the settings leave out of scope are not the rollout's risk, but they are blocked on the date all the same
  return projection.outOfScope > 0 ? { ...verdict, message: `${verdict.message} Out of scope (not synced, not enrolled by the rollout), no strong method known: ${projection.outOfScope}, named apart.` } : verdict;
}

function rolloutVerdict(projection: SmsOnlyProjection): DeadlineVerdict {
  const { projectedOnDate, retirementDate, daysLeft, pace, atRiskNow } = projection;
  const paceText = `${pace.perNight} registration(s) per night over the last ${pace.nights} night(s)`;
  if (daysLeft <= 0) {
    return atRiskNow > 0
      ? { status: 'atRisk', message: `SMS and voice by Microsoft retired ${daysLeft === 0 ? 'today' : `${-daysLeft} day(s) ago`} (${retirementDate}): ${atRiskNow} user(s) are still on SMS or voice only, without a method, or not reached, and meet the blocking passkey prompt at sign-in.` }
      : { status: 'onTrack', message: `SMS and voice by Microsoft retired on ${retirementDate}: nobody is left on SMS or voice only.` };
  }
  if (projectedOnDate > 0) {
    return { status: 'atRisk', message: `${projectedOnDate} of ${atRiskNow} user(s) at risk are projected still on SMS or voice only or without a method on ${retirementDate} (${daysLeft} day(s) left) at ${paceText}.` };
  }
  return { status: 'onTrack', message: `At ${paceText}, the ${atRiskNow} user(s) at risk are projected to have registered before ${retirementDate} (${daysLeft} day(s) left).` };
}
