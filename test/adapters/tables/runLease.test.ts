import { describe, expect, it } from '@jest/globals';
import { createRolloutTables, ensureRolloutTables } from '../../../shared/adapters/tables/tableClients.js';
import { RunLease, type Lease } from '../../../shared/adapters/tables/runLease.js';
import { uniqueTablePrefix, useAzurite } from '../../helpers/azurite.js';
import { testConfig } from '../../helpers/testConfig.js';

const azurite = useAzurite();
const t0 = new Date('2026-11-25T01:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function leaseTable(label: string) {
  const tables = createRolloutTables(testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix(label) }));
  await ensureRolloutTables(tables);
  return new RunLease(tables.lease, 'r1');
}

function isLease(result: Lease | { held: unknown }): result is Lease {
  return !('held' in result);
}

describe('RunLease', () => {
  it('a second run is refused while the first holds the lease, and told who holds it', async () => {
    const lease = await leaseTable('second');
    const first = await lease.acquire('run-a', t0, 300);
    expect(isLease(first)).toBe(true);
    const second = await lease.acquire('run-b', later(10), 300);
    expect(second).toEqual({ held: { holder: 'run-a', expiresAt: later(300).toISOString() } });
  });

  it('two runs racing for a free lease: exactly one wins', async () => {
    const lease = await leaseTable('race');
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => lease.acquire(`run-${index}`, t0, 300)));
    expect(results.filter(isLease)).toHaveLength(1);
  });

  it('a lease left by a dead run is taken over after it expires, and the dead run cannot renew it', async () => {
    const lease = await leaseTable('expired');
    const dead = await lease.acquire('run-dead', t0, 60);
    const taken = await lease.acquire('run-new', later(61), 60);
    expect(isLease(taken) && taken.tookOver).toBe(true);
    if (!isLease(dead)) throw new Error('expected a lease');
    await expect(dead.renew(later(62), 60)).rejects.toMatchObject({ code: 'LEASE_HELD' });
  });

  it('renewing extends the lease; releasing frees it for the next run', async () => {
    const lease = await leaseTable('renew');
    const first = await lease.acquire('run-a', t0, 60);
    if (!isLease(first)) throw new Error('expected a lease');
    await first.renew(later(50), 60);
    expect(await lease.acquire('run-b', later(100), 60)).toMatchObject({ held: { holder: 'run-a' } });
    await first.release();
    expect(isLease(await lease.acquire('run-b', later(101), 60))).toBe(true);
  });
});
