import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { daysHavePassed } from '../core/nightGrace.js';
import { isInState, recordMfaSignal, recordRegistration } from '../core/rolloutState.js';
import type { RosterUser } from '../core/rosterUser.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readMfaSignIns, type MfaSignIns } from '../adapters/graph/readMfaSignIns.js';
import { readNotCapableUserIds } from '../adapters/graph/registrationReport.js';
import { readMethods } from '../adapters/graph/userAuthentication.js';
import { isCorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

export interface VerificationSummary {
  readonly checked: number;
  /** MFA-capable now (a method the policy allows, and live). */
  readonly registered: number;
  readonly notRegistered: number;
  /** Users the sign-in log shows completing MFA since their enforcement (only when it could be read). */
  readonly mfaSignedIn?: number;
  /** Why the sign-in log could not be read tonight (no Entra ID P1 licence, no AuditLog.Read.All); absent when it was. */
  readonly signInsUnavailable?: 'licence' | 'permission';
}

/** A user whose check is due: capability not confirmed yet, or no MFA sign-in seen since enforcement. */
function isDue(user: RosterUser, config: Pick<Config, 'verifyAfterDays'>, now: Date): boolean {
  const progress = user.progress;
  if (!isInState(progress, 'enforced') || !daysHavePassed(progress.enforcedAt, config.verifyAfterDays, now)) return false;
  return progress.registration !== 'registered' || (progress.mfaSignInAt ?? null) === null;
}

/**
 * Did the people enforced at least `verifyAfterDays` ago really get MFA? Two readings, both once per night:
 *
 * - capable (docs/graph-behaviour.md#registration-report): the registration report's `isMfaCapable eq false` list
 *   (policy-aware; it lags and shows the rollout's own phone within hours, sign-in or not) and the user's live methods;
 * - done (docs/graph-behaviour.md#sign-in-activity): the sign-in log since the oldest due enforcement, read once
 *   (`readMfaSignIns`), for a sign-in that satisfied MFA at or after the user's enforcement. Without the licence or the
 *   permission the signal is unavailable: the night goes on, and nobody is called stuck for want of it.
 *
 * "Stuck" in the report is: enforced MFA_STUCK_AFTER_DAYS ago and no such sign-in. Users both capable and seen doing
 * MFA are not checked again.
 */
export async function verifyRegistrations(config: Config, ports: RolloutPorts, logger: Logger, now: Date): Promise<VerificationSummary> {
  const due: RosterRow[] = [];
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row) && isDue(row.user, config, now)) due.push(row);
  if (due.length === 0) return { checked: 0, registered: 0, notRegistered: 0 };
  const notCapable = await readNotCapableUserIds(ports.gateway, config.reportRequestsPer10Seconds);
  const since = due.reduce((oldest, row) => (isInState(row.user.progress, 'enforced') && row.user.progress.enforcedAt < oldest ? row.user.progress.enforcedAt : oldest), now.toISOString());
  const signIns: MfaSignIns = await readMfaSignIns(ports.gateway, since, config.reportRequestsPer10Seconds);
  if (signIns.kind === 'unavailable') {
    logger.event('verify.signInsUnavailable', { reason: signIns.cause, errorCode: signIns.errorCode, requestId: signIns.requestId, message: signIns.message }, 'warn');
  }
  const limit = pLimit(Math.max(1, config.graphConcurrency * 4));
  let registered = 0;
  let notRegistered = 0;
  let mfaSignedIn = 0;
  await Promise.all(due.map((row) => limit(async () => {
    const progress = row.user.progress;
    if (!isInState(progress, 'enforced')) return;
    const userId = row.user.directory.id;
    try {
      const live = await readMethods(ports.gateway, userId);
      const capable = !notCapable.has(userId) && live.strongMethods.length > 0;
      if (capable) registered += 1;
      else notRegistered += 1;
      // a user already verified capable keeps the date of that verification (the report's progress by date counts it)
      let next = capable && progress.registration === 'registered' ? progress : recordRegistration(progress, capable ? 'registered' : 'notRegistered', now);
      if (signIns.kind === 'available') {
        next = recordMfaSignal(next, signIns.latest.get(userId) ?? null, now);
        if (next.mfaSignInAt !== null && next.mfaSignInAt !== undefined) mfaSignedIn += 1;
      }
      await ports.roster.writeProgress(row, next);
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      logger.event('verify.failed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
    }
  })));
  logger.event('verify.done', { checked: due.length, registered, notRegistered, ...(signIns.kind === 'available' ? { mfaSignedIn } : { reason: signIns.cause }) });
  return { checked: due.length, registered, notRegistered, ...(signIns.kind === 'available' ? { mfaSignedIn } : { signInsUnavailable: signIns.cause }) };
}
