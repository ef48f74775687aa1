import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { AzureCliCredential, ChainedTokenCredential, ManagedIdentityCredential } from '@azure/identity';
import type { Config } from '../../config/configSchema.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { toTablesAccessError } from './toTablesAccessError.js';

export interface RolloutTables {
  readonly roster: TableClient;
  readonly waves: TableClient;
  readonly failures: TableClient;
  readonly lease: TableClient;
  readonly notices: TableClient;
  readonly pilot: TableClient;
  readonly posture: TableClient;
  readonly setup: TableClient;
}

type TablesConfig = Pick<Config, 'tablesConnection' | 'tablesEndpoint' | 'tablePrefix' | 'managedIdentityClientId'>;

const tableSuffixes = { roster: 'Roster', waves: 'Waves', failures: 'Failures', lease: 'Lease', notices: 'Notices', pilot: 'Pilot', posture: 'Posture', setup: 'Setup' } as const;

/**
 * One TableClient per table, from a connection string (Azurite, or a storage key) or from the table
 * endpoint with the managed identity. Plain http is accepted only on loopback (Azurite).
 */
export function createRolloutTables(config: TablesConfig): RolloutTables {
  const make = (suffix: string): TableClient => createTableClient(config, suffix);
  return {
    roster: make(tableSuffixes.roster),
    waves: make(tableSuffixes.waves),
    failures: make(tableSuffixes.failures),
    lease: make(tableSuffixes.lease),
    notices: make(tableSuffixes.notices),
    pilot: make(tableSuffixes.pilot),
    posture: make(tableSuffixes.posture),
    setup: make(tableSuffixes.setup),
  };
}

/** The client of table `<prefix><suffix>`, from the connection string or the endpoint with the managed identity (or `az login`). */
export function createTableClient(config: TablesConfig, suffix: string): TableClient {
  const tableName = `${config.tablePrefix}${suffix}`;
  if (config.tablesConnection !== undefined) {
    const options: TableServiceClientOptions = { allowInsecureConnection: isLoopbackHttp(config.tablesConnection) };
    return TableClient.fromConnectionString(config.tablesConnection, tableName, options);
  }
  if (config.tablesEndpoint === undefined) throw new Error('MFA_TABLES_CONNECTION or MFA_TABLES_ENDPOINT is required');
  const managedIdentity = config.managedIdentityClientId === undefined
    ? new ManagedIdentityCredential()
    : new ManagedIdentityCredential({ clientId: config.managedIdentityClientId });
  // In Azure the function's managed identity; on an operator's workstation (mfa-rollout report, resume,
  // rollback) their own `az login`, which needs the Storage Table Data Contributor role on the account.
  return new TableClient(config.tablesEndpoint, tableName, new ChainedTokenCredential(managedIdentity, new AzureCliCredential()));
}

/** Creates the tables on first use; an existing table is fine. */
export async function ensureRolloutTables(tables: RolloutTables): Promise<void> {
  await Promise.all(Object.values(tables).map((table: TableClient) => table.createTable()));
}

/**
 * The tables of one rollout, created when missing. Every failure names the setting at fault: a connection string
 * the SDK cannot read is CONFIG_INVALID, refused credentials TABLE_AUTH_FAILED, an unreachable account TABLE_UNAVAILABLE.
 */
export async function openRolloutTables(config: TablesConfig): Promise<RolloutTables> {
  let tables: RolloutTables;
  try {
    tables = createRolloutTables(config);
  } catch (error) {
    // the SDK's message may quote the connection string, key included: never shown
    throw new RolloutError('CONFIG_INVALID', 'Invalid configuration:\nMFA_TABLES_CONNECTION: expected a Table Storage connection string (UseDevelopmentStorage=true for Azurite, or DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<key>;EndpointSuffix=core.windows.net)', { cause: error });
  }
  try {
    await ensureRolloutTables(tables);
  } catch (error) {
    throw toTablesAccessError(error, config);
  }
  return tables;
}

function isLoopbackHttp(connectionString: string): boolean {
  if (/usedevelopmentstorage=true/i.test(connectionString)) return true;
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/i.exec(connectionString)?.[1];
  if (endpoint === undefined) return false;
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}
