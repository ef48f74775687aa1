import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { DirectoryUser, MethodsKnowledge, RolloutProgress, RosterUser } from '../../core/rosterUser.js';
import type { RolloutError } from '../../errors/RolloutError.js';
import { isRolloutError } from '../../errors/RolloutError.js';
import { fromRosterEntity, toDirectoryProperties, toProgressProperties, toSnapshotProperties, type RosterEntity } from './rosterEntity.js';
import { toTableError } from './tableErrors.js';

/** A roster row as read, with the ETag that guards the next progress write. */
export interface RosterRow {
  readonly user: RosterUser;
  readonly etag: string;
  /** The roster refresh that last saw the user in the directory (kept when progress is replaced). */
  readonly seenBy: string | null;
}

/** A row that could not be read: reported by name and skipped, never fatal to the wave. */
export interface CorruptRow {
  readonly corrupt: RolloutError;
  readonly userId: string;
}

const transactionSize = 100;

/** The only code that reads and writes the roster table. */
export class RosterTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  /**
   * Merges the Graph snapshot of many users (insert or merge, 100 per entity-group transaction), marking
   * them seen by this refresh. Methods knowledge and progress are never touched.
   */
  async upsertSnapshots(users: readonly DirectoryUser[], refreshId: string): Promise<void> {
    for (let start = 0; start < users.length; start += transactionSize) {
      const actions: TransactionAction[] = users.slice(start, start + transactionSize).map((user) => [
        'upsert',
        { partitionKey: this.rolloutId, rowKey: user.id, ...toSnapshotProperties(user, true), seenBy: refreshId },
        'Merge',
      ]);
      try {
        await this.table.submitTransaction(actions);
      } catch (error) {
        throw toTableError(error, `Roster refresh (rows ${start + 1}-${start + actions.length})`);
      }
    }
  }

  /** Marks every present row that this refresh did not see as gone from the directory. Returns how many. */
  async markAbsent(refreshId: string): Promise<number> {
    const filter = odata`PartitionKey eq ${this.rolloutId} and present eq true and seenBy ne ${refreshId}`;
    let marked = 0;
    let batch: TransactionAction[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      try {
        await this.table.submitTransaction(batch);
      } catch (error) {
        throw toTableError(error, 'Roster refresh (marking users gone from the directory)');
      }
      marked += batch.length;
      batch = [];
    };
    for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['RowKey'] } })) {
      batch.push(['update', { partitionKey: this.rolloutId, rowKey: entity.rowKey ?? '', present: false }, 'Merge']);
      if (batch.length === transactionSize) await flush();
    }
    await flush();
    return marked;
  }

  /** Every row of the rollout, page by page; corrupt rows come out as CorruptRow instead of stopping the read. */
  async *rows(): AsyncGenerator<RosterRow | CorruptRow> {
    const filter = odata`PartitionKey eq ${this.rolloutId}`;
    try {
      for await (const page of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: 1000 })) {
        for (const entity of page) yield readRow(entity as RosterEntity);
      }
    } catch (error) {
      throw isRolloutError(error) ? error : toTableError(error, 'Reading the roster');
    }
  }

  async get(userId: string): Promise<RosterRow | CorruptRow | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(this.rolloutId, userId);
      return readRow(entity as RosterEntity);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw toTableError(error, `Reading roster row ${userId}`);
    }
  }

  /**
   * Replaces the progress half of a row, guarded by the ETag it was read with (write-ahead intent and
   * outcome records go through here). A concurrent change gives TABLE_CONFLICT; nothing is overwritten.
   */
  async writeProgress(row: RosterRow, progress: RolloutProgress): Promise<RosterRow> {
    const { directory, present } = row.user;
    const entity = {
      partitionKey: this.rolloutId,
      rowKey: directory.id,
      ...toDirectoryProperties(directory, present),
      ...toProgressProperties(progress),
      ...(row.seenBy === null ? {} : { seenBy: row.seenBy }),
    };
    try {
      const response = await this.table.updateEntity(entity, 'Replace', { etag: row.etag });
      return { user: { ...row.user, progress }, etag: response.etag ?? row.etag, seenBy: row.seenBy };
    } catch (error) {
      throw toTableError(error, `Recording ${progress.state} for user ${directory.id}`);
    }
  }

  /** Records what a methods probe found (merge, no ETag: it only adds knowledge). */
  async recordMethods(userId: string, methods: MethodsKnowledge, checkedAt: string): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey: this.rolloutId, rowKey: userId, methods, methodsCheckedAt: checkedAt }, 'Merge');
    } catch (error) {
      throw toTableError(error, `Recording authentication methods of user ${userId}`);
    }
  }
}

export function isCorruptRow(row: RosterRow | CorruptRow): row is CorruptRow {
  return 'corrupt' in row;
}

function readRow(entity: RosterEntity): RosterRow | CorruptRow {
  try {
    return { user: fromRosterEntity(entity), etag: entity.etag ?? '*', seenBy: typeof entity['seenBy'] === 'string' ? entity['seenBy'] : null };
  } catch (error) {
    if (isRolloutError(error)) return { corrupt: error, userId: entity.rowKey };
    throw error;
  }
}

