import type { Config } from '../../config/configSchema.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { entraErrorCodes } from './entraErrorCodes.js';

/**
 * Entra's answers that mean "this tenant has not let the app in" (docs/graph-behaviour.md#multi-tenant-apps):
 * AADSTS7000229, the client application is missing a service principal in the tenant (client credentials of an app
 * never consented there), AADSTS700016, the application was not found in the directory (the same, as other flows
 * say it), and AADSTS65001, the user or administrator has not consented to use the application.
 */
const consentCodes = [7000229, 700016, 65001] as const;

const reasons: Readonly<Record<(typeof consentCodes)[number], string>> = {
  7000229: 'the app has no service principal in its directory (AADSTS7000229: never consented there)',
  700016: 'the app is not in its directory (AADSTS700016: never consented there)',
  65001: 'the app has no admin consent there (AADSTS65001)',
};

type ConsentConfig = Pick<Config, 'tenantId' | 'clientId' | 'authorityHost'>;

/** The admin-consent URL of the app in the tenant: a Global Administrator of that tenant opens it and accepts. */
export function adminConsentUrl(config: ConsentConfig): string {
  const authority = config.authorityHost.replace(/\/+$/, '');
  return `${authority}/${encodeURIComponent(config.tenantId ?? 'organizations')}/adminconsent?client_id=${encodeURIComponent(config.clientId ?? '')}`;
}

/**
 * TENANT_NOT_CONSENTED naming the tenant and its consent URL when a credential's failure carries one of Entra's
 * consent codes (`entraErrorCodes`), else null.
 */
export function consentRefusal(error: unknown, config: ConsentConfig): RolloutError | null {
  const found = entraErrorCodes(error);
  const code = consentCodes.find((candidate) => found.includes(candidate));
  if (code === undefined) return null;
  const why = reasons[code];
  return new RolloutError(
    'TENANT_NOT_CONSENTED',
    `Tenant ${config.tenantId ?? '?'} refused a token to app ${config.clientId ?? '?'}: ${why}. A Global Administrator of the tenant grants it at ${adminConsentUrl(config)}`,
    { cause: error },
  );
}
