import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import type { MethodAvailability } from '../core/journey/journeyTypes.js';
import { isInState } from '../core/rolloutState.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { runJourney } from './runJourney.js';

/**
 * Users left `inFlight` by a run that died: the journey reads Graph to see whether the recorded write landed, and the
 * row is resolved (the step done, with the wave that wrote it, so a rollback of that wave reaches the user; or the
 * attempt failed, RUN_INTERRUPTED, to be retried). Nothing is written to Graph here. Returns every row as it stands
 * now, for the planners: resolved, or still in flight when it could not be resolved tonight.
 */
export async function reconcileInFlight(
  config: Config,
  ports: RolloutPorts,
  logger: Logger,
  rows: readonly RosterRow[],
  clock: () => Date,
  availability: (user: DirectoryUser) => MethodAvailability,
): Promise<RosterRow[]> {
  const limit = pLimit(userConcurrency(config, 'reconcile'));
  const resolved = await Promise.all(rows.map((row) => limit(async (): Promise<RosterRow> => {
    const progress = row.user.progress;
    if (!isInState(progress, 'inFlight')) return row;
    const userId = row.user.directory.id;
    try {
      const result = await runJourney(row, 'enter', {
        waveId: progress.pending.waveId, config, clock, ports, availability, mfaSignIns: null,
        writesStopped: () => null, mayBegin: () => true,
      }, { resolveOnly: true });
      if (result.kind !== 'outcome') return row;
      logger.event('roster.reconciled', { userId, waveId: progress.pending.waveId, step: progress.pending.step, state: result.progress.state });
      return result.row;
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      logger.event('roster.reconcileFailed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
      return row;
    }
  })));
  if (rows.length > 0) logger.event('roster.inFlightFound', { users: rows.length });
  return resolved;
}
