import type { TableClient } from '@azure/data-tables';
import type { WriterAnnouncement } from '../../core/appWriteShare.js';
import { isNotFound, toTableError } from './tableErrors.js';

const partitionKey = 'writer';

/**
 * The writers' register of a many-tenants deployment, table `<MFA_TABLE_PREFIX>Writers`: one row per tenant night that
 * is writing to Graph now (PartitionKey `writer`, RowKey the writer's id), holding until `expiresAt`. Every instance
 * of the deployment reads the same rows, so each night can take its part of the app's write limit across tenants
 * (`core/appWriteShare.ts`). Times are wall-clock milliseconds, whatever clock the night runs on.
 */
export class AppWritersTable {
  constructor(private readonly table: TableClient) {}

  async ensure(): Promise<void> {
    try {
      await this.table.createTable();
    } catch (error) {
      throw toTableError(error, 'Creating the writers\' register');
    }
  }

  /**
   * Says `writerId` writes until `expiresAtMs` (a new row, or the old one replaced), at most `pacePerSecond` writes a
   * second when it knows that (its own tenant's pace).
   */
  async announce(writerId: string, expiresAtMs: number, pacePerSecond: number | null = null): Promise<void> {
    try {
      await this.table.upsertEntity({ partitionKey, rowKey: writerId, expiresAtMs, ...(pacePerSecond === null ? {} : { pacePerSecond }) }, 'Replace');
    } catch (error) {
      throw toTableError(error, `Announcing writer ${writerId} in the writers' register`);
    }
  }

  /**
   * Every announcement that holds after `nowMs`. A row whose `expiresAtMs` is not a number counts as holding (one
   * writer too many only slows the others a little; one too few could push the app over Graph's limit); a pace that is
   * not a number of at least 0 reads as unknown.
   */
  async listHolding(nowMs: number): Promise<(WriterAnnouncement & { readonly unreadable: boolean })[]> {
    const rows: (WriterAnnouncement & { readonly unreadable: boolean })[] = [];
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${partitionKey}'` } })) {
        const expires = entity['expiresAtMs'];
        const expiresAtMs = typeof expires === 'number' && Number.isFinite(expires) ? expires : Number.POSITIVE_INFINITY;
        const pace = entity['pacePerSecond'];
        const pacePerSecond = typeof pace === 'number' && Number.isFinite(pace) && pace >= 0 ? pace : null;
        if (expiresAtMs > nowMs) rows.push({ writerId: String(entity.rowKey), expiresAtMs, pacePerSecond, unreadable: expiresAtMs === Number.POSITIVE_INFINITY });
      }
    } catch (error) {
      throw toTableError(error, 'Reading the writers\' register');
    }
    return rows;
  }

  /** Removes `writerId`'s row; one already gone is fine. */
  async withdraw(writerId: string): Promise<void> {
    try {
      await this.table.deleteEntity(partitionKey, writerId);
    } catch (error) {
      if (isNotFound(error)) return;
      throw toTableError(error, `Withdrawing writer ${writerId} from the writers' register`);
    }
  }
}
