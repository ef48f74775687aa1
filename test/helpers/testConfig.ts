import type { Config } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';

/** A validated Config from app settings, with the settings every test needs filled in. */
export function testConfig(settings: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    MFA_BREAK_GLASS: 'breakglass1@contoso.onmicrosoft.com,breakglass2@contoso.onmicrosoft.com',
    MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true',
    ...settings,
  });
}
