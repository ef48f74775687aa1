import { RolloutError } from '../errors/RolloutError.js';
import { secretEnvNames, settings, type Config, type SettingKey } from './configSchema.js';
import { loadConfig } from './loadConfig.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** What a registry entry is, for building its config: the id (row key), its name, its overrides. */
export interface TenantSettingsSource {
  readonly tenantId: string;
  readonly displayName: string;
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * Settings a registry entry may not override, and why: they belong to the deployment (its storage, its identity, its
 * queue), or the registry sets them itself. Secrets are refused on top of these (`secretEnvNames`).
 */
export const deploymentOnlySettings: Readonly<Partial<Record<SettingKey, string>>> = {
  rolloutId: 'the registry sets it to the tenant id (each tenant its own partition of every table)',
  tenantId: 'the registry sets it: the entry\'s tenant id',
  tablesConnection: 'the deployment\'s tables hold every tenant',
  tablesEndpoint: 'the deployment\'s tables hold every tenant',
  tablePrefix: 'the deployment\'s tables hold every tenant',
  authMode: 'one identity for the deployment: the multi-tenant app (federated, or its secret)',
  managedIdentityClientId: 'the deployment\'s managed identity',
  multiTenant: 'a switch of the deployment',
  tenantQueue: 'the deployment\'s queue',
  graphAppWriteQuota: 'the app\'s write limit across tenants is the deployment\'s, shared by every tenant',
  graphAppWriteWindowSeconds: 'the app\'s write limit across tenants is the deployment\'s, shared by every tenant',
};

/**
 * Settings a tenant never inherits from the deployment: object ids, names and accounts of one directory, which mean
 * nothing (or someone else) in another. A tenant that needs one sets it in its entry; MFA_BREAK_GLASS is required there.
 */
export const tenantOnlySettings: readonly SettingKey[] = [
  'breakGlass', 'caGroupId', 'exclusionGroupId', 'pilotGroupId', 'pilotUsers', 'rings', 'noticeMailbox',
  'campaignGroupId', 'phishingResistantGroupId', 'phoneRetiredGroupId', 'defaultPhoneRegion',
];

const byEnv = new Map(Object.entries(settings).map(([key, definition]) => [definition.env, key as SettingKey]));

/** Why a registry entry may not set this app setting, or null when it may. Names only, never the value. */
export function tenantSettingRefusal(name: string): string | null {
  if (secretEnvNames.has(name)) return 'a secret: never stored in the registry (the deployment\'s app settings or Key Vault hold it)';
  const key = byEnv.get(name);
  if (key === undefined) return 'not a setting of the rollout (see the README settings table)';
  return deploymentOnlySettings[key] === undefined ? null : `a deployment setting: ${deploymentOnlySettings[key]}`;
}

/** Refuses an entry's settings that name a secret, a deployment setting or no setting (RolloutError CONFIG_INVALID). */
export function checkTenantSettingNames(tenant: Pick<TenantSettingsSource, 'tenantId' | 'displayName'>, names: Iterable<string>): void {
  const lines = [...names].flatMap((name) => {
    const refusal = tenantSettingRefusal(name);
    return refusal === null ? [] : [`${name}: refused in a tenant's settings (${refusal})`];
  });
  if (lines.length > 0) throw new RolloutError('CONFIG_INVALID', `${describeTenant(tenant)}: ${lines.join('\n')}`);
}

/**
 * One tenant's config: the deployment's app settings (less the ones only a tenant can give, `tenantOnlySettings`),
 * the entry's overrides, MFA_TENANT_ID and MFA_ROLLOUT_ID set to the tenant id, validated by the same `loadConfig`.
 * Every error names the tenant (CONFIG_INVALID or BREAK_GLASS_MISSING, with the setting at fault).
 */
export function tenantConfig(deploymentEnv: Environment, tenant: TenantSettingsSource): Config {
  checkTenantSettingNames(tenant, Object.keys(tenant.settings));
  const inherited: Record<string, string | undefined> = { ...deploymentEnv };
  for (const key of tenantOnlySettings) delete inherited[settings[key].env];
  const id = tenant.tenantId.toLowerCase();
  try {
    return loadConfig({ ...inherited, ...tenant.settings, [settings.tenantId.env]: id, [settings.rolloutId.env]: id, [settings.multiTenant.env]: 'true' });
  } catch (error) {
    if (!(error instanceof RolloutError)) throw error;
    const { problems } = error as { problems?: unknown };
    throw Object.assign(new RolloutError(error.code, `${describeTenant(tenant)}: ${error.message}`, { cause: error }), problems === undefined ? {} : { problems });
  }
}

/** `Tenant <id> (<display name>)`: how every message about one tenant starts. */
export function describeTenant(tenant: Pick<TenantSettingsSource, 'tenantId' | 'displayName'>): string {
  return tenant.displayName === '' ? `Tenant ${tenant.tenantId}` : `Tenant ${tenant.tenantId} (${tenant.displayName})`;
}
