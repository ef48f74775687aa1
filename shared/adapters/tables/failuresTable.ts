import { odata, type TableClient } from '@azure/data-tables';
import { operatorHint } from '../../errors/errorCodes.js';
import { toTableError } from './tableErrors.js';

/** One failed user in one wave: what an on-call engineer needs, never a phone number. */
export interface FailureRecord {
  readonly waveId: string;
  readonly userId: string;
  readonly upn: string;
  readonly step: string;
  readonly errorCode: string;
  readonly httpStatus: number | null;
  readonly graphCode: string | null;
  readonly requestId: string | null;
  readonly attempt: number;
  readonly at: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * The only code that reads and writes the failures table (PartitionKey = wave id, RowKey = user id). With many
 * tenants in one storage account, two tenants' waves can start in the same second and so share a wave id: each
 * tenant's partitions then carry its rollout id in front (`<rolloutId>~<waveId>`). A single-tenant rollout keeps the
 * plain wave id, so the failures of waves it ran before are still read.
 */
export class FailuresTable {
  constructor(
    private readonly table: TableClient,
    /** The rollout id of a tenant of a many-tenants deployment; null for a single-tenant rollout. */
    private readonly tenantScope: string | null = null,
  ) {}

  private partitionOf(waveId: string): string {
    return this.tenantScope === null ? waveId : `${this.tenantScope}~${waveId}`;
  }

  async record(failure: Omit<FailureRecord, 'hint'>): Promise<void> {
    const entity: Record<string, unknown> = { partitionKey: this.partitionOf(failure.waveId), rowKey: failure.userId, hint: operatorHint(failure.errorCode) };
    for (const [key, value] of Object.entries(failure)) if (value !== null && key !== 'waveId' && key !== 'userId') entity[key] = value;
    try {
      await this.table.upsertEntity(entity as { partitionKey: string; rowKey: string }, 'Replace');
    } catch (error) {
      throw toTableError(error, `Recording the failure of user ${failure.userId} in wave ${failure.waveId}`);
    }
  }

  async forWave(waveId: string): Promise<FailureRecord[]> {
    const records: FailureRecord[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${this.partitionOf(waveId)}` } })) {
        records.push({
          waveId,
          userId: entity.rowKey ?? '',
          upn: String(entity['upn'] ?? ''),
          step: String(entity['step'] ?? ''),
          errorCode: String(entity['errorCode'] ?? 'INTERNAL'),
          httpStatus: typeof entity['httpStatus'] === 'number' ? entity['httpStatus'] : null,
          graphCode: typeof entity['graphCode'] === 'string' ? entity['graphCode'] : null,
          requestId: typeof entity['requestId'] === 'string' ? entity['requestId'] : null,
          attempt: typeof entity['attempt'] === 'number' ? entity['attempt'] : 0,
          at: String(entity['at'] ?? ''),
          message: String(entity['message'] ?? ''),
          hint: String(entity['hint'] ?? ''),
        });
      }
    } catch (error) {
      throw toTableError(error, `Reading failures of wave ${waveId}`);
    }
    return records;
  }
}
