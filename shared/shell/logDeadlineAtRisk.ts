import { deadlineVerdict, type DeadlineVerdict } from '../core/deadline/deadlineVerdict.js';
import type { SmsOnlyProjection } from '../core/deadline/projectSmsOnly.js';
import type { SmsDelivery } from '../core/journey/journeyTypes.js';
import type { Logger } from '../log/logEvent.js';

/**
 * The night's deadline verdict (`deadlineVerdict`, the one the report shows): when users are projected still on
 * SMS/voice only on the retirement date, one error-level `deadline.atRisk` event with counts and days, never a name
 * (infra/main.bicep alerts on it). Returns the verdict.
 */
export function logDeadlineAtRisk(logger: Logger, projection: SmsOnlyProjection, delivery: SmsDelivery): DeadlineVerdict {
  const verdict = deadlineVerdict(projection, delivery);
  if (verdict.status !== 'atRisk') return verdict;
  logger.event('deadline.atRisk', {
    reason: verdict.message,
    retirementDate: projection.retirementDate,
    daysLeft: projection.daysLeft,
    atRiskNow: projection.atRiskNow,
    projectedOnDate: projection.projectedOnDate,
    smsVoiceOnly: projection.smsVoiceOnly,
    noMfaMethod: projection.noMfaMethod,
    notReached: projection.notReached,
    pace: projection.pace,
  }, 'error');
  return verdict;
}
