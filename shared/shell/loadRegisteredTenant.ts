import type { Config } from '../config/configSchema.js';
import { tenantConfig } from '../config/tenantConfig.js';
import { RolloutError } from '../errors/RolloutError.js';
import type { TenantEntry, TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A registered tenant and its config, validated again as it is read (the deployment's settings may have changed
 * since `tenants add`): TENANT_NOT_REGISTERED for an id the registry does not hold, CONFIG_INVALID or
 * BREAK_GLASS_MISSING naming the tenant and the setting for bad settings.
 */
export async function loadRegisteredTenant(deploymentEnv: Environment, registry: TenantRegistryTable, tenantId: string): Promise<{ entry: TenantEntry; config: Config }> {
  const entry = await registry.get(tenantId);
  if (entry === null) throw new RolloutError('TENANT_NOT_REGISTERED', `Tenant ${tenantId.toLowerCase()} is not in the tenant registry`);
  return { entry, config: tenantConfig(deploymentEnv, entry) };
}
