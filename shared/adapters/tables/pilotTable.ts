import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { RolloutError } from '../../errors/RolloutError.js';
import { toTableError } from './tableErrors.js';

/**
 * Ids per entity, in one string property. Table Storage takes a string of up to 64 KiB of UTF-16, "about 32 K
 * characters or less" (Understanding the Table service data model,
 * https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model); Azurite refuses
 * 32,769 characters with 400 PropertyValueTooLarge. 800 object ids (36-character GUIDs) and their commas are 29,599
 * characters (1,000 were 36,999: a list of more than 885 users could not be imported).
 */
const idsPerEntity = 800;
/** An entity-group transaction holds at most 100 operations: the old list's deletes and the new list's inserts. */
const maxOperations = 100;
/** The most ids one import takes (40,000). */
const maxIds = (maxOperations / 2) * idsPerEntity;

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

  /**
   * Replaces the whole list atomically. At most `maxIds`: a list of up to half the transaction's operations in chunks
   * leaves the other half for the deletes of a previous list, which was no longer.
   */
  async replace(ids: readonly string[], importedAt: string): Promise<void> {
    if (ids.length > maxIds) throw new RolloutError('CSV_INVALID', `The pilot list is too large to import at once (${ids.length} users; at most ${maxIds}); nothing was imported`);
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
      // only when the table holds more chunks than any import writes (rows added by hand)
      throw new RolloutError('CSV_INVALID', `The pilot list table holds ${existing.length} chunk rows for this rollout, more than one transaction can replace with the new list (at most ${maxOperations} operations); nothing was imported: remove the rows by hand`);
    }
    if (actions.length === 0) return;
    try {
      await this.table.submitTransaction(actions);
    } catch (error) {
      throw toTableError(error, 'Saving the imported pilot list');
    }
  }
}
