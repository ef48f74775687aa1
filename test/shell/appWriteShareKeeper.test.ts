import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from '@jest/globals';
import { AppWritersTable } from '../../shared/adapters/tables/appWritersTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { keepAppWriteShare } from '../../shared/shell/appWriteShareKeeper.js';
import { uniqueTablePrefix, useAzurite } from '../helpers/azurite.js';

const azurite = useAzurite();
// a 3 s window: the keepers renew every second and an announcement holds 3 s
const limit = { quota: 300, windowSeconds: 3 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function register(label: string): Promise<{ writers: AppWritersTable; table: TableClient }> {
  const table = TableClient.fromConnectionString(azurite().connectionString, `${uniqueTablePrefix(label)}Writers`, { allowInsecureConnection: true });
  const writers = new AppWritersTable(table);
  await writers.ensure();
  return { writers, table };
}

async function rowKeys(table: TableClient): Promise<string[]> {
  const keys: string[] = [];
  for await (const entity of table.listEntities()) keys.push(String(entity.rowKey));
  return keys.sort();
}

describe('the writers\' register shared by the nights of a many-tenants deployment (Azurite)', () => {
  it('gives two nights writing at once half the app\'s limit each, the whole to the one left, and leaves no row behind', async () => {
    const { writers, table } = await register('share');
    const lines: string[] = [];
    const logger = createLogger((_level, line) => lines.push(line));
    const first = keepAppWriteShare({ writers, rolloutId: 'tenant-a', limit, margin: 0.97, logger });
    const second = keepAppWriteShare({ writers, rolloutId: 'tenant-b', limit, margin: 0.97, logger });
    try {
      await first.beforeWrite();
      expect(first.current()).toEqual({ ratePerSecond: expect.closeTo(97, 6), burst: expect.closeTo(4.5, 6), writers: 1 });
      await second.beforeWrite();
      expect(second.current()?.writers).toBe(2);
      expect((await rowKeys(table)).map((key) => key.split('~')[0])).toEqual(['tenant-a', 'tenant-b']);
      // the first night learns of the second at its next renewal (it keeps writing meanwhile)
      await first.beforeWrite();
      await sleep(1_200);
      expect(first.current()).toEqual({ ratePerSecond: expect.closeTo(48.5, 6), burst: expect.closeTo(2.25, 6), writers: 2 });
      await second.stop();
      expect((await rowKeys(table)).map((key) => key.split('~')[0])).toEqual(['tenant-a']);
      await first.beforeWrite();
      await sleep(1_100);
      expect(first.current()?.writers).toBe(1);
    } finally {
      await first.stop();
      await second.stop();
    }
    expect(await rowKeys(table)).toEqual([]);
    expect(lines.filter((line) => line.includes('appShare.unavailable'))).toEqual([]);
  }, 20_000);

  it('lets a night that joins write only once the night already writing has counted it, so their parts never add up to more than the limit', async () => {
    const { writers } = await register('join');
    const logger = createLogger(() => undefined);
    const writing = keepAppWriteShare({ writers, rolloutId: 'tenant-e', limit, margin: 0.97, logger });
    const joining = keepAppWriteShare({ writers, rolloutId: 'tenant-f', limit, margin: 0.97, logger });
    let busy = true;
    try {
      await writing.beforeWrite();
      // the first night writes on (its renewals count the writers every second)
      const writes = (async () => {
        while (busy) {
          await writing.beforeWrite();
          await sleep(50);
        }
      })();
      await sleep(300);
      const began = performance.now();
      await joining.beforeWrite();
      // one and a half renewals: by then the night already writing has renewed and counted the newcomer
      expect(performance.now() - began).toBeGreaterThanOrEqual(1_450);
      expect(writing.current()?.writers).toBe(2);
      expect(joining.current()?.writers).toBe(2);
      expect((writing.current()?.ratePerSecond ?? 0) + (joining.current()?.ratePerSecond ?? 0)).toBeCloseTo(97, 6);
      busy = false;
      await writes;
    } finally {
      busy = false;
      await writing.stop();
      await joining.stop();
    }
  }, 20_000);

  it.each([
    ['skips the join wait when the two nights\' own paces together stay under the limit (40 + 40 of 97/s)', 40, false],
    ['waits when they do not (60 + 60 of 97/s)', 60, true],
  ])('a night joining another %s', async (_label, pacePerSecond, waits) => {
    const { writers, table } = await register(`pace${pacePerSecond}`);
    const logger = createLogger(() => undefined);
    const writing = keepAppWriteShare({ writers, rolloutId: 'tenant-g', limit, margin: 0.97, pacePerSecond, logger });
    const joining = keepAppWriteShare({ writers, rolloutId: 'tenant-h', limit, margin: 0.97, pacePerSecond, logger });
    try {
      await writing.beforeWrite();
      const began = performance.now();
      await joining.beforeWrite();
      const waited = performance.now() - began;
      expect(joining.current()?.writers).toBe(2);
      if (waits) expect(waited).toBeGreaterThanOrEqual(1_450);
      else expect(waited).toBeLessThan(1_000);
      const paces: unknown[] = [];
      for await (const entity of table.listEntities()) paces.push(entity['pacePerSecond']);
      expect(paces).toEqual([pacePerSecond, pacePerSecond]);
    } finally {
      await writing.stop();
      await joining.stop();
    }
  }, 20_000);

  it('does not count a writer whose announcement lapsed (a night that died), and counts an unreadable row, naming it', async () => {
    const { writers, table } = await register('lapsed');
    await writers.announce('tenant-dead~6f1c2a9e-0b7d-4c1e-9a55-3e2f1d0c4b8a', Date.now() - 1);
    await table.upsertEntity({ partitionKey: 'writer', rowKey: 'tenant-odd~0d9e8f7a-6b5c-4d3e-8f21-0a1b2c3d4e5f', expiresAtMs: 'soon' }, 'Replace');
    const lines: string[] = [];
    const keeper = keepAppWriteShare({ writers, rolloutId: 'tenant-c', limit, margin: 0.97, logger: createLogger((_level, line) => lines.push(line)) });
    try {
      await keeper.beforeWrite();
      expect(keeper.current()?.writers).toBe(2);
    } finally {
      await keeper.stop();
    }
    const named = lines.filter((line) => line.includes('appShare.rowUnreadable'));
    expect(named).toHaveLength(1);
    expect(named[0]).toContain('tenant-odd~0d9e8f7a-6b5c-4d3e-8f21-0a1b2c3d4e5f');
  }, 20_000);

  it('writes on with no part when the register cannot be reached, logging it once, and waits for it only once', async () => {
    const unreachable = new AppWritersTable(TableClient.fromConnectionString('DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;', 'noneWriters', { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } }));
    const lines: string[] = [];
    const keeper = keepAppWriteShare({ writers: unreachable, rolloutId: 'tenant-d', limit, margin: 0.97, logger: createLogger((_level, line) => lines.push(line)) });
    try {
      await keeper.beforeWrite();
      expect(keeper.current()).toBeNull();
      const began = performance.now();
      await keeper.beforeWrite();
      expect(performance.now() - began).toBeLessThan(50);
    } finally {
      await keeper.stop();
    }
    expect(lines.filter((line) => line.includes('appShare.unavailable'))).toHaveLength(1);
  }, 20_000);
});
