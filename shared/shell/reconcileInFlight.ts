import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { isInState, recoverInFlight } from '../core/rolloutState.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readMethods, readPerUserMfaState } from '../adapters/graph/userAuthentication.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

/**
 * Users left `inFlight` by a run that died: Graph is read to see whether the write landed, and the row is
 * resolved (enforced, or failed to be retried), keeping the wave that wrote it (a rollback of that wave reaches
 * the user). Returns every row as it stands now, for the planner: resolved, or still in flight when it could not
 * be resolved tonight.
 */
export async function reconcileInFlight(config: Config, ports: RolloutPorts, logger: Logger, rows: readonly RosterRow[], now: Date): Promise<RosterRow[]> {
  const limit = pLimit(userConcurrency(config, 'reconcile'));
  const resolved = await Promise.all(rows.map((row) => limit(async (): Promise<RosterRow> => {
    const progress = row.user.progress;
    if (!isInState(progress, 'inFlight')) return row;
    const userId = row.user.directory.id;
    try {
      const methods = await readMethods(ports.gateway, userId);
      // per-user state is read from Graph; the MFA group's membership came with tonight's roster refresh
      const enforced = config.strategy === 'perUserMfa'
        ? [config.perUserState, 'enforced'].includes(await readPerUserMfaState(ports.gateway, userId))
        : row.user.directory.groupIds.includes(config.caGroupId ?? '');
      const mobileMethodExists = methods.phoneMethods.some((method) => method.phoneType === 'mobile');
      const next = recoverInFlight(progress, enforced ? { enforced: true, mobileMethodExists } : { enforced: false, mobileMethodExists }, config, now);
      if (next.state !== 'enforced') {
        await ports.failures.record({
          waveId: progress.waveId, userId, upn: row.user.directory.userPrincipalName, step: progress.step, errorCode: 'RUN_INTERRUPTED',
          httpStatus: null, graphCode: null, requestId: null, attempt: progress.attempts, at: now.toISOString(),
          message: `The run of wave ${progress.waveId} stopped during step ${progress.step}; Graph shows the write not done, so it is retried`,
        });
      }
      const written = await ports.roster.writeProgress(row, next);
      logger.event('roster.reconciled', { userId, waveId: progress.waveId, step: progress.step, state: next.state });
      return written;
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      // TABLE_CONFLICT: another writer resolved it; anything else: tried again next night
      if (failure.code !== 'TABLE_CONFLICT') logger.event('roster.reconcileFailed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
      return row;
    }
  })));
  if (rows.length > 0) logger.event('roster.inFlightFound', { users: rows.length });
  return resolved;
}
