import type { TableClient } from '@azure/data-tables';
import { RolloutError } from '../../errors/RolloutError.js';
import { isNotFound, toTableError } from './tableErrors.js';

/** One customer tenant of a many-tenants deployment, as the registry holds it. */
export interface TenantEntry {
  /** Directory (tenant) id, lower case: the row key. */
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** App-setting name -> value overriding the deployment's, for this tenant only (never a secret). */
  readonly settings: Readonly<Record<string, string>>;
  readonly addedAt: string;
  readonly updatedAt: string;
  readonly disabledAt: string | null;
  /** The last night (`YYYY-MM-DD`) the fan-out enqueued this tenant for; null before the first. */
  readonly lastEnqueuedNight: string | null;
  /**
   * The last night the tenant's night ran and how long (s), as its night recorded it: the fan-out's estimate of
   * tonight's length (`fanOutOrder`). Null before the first, and for a value that is not a night and a number of
   * seconds: an ordering hint, never a reason to refuse the tenant.
   */
  readonly lastNight: { readonly night: string; readonly seconds: number } | null;
}

const partitionKey = 'tenant';

/**
 * The only code that reads and writes the tenant registry, table `<MFA_TABLE_PREFIX>Tenants`: PartitionKey `tenant`,
 * RowKey the tenant id (lower case); `settings` is a JSON object of strings. A row that cannot be read is reported
 * by its row key, never skipped in silence.
 */
export class TenantRegistryTable {
  constructor(private readonly table: TableClient) {}

  /** Writes the entry whole (add, or replace an existing one). */
  async save(entry: TenantEntry): Promise<void> {
    try {
      await this.table.upsertEntity(toEntity(entry), 'Replace');
    } catch (error) {
      throw toTableError(error, `Saving tenant ${entry.tenantId} in the registry`);
    }
  }

  async get(tenantId: string): Promise<TenantEntry | null> {
    let entity: Record<string, unknown>;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(partitionKey, tenantId.toLowerCase());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toTableError(error, `Reading tenant ${tenantId} from the registry`);
    }
    return fromEntity(entity);
  }

  /** Every registered tenant, by tenant id; a row that cannot be read is named in `unreadable` and the others still listed. */
  async list(): Promise<{ entries: TenantEntry[]; unreadable: RolloutError[] }> {
    const entries: TenantEntry[] = [];
    const unreadable: RolloutError[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${partitionKey}'` } })) {
        try {
          entries.push(fromEntity(entity));
        } catch (error) {
          unreadable.push(error as RolloutError);
        }
      }
    } catch (error) {
      throw toTableError(error, 'Listing the tenant registry');
    }
    return { entries: entries.sort((a, b) => a.tenantId.localeCompare(b.tenantId)), unreadable };
  }

  /** Records the night the fan-out enqueued the tenant for (merge: the operator's edits of the entry stay). */
  async markEnqueued(tenantId: string, night: string): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey, rowKey: tenantId.toLowerCase(), lastEnqueuedNight: night }, 'Merge');
    } catch (error) {
      throw toTableError(error, `Recording tonight's message of tenant ${tenantId}`);
    }
  }

  /** Records how long the tenant's night ran (merge: the operator's edits of the entry stay). */
  async markNightRan(tenantId: string, night: string, seconds: number): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey, rowKey: tenantId.toLowerCase(), lastNightRan: night, lastNightSeconds: Math.round(seconds * 10) / 10 }, 'Merge');
    } catch (error) {
      throw toTableError(error, `Recording how long tenant ${tenantId}'s night ran`);
    }
  }
}

function toEntity(entry: TenantEntry): { partitionKey: string; rowKey: string } & Record<string, unknown> {
  return {
    partitionKey,
    rowKey: entry.tenantId.toLowerCase(),
    displayName: entry.displayName,
    enabled: entry.enabled,
    settings: JSON.stringify(entry.settings),
    addedAt: entry.addedAt,
    updatedAt: entry.updatedAt,
    ...(entry.disabledAt === null ? {} : { disabledAt: entry.disabledAt }),
    ...(entry.lastEnqueuedNight === null ? {} : { lastEnqueuedNight: entry.lastEnqueuedNight }),
    ...(entry.lastNight === null ? {} : { lastNightRan: entry.lastNight.night, lastNightSeconds: entry.lastNight.seconds }),
  };
}

function fromEntity(entity: Record<string, unknown>): TenantEntry {
  const rowKey = String(entity['rowKey'] ?? '');
  const corrupt = (field: string) => new RolloutError('ROW_CORRUPT', `Tenant registry row ${rowKey} is unreadable: field '${field}' is missing or of the wrong type`);
  if (typeof entity['enabled'] !== 'boolean') throw corrupt('enabled');
  let settings: unknown;
  try {
    settings = JSON.parse(String(entity['settings'] ?? '{}'));
  } catch {
    throw corrupt('settings');
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings) || !Object.values(settings).every((value) => typeof value === 'string')) throw corrupt('settings');
  return {
    tenantId: rowKey,
    displayName: typeof entity['displayName'] === 'string' ? entity['displayName'] : '',
    enabled: entity['enabled'],
    settings: settings as Record<string, string>,
    addedAt: String(entity['addedAt'] ?? ''),
    updatedAt: String(entity['updatedAt'] ?? ''),
    disabledAt: typeof entity['disabledAt'] === 'string' ? entity['disabledAt'] : null,
    lastEnqueuedNight: typeof entity['lastEnqueuedNight'] === 'string' ? entity['lastEnqueuedNight'] : null,
    lastNight: lastNightOf(entity),
  };
}

function lastNightOf(entity: Record<string, unknown>): TenantEntry['lastNight'] {
  const [night, seconds] = [entity['lastNightRan'], entity['lastNightSeconds']];
  if (typeof night !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(night)) return null;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { night, seconds } : null;
}
