import type { Config } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';

/** The passkey journey's groups every config needs on the default track (MFA_TARGET_METHOD=passkey, waves). */
export const journeyGroupSettings = {
  MFA_CAMPAIGN_GROUP_ID: 'c0000000-0000-4000-8000-00000000ca11',
  MFA_PHONE_RETIRED_GROUP_ID: 'c0000000-0000-4000-8000-0000000000fe',
} as const;

/** A validated Config from app settings, with the settings every test needs filled in (the phone track, date-independent, unless told otherwise). */
export function testConfig(settings: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    MFA_BREAK_GLASS: 'breakglass1@contoso.onmicrosoft.com,breakglass2@contoso.onmicrosoft.com',
    MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true',
    MFA_TARGET_METHOD: 'phone',
    MFA_SMS_DELIVERY: 'customerManaged',
    ...journeyGroupSettings,
    ...settings,
  });
}
