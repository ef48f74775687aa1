import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { toTableError } from './tableErrors.js';

/** One announcement: who is told, when, and from when MFA applies to them. */
export interface Notice {
  readonly userId: string;
  readonly upn: string;
  readonly waveId: string;
  readonly announcedAt: string;
  readonly enforceFrom: string;
  readonly mailedAt: string | null;
  /**
   * Why the notice was not mailed (yet): `noMailAddress` (the user has no `mail`), `noMailbox` (MFA_NOTICE_MAILBOX is
   * not set), `dailyLimit` or `timeBudget` (deferred: a later night mails it), or the error code of a failed send.
   * Null once mailed, or while it still may be. Listed in `mfa-rollout notices --csv` for comms.
   */
  readonly notMailedReason?: string | null;
}

/** The only code that reads and writes the notices table (PartitionKey = rollout id, RowKey = user id). */
export class NoticesTable {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  async save(notices: readonly Notice[]): Promise<void> {
    for (let start = 0; start < notices.length; start += 100) {
      const actions: TransactionAction[] = notices.slice(start, start + 100).map((notice) => {
        const { userId, mailedAt, notMailedReason, ...rest } = notice;
        return ['upsert', { partitionKey: this.rolloutId, rowKey: userId, ...rest, ...(mailedAt === null ? {} : { mailedAt }), ...(notMailedReason === null || notMailedReason === undefined ? {} : { notMailedReason }) }, 'Replace'];
      });
      try {
        await this.table.submitTransaction(actions);
      } catch (error) {
        throw toTableError(error, 'Recording notices');
      }
    }
  }

  async *all(): AsyncGenerator<Notice> {
    try {
      for await (const entity of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${this.rolloutId}` } })) {
        yield {
          userId: entity.rowKey ?? '',
          upn: String(entity['upn'] ?? ''),
          waveId: String(entity['waveId'] ?? ''),
          announcedAt: String(entity['announcedAt'] ?? ''),
          enforceFrom: String(entity['enforceFrom'] ?? ''),
          mailedAt: typeof entity['mailedAt'] === 'string' ? entity['mailedAt'] : null,
          notMailedReason: typeof entity['notMailedReason'] === 'string' ? entity['notMailedReason'] : null,
        };
      }
    } catch (error) {
      throw toTableError(error, 'Reading notices');
    }
  }
}
