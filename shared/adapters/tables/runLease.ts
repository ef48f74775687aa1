import type { TableClient } from '@azure/data-tables';
import { RolloutError } from '../../errors/RolloutError.js';
import { isConflict, isNotFound, toTableError } from './tableErrors.js';

const partitionKey = 'lease';

export interface HeldLease {
  readonly holder: string;
  readonly expiresAt: string;
}

export interface Lease {
  readonly holder: string;
  readonly expiresAt: string;
  /** Whether this run took the lease over from a run that let it expire. */
  readonly tookOver: boolean;
  /** Extends the lease; throws LEASE_HELD when another run has taken it meanwhile. */
  renew(now: Date, seconds: number): Promise<void>;
  /** Gives the lease up; a lease already lost is left alone. */
  release(): Promise<void>;
}

/**
 * One lease entity per rollout (PartitionKey `lease`, RowKey = rollout id), taken by conditional insert,
 * or by ETag-guarded replace once the previous holder let it expire. Two runs can never both hold it.
 */
export class RunLease {
  constructor(
    private readonly table: TableClient,
    private readonly rolloutId: string,
  ) {}

  async acquire(holder: string, now: Date, seconds: number): Promise<Lease | { held: HeldLease }> {
    const expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
    const entity = { partitionKey, rowKey: this.rolloutId, holder, expiresAt, acquiredAt: now.toISOString() };
    try {
      const created = await this.table.createEntity(entity);
      return this.leaseFor(holder, expiresAt, created.etag ?? '*', false);
    } catch (error) {
      if (!isConflict(error)) throw toTableError(error, 'Taking the run lease');
    }
    let current: { holder?: unknown; expiresAt?: unknown; etag: string };
    try {
      current = await this.table.getEntity(partitionKey, this.rolloutId);
    } catch (error) {
      if (isNotFound(error)) return this.acquire(holder, now, seconds); // released between our two calls
      throw toTableError(error, 'Reading the run lease');
    }
    const currentExpiry = typeof current.expiresAt === 'string' ? Date.parse(current.expiresAt) : Number.NaN;
    if (Number.isFinite(currentExpiry) && currentExpiry > now.getTime()) {
      return { held: { holder: String(current.holder), expiresAt: String(current.expiresAt) } };
    }
    try {
      const taken = await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
      return this.leaseFor(holder, expiresAt, taken.etag ?? '*', true);
    } catch (error) {
      if (isConflict(error)) {
        const winner = await this.table.getEntity(partitionKey, this.rolloutId).catch(() => undefined);
        return { held: { holder: String(winner?.['holder'] ?? 'another run'), expiresAt: String(winner?.['expiresAt'] ?? '') } };
      }
      throw toTableError(error, 'Taking over the expired run lease');
    }
  }

  private leaseFor(holder: string, initialExpiry: string, initialEtag: string, tookOver: boolean): Lease {
    let etag = initialEtag;
    let expiresAt = initialExpiry;
    const table = this.table;
    const rowKey = this.rolloutId;
    return {
      holder,
      tookOver,
      get expiresAt() {
        return expiresAt;
      },
      async renew(now: Date, seconds: number) {
        const next = new Date(now.getTime() + seconds * 1000).toISOString();
        try {
          const renewed = await table.updateEntity({ partitionKey, rowKey, holder, expiresAt: next, acquiredAt: now.toISOString() }, 'Replace', { etag });
          etag = renewed.etag ?? etag;
          expiresAt = next;
        } catch (error) {
          if (isConflict(error) || isNotFound(error)) {
            throw new RolloutError('LEASE_HELD', `The run lease of rollout ${rowKey} was taken by another run; this run stops`, { cause: error });
          }
          throw toTableError(error, 'Renewing the run lease');
        }
      },
      async release() {
        try {
          await table.deleteEntity(partitionKey, rowKey, { etag });
        } catch (error) {
          if (!isConflict(error) && !isNotFound(error)) throw toTableError(error, 'Releasing the run lease');
        }
      },
    };
  }
}
