import { createHash } from 'node:crypto';
import type { Config } from '../config/configSchema.js';

/** A short fingerprint of the settings a night ran with (secrets excluded), so a report shows when they changed. */
export function hashConfig(config: Config): string {
  const { clientSecret: _secret, tablesConnection: _connection, ...rest } = config;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 12);
}
