import type { TableClient } from '@azure/data-tables';
import type { SetupWrite } from '../../core/posture/planPasskeySetup.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { isNotFound, toTableError } from './tableErrors.js';

/** One `setup-passkeys --apply`: the writes it made, each with the before-state `--restore` puts back. */
export interface SetupRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly runId: string;
  readonly targetMethod: string;
  readonly campaignMode: string;
  readonly writes: readonly SetupWrite[];
  /** Set once every write landed (null: the apply stopped part way; restore still puts back what it wrote). */
  readonly appliedAt: string | null;
  readonly restoredAt: string | null;
}

/**
 * The only code that reads and writes the setup table (PartitionKey = rollout id, RowKey = setup id). The writes are
 * one JSON property: the methods policy is at most 20 KB, well within Table Storage's 64 KiB string property.
 */
export class SetupTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  async save(record: SetupRecord): Promise<void> {
    const { id, writes, appliedAt, restoredAt, ...rest } = record;
    try {
      await this.table.upsertEntity(
        { partitionKey: this.rolloutId, rowKey: id, ...rest, writes: JSON.stringify(writes), ...(appliedAt === null ? {} : { appliedAt }), ...(restoredAt === null ? {} : { restoredAt }) },
        'Replace',
      );
    } catch (error) {
      throw toTableError(error, `Recording setup ${id}`);
    }
  }

  /** The record, or SETUP_NOT_FOUND naming the id. */
  async get(id: string): Promise<SetupRecord> {
    let entity: Record<string, unknown>;
    try {
      entity = await this.table.getEntity<Record<string, unknown>>(this.rolloutId, id);
    } catch (error) {
      if (isNotFound(error)) throw new RolloutError('SETUP_NOT_FOUND', `setup-passkeys: no setup '${id}' was recorded for rollout ${this.rolloutId}`);
      throw toTableError(error, `Reading setup ${id}`);
    }
    let writes: unknown;
    try {
      writes = JSON.parse(String(entity['writes'] ?? ''));
    } catch {
      writes = undefined;
    }
    if (!Array.isArray(writes)) throw new RolloutError('ROW_CORRUPT', `setup ${id}: the recorded writes cannot be read`);
    return {
      id,
      createdAt: String(entity['createdAt'] ?? ''),
      runId: String(entity['runId'] ?? ''),
      targetMethod: String(entity['targetMethod'] ?? ''),
      campaignMode: String(entity['campaignMode'] ?? ''),
      writes: writes as SetupWrite[],
      appliedAt: typeof entity['appliedAt'] === 'string' ? entity['appliedAt'] : null,
      restoredAt: typeof entity['restoredAt'] === 'string' ? entity['restoredAt'] : null,
    };
  }
}
