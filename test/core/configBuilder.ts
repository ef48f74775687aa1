import type { Config } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { journeyGroupSettings } from '../helpers/testConfig.js';

export const breakGlassUpn = 'breakglass1@contoso.onmicrosoft.com';
export const breakGlassId = 'bbbbbbbb-0000-4000-8000-000000000001';
export const pilotGroupId = '11111111-1111-4111-8111-111111111111';
export const exclusionGroupId = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
export const itGroupId = '22222222-2222-4222-8222-222222222222';

/**
 * A Config as the app would load it: the two required settings plus the given app settings. The core tests state
 * the planner's rules on the phone track (MFA_TARGET_METHOD=phone, a customer-managed SMS provider, so no date
 * ends the bridge); tests of the passkey track pass `passkeyTrack` (the product's default) or their own settings.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    MFA_BREAK_GLASS: `${breakGlassUpn},${breakGlassId}`,
    MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true',
    MFA_TARGET_METHOD: 'phone',
    MFA_SMS_DELIVERY: 'customerManaged',
    ...journeyGroupSettings,
    ...env,
  });
}

/** The product's default track: passkeys, the campaign in waves, Microsoft's SMS delivery ending on its date. */
export const passkeyTrack = { MFA_TARGET_METHOD: 'passkey', MFA_SMS_DELIVERY: 'microsoft' } as const;
