import type { DeploymentConfig } from '../config/loadConfig.js';
import { createTableClient } from '../adapters/tables/tableClients.js';
import { TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';
import { toTablesAccessError } from '../adapters/tables/toTablesAccessError.js';

/** The tenant registry (`<MFA_TABLE_PREFIX>Tenants`) of a many-tenants deployment, created on first use. */
export async function openTenantRegistry(deployment: DeploymentConfig): Promise<TenantRegistryTable> {
  const client = createTableClient(deployment, 'Tenants');
  await client.createTable().catch((error: unknown) => {
    throw toTablesAccessError(error, deployment);
  });
  return new TenantRegistryTable(client);
}
