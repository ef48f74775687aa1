import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { Config } from './configSchema.js';
import { loadConfig } from './loadConfig.js';

/**
 * `loadConfig` for the functions: an invalid setting is logged as the `config.invalid` event at error level (the
 * alert rule watches it; the message names the setting, never its value) and thrown as a RolloutError.
 */
export function loadConfigOrReport(env: NodeJS.ProcessEnv, logger: Logger): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('config.invalid', { errorCode: failure.code, message: failure.message }, 'error');
    throw failure;
  }
}
