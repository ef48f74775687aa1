import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { userConcurrency } from '../core/userConcurrency.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import { readMethods } from '../adapters/graph/userAuthentication.js';
import type { RolloutPorts } from './rolloutPorts.js';

/**
 * Reads the authentication methods of users whose readiness depends on them (the plan's `probe` list) and records
 * what was found. Returns how many have a strong method: those are ready now, so tonight's plan must be made again.
 */
export async function probeMethods(
  config: Config,
  ports: RolloutPorts,
  logger: Logger,
  userIds: readonly string[],
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const limit = pLimit(userConcurrency(config, 'probe'));
  let done = 0;
  const found = await Promise.all(userIds.map((userId) => limit(async () => {
    try {
      const methods = await readMethods(ports.gateway, userId);
      const registered = methods.strongMethods.length > 0;
      await ports.roster.recordMethods(userId, registered ? 'registered' : 'none', now.toISOString());
      return registered;
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_UNAVAILABLE') throw failure;
      logger.event('roster.probeFailed', { userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
      return false;
    } finally {
      done += 1;
      onProgress?.(done, userIds.length);
    }
  })));
  if (userIds.length > 0) logger.event('roster.probed', { probed: userIds.length });
  return found.filter(Boolean).length;
}
