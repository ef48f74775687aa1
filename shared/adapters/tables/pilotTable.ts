import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { RolloutError } from '../../errors/RolloutError.js';
import { toTableError } from './tableErrors.js';

/** Ids per entity: 36-character GUIDs plus commas stay well under Table Storage's 64 KiB string property. */
const idsPerEntity = 1000;
/** An entity-group transaction holds at most 100 operations: the old list's deletes and the new list's inserts. */
const maxOperations = 100;

/**
 * The imported pilot list (object ids), kept as a few chunk entities in one partition so that replacing it
 * is a single entity-group transaction: an import lands whole or not at all.
 */
export class PilotTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    try {
      for await (const entity of this.table.listEntities<{ ids?: unknown }>({ queryOptions: { filter: odata`PartitionKey eq ${this.rolloutId}` } })) {
        if (typeof entity.ids === 'string' && entity.ids !== '') ids.push(...entity.ids.split(','));
      }
    } catch (error) {
      throw toTableError(error, 'Reading the imported pilot list');
    }
    return ids;
  }

  /** Replaces the whole list atomically. */
  async replace(ids: readonly string[], importedAt: string): Promise<void> {
    const existing: string[] = [];
    try {
      for await (const entity of this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${this.rolloutId}`, select: ['RowKey'] } })) existing.push(entity.rowKey ?? '');
    } catch (error) {
      throw toTableError(error, 'Reading the imported pilot list');
    }
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += idsPerEntity) chunks.push(ids.slice(start, start + idsPerEntity));
    const actions: TransactionAction[] = [];
    chunks.forEach((chunk, index) => {
      actions.push(['upsert', { partitionKey: this.rolloutId, rowKey: `chunk-${String(index).padStart(3, '0')}`, ids: chunk.join(','), importedAt }, 'Replace']);
    });
    const kept = new Set(chunks.map((_chunk, index) => `chunk-${String(index).padStart(3, '0')}`));
    for (const rowKey of existing) if (!kept.has(rowKey)) actions.push(['delete', { partitionKey: this.rolloutId, rowKey }]);
    if (actions.length > maxOperations) {
      throw new RolloutError('CSV_INVALID', `The pilot list is too large to import at once (${ids.length} users; at most ${(maxOperations / 2) * idsPerEntity})`);
    }
    if (actions.length === 0) return;
    try {
      await this.table.submitTransaction(actions);
    } catch (error) {
      throw toTableError(error, 'Saving the imported pilot list');
    }
  }
}
