import { afterAll, beforeAll } from '@jest/globals';
import { startAzurite, type AzuriteHandle, type AzuriteOptions } from '../../rehearsal/startAzurite.js';

/**
 * Starts a real Azurite (in memory, loopback, free port, telemetry off) for the test file and stops it after.
 * Returns a getter, since the handle exists only once beforeAll ran. `{ queue: true }` adds the Queue service (the
 * connection string then names both endpoints: the fan-out's `AzureWebJobsStorage`).
 */
export function useAzurite(options: Pick<AzuriteOptions, 'queue'> = {}): () => AzuriteHandle {
  let handle: AzuriteHandle | undefined;
  beforeAll(async () => {
    handle = await startAzurite(options);
  }, 60_000);
  afterAll(async () => {
    await handle?.stop();
  });
  return () => {
    if (handle === undefined) throw new Error('Azurite is not running (used outside a test?)');
    return handle;
  };
}

let tableCounter = 0;

/** A table prefix no other test in the file uses, so tests never see each other's rows. */
export function uniqueTablePrefix(label: string): string {
  tableCounter += 1;
  return `t${label.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}${tableCounter}x${process.pid}`;
}
