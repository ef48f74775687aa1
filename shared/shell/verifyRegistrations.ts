import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { isInState, recordRegistration } from '../core/rolloutState.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readUnregisteredUserIds } from '../adapters/graph/registrationReport.js';
import { readMethods } from '../adapters/graph/userAuthentication.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

export interface VerificationSummary {
  readonly checked: number;
  readonly registered: number;
  readonly notRegistered: number;
}

/**
 * Did the people enforced at least `verifyAfterDays` ago really register? Entra's registration report says
 * who has no MFA method registered (it lags, and an entry is only refreshed when the user signs in), the live
 * methods say what is there now: a user is `registered` when the report no longer lists them as unregistered
 * and a strong method is live. Users still not registered after `stuckAfterDays` show in the report as stuck,
 * for the helpdesk. Already registered users are not checked again. `due` comes from the night's roster read
 * (`readNightRoster`: `isVerificationDue`, capped per night).
 */
export async function verifyRegistrations(config: Config, ports: RolloutPorts, logger: Logger, now: Date, due: readonly RosterRow[]): Promise<VerificationSummary> {
  if (due.length === 0) return { checked: 0, registered: 0, notRegistered: 0 };
  const unregistered = await readUnregisteredUserIds(ports.gateway, config.reportRequestsPer10Seconds);
  const limit = pLimit(userConcurrency(config, 'verify'));
  let registered = 0;
  let notRegistered = 0;
  await Promise.all(due.map((row) => limit(async () => {
    const progress = row.user.progress;
    if (!isInState(progress, 'enforced')) return;
    try {
      const live = await readMethods(ports.gateway, row.user.directory.id);
      const isRegistered = !unregistered.has(row.user.directory.id) && live.strongMethods.length > 0;
      if (isRegistered) registered += 1;
      else notRegistered += 1;
      const next = recordRegistration(progress, isRegistered ? 'registered' : 'notRegistered', now);
      await ports.roster.writeProgress(row, next);
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      logger.event('verify.failed', { userId: row.user.directory.id, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
    }
  })));
  logger.event('verify.done', { checked: due.length, registered, notRegistered });
  return { checked: due.length, registered, notRegistered };
}
