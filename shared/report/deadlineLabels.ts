import type { StragglerReason } from '../core/journey/journeyStanding.js';
import type { TargetMethod } from '../core/journey/journeyTypes.js';
import type { UserPostureBucket } from '../core/deadline/userPostureTally.js';
import type { DeadlineVerdict } from '../core/deadline/deadlineVerdict.js';

/** How the text and HTML reports name the deadline's buckets, reasons and verdicts. */
export function postureBucketLabel(bucket: UserPostureBucket, targetMethod: TargetMethod): string {
  const target = targetMethod === 'authenticator' ? 'Authenticator' : 'passkey';
  switch (bucket) {
    case 'noMfaMethod': return 'no MFA method';
    case 'smsVoiceOnly': return 'SMS or voice only';
    case 'otherMethod': return targetMethod === 'authenticator' ? 'other method (OATH, Windows Hello, passkey)' : 'other method (Authenticator, OATH)';
    case 'targetRegistered': return `${target} registered`;
    case 'phishingResistantEnforced': return 'phishing-resistant enforced';
    case 'notInJourney': return 'not in the journey yet';
    case 'excluded': return 'excluded';
    case 'parked': return 'parked';
  }
}

export const stragglerReasonLabels: Readonly<Record<StragglerReason, string>> = {
  passkeyRemoved: 'passkey removed',
  needsTap: 'no method: needs a TAP',
  smsOnlyNearDeadline: 'SMS only, date near',
  notRegisteredAfterNudge: 'not registered after the nudge',
};

export const verdictLabels: Readonly<Record<DeadlineVerdict['status'], string>> = {
  atRisk: 'AT RISK',
  onTrack: 'on track',
  notApplicable: 'not applicable',
};

/** A share as a percentage with one decimal (`0.25` -> `25.0%`). */
export function formatShare(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}
