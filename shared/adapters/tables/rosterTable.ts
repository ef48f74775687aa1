import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { TapRecord } from '../../core/journey/journeyTypes.js';
import type { DirectoryUser, MethodsKnowledge, RolloutProgress, RosterUser } from '../../core/rosterUser.js';
import type { RolloutError } from '../../errors/RolloutError.js';
import { isRolloutError } from '../../errors/RolloutError.js';
import { fromRosterEntity, tapRecordOf, toDirectoryProperties, toProgressProperties, toSnapshotProperties, toTapProperties, type RosterEntity } from './rosterEntity.js';
import { toTableError } from './tableErrors.js';

/** A roster row as read, with the ETag that guards the next progress write. */
export interface RosterRow {
  readonly user: RosterUser;
  readonly etag: string;
  /** The roster refresh that last saw the user in the directory (kept when progress is replaced). */
  readonly seenBy: string | null;
  /** Temporary Access Passes issued to the user by `mfa-rollout issue-tap` (kept when progress is replaced). */
  readonly tap: TapRecord | null;
}

/** A row that could not be read: reported by name and skipped, never fatal to the wave. */
export interface CorruptRow {
  readonly corrupt: RolloutError;
  readonly userId: string;
}

const transactionSize = 100;

/** Roster rows are spread over this many partitions per rollout (see rosterPartitionKey). */
export const rosterPartitions = 64;

/**
 * The roster partition of a user: `<rolloutId>~<bucket>`, the bucket a stable hash of the user id. One rollout
 * is many partitions, so no single partition holds 100,000 rows (Table Storage scales per partition, and
 * Azurite re-reads a whole partition on every write); `~` cannot occur in a rollout id, so the range
 * `<rolloutId>~` .. `<rolloutId>~~` holds exactly this rollout's rows.
 */
export function rosterPartitionKey(rolloutId: string, userId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < userId.length; index += 1) hash = Math.imul(hash ^ userId.charCodeAt(index), 0x01000193) >>> 0;
  return `${rolloutId}~${(hash % rosterPartitions).toString(16).padStart(2, '0')}`;
}

/** The only code that reads and writes the roster table. */
export class RosterTable {
  private readonly inRollout: string;

  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {
    this.inRollout = odata`PartitionKey ge ${`${rolloutId}~`} and PartitionKey lt ${`${rolloutId}~~`}`;
  }

  private partitionOf(userId: string): string {
    return rosterPartitionKey(this.rolloutId, userId);
  }

  /**
   * Merges the Graph snapshot of many users (insert or merge, 100 per entity-group transaction), marking
   * them seen by this refresh. Methods knowledge and progress are never touched.
   */
  async upsertSnapshots(users: readonly DirectoryUser[], refreshId: string): Promise<void> {
    // an entity-group transaction stays within one partition
    const byPartition = new Map<string, TransactionAction[]>();
    for (const user of users) {
      const partitionKey = this.partitionOf(user.id);
      const actions = byPartition.get(partitionKey) ?? [];
      actions.push(['upsert', { partitionKey, rowKey: user.id, ...toSnapshotProperties(user, true), seenBy: refreshId }, 'Merge']);
      byPartition.set(partitionKey, actions);
    }
    for (const [partitionKey, actions] of byPartition) {
      for (let start = 0; start < actions.length; start += transactionSize) {
        try {
          await this.table.submitTransaction(actions.slice(start, start + transactionSize));
        } catch (error) {
          throw toTableError(error, `Roster refresh (partition ${partitionKey})`);
        }
      }
    }
  }

  /** Marks every present row that this refresh did not see as gone from the directory. Returns how many. */
  async markAbsent(refreshId: string): Promise<number> {
    const filter = `${this.inRollout} and ${odata`present eq true and seenBy ne ${refreshId}`}`;
    const gone: { partitionKey: string; rowKey: string }[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
        gone.push({ partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '' });
      }
      for (const { partitionKey, rowKey } of gone) await this.table.updateEntity({ partitionKey, rowKey, present: false }, 'Merge');
    } catch (error) {
      throw toTableError(error, 'Roster refresh (marking users gone from the directory)');
    }
    return gone.length;
  }

  /** Every row of the rollout, page by page; corrupt rows come out as CorruptRow instead of stopping the read. */
  async *rows(): AsyncGenerator<RosterRow | CorruptRow> {
    try {
      for await (const page of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: this.inRollout } }).byPage({ maxPageSize: 1000 })) {
        for (const entity of page) yield readRow(entity as RosterEntity);
      }
    } catch (error) {
      throw isRolloutError(error) ? error : toTableError(error, 'Reading the roster');
    }
  }

  async get(userId: string): Promise<RosterRow | CorruptRow | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(this.partitionOf(userId), userId);
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
      partitionKey: this.partitionOf(directory.id),
      rowKey: directory.id,
      ...toDirectoryProperties(directory, present),
      ...toProgressProperties(progress),
      ...(row.seenBy === null ? {} : { seenBy: row.seenBy }),
      ...toTapProperties(row.tap),
    };
    try {
      const response = await this.table.updateEntity(entity, 'Replace', { etag: row.etag });
      return { user: { ...row.user, progress }, etag: response.etag ?? row.etag, seenBy: row.seenBy, tap: row.tap };
    } catch (error) {
      throw toTableError(error, `Recording ${progress.state} for user ${directory.id}`);
    }
  }

  /**
   * Records that a Temporary Access Pass was issued (the record, never the pass), merged onto the row guarded by the
   * ETag it was read with, so the count cannot skip one; TABLE_CONFLICT when the row changed since (read it again).
   */
  async recordTapIssued(row: RosterRow, tap: TapRecord): Promise<RosterRow> {
    const userId = row.user.directory.id;
    try {
      const response = await this.table.updateEntity({ partitionKey: this.partitionOf(userId), rowKey: userId, ...toTapProperties(tap) }, 'Merge', { etag: row.etag });
      return { ...row, etag: response.etag ?? row.etag, tap };
    } catch (error) {
      throw toTableError(error, `Recording the Temporary Access Pass issued to user ${userId}`);
    }
  }

  /** Records what a methods probe found (merge, no ETag: it only adds knowledge). */
  async recordMethods(userId: string, methods: MethodsKnowledge, checkedAt: string): Promise<void> {
    try {
      await this.table.updateEntity({ partitionKey: this.partitionOf(userId), rowKey: userId, methods, methodsCheckedAt: checkedAt }, 'Merge');
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
    return { user: fromRosterEntity(entity), etag: entity.etag ?? '*', seenBy: typeof entity['seenBy'] === 'string' ? entity['seenBy'] : null, tap: tapRecordOf(entity) };
  } catch (error) {
    if (isRolloutError(error)) return { corrupt: error, userId: entity.rowKey };
    throw error;
  }
}

