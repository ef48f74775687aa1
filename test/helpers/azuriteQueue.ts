import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterAll, beforeAll } from '@jest/globals';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteQueueHandle {
  readonly connectionString: string;
}

/**
 * Azurite's Queue service (in memory, loopback, a free port) for the test file: the `AzureWebJobsStorage` the
 * fan-out writes to. (mt-core's stand-in until the Azurite queue option of the local queue host is merged.)
 */
export function useAzuriteQueue(): () => AzuriteQueueHandle {
  let child: ChildProcess | undefined;
  let handle: AzuriteQueueHandle | undefined;
  beforeAll(async () => {
    const main = createRequire(import.meta.url).resolve('azurite/dist/src/queue/main.js');
    const port = await freePort();
    child = spawn(process.execPath, [main, '--queueHost', '127.0.0.1', '--queuePort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck'], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (!(await canConnect(port))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('Azurite queue service did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    handle = { connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${devKey};QueueEndpoint=http://127.0.0.1:${port}/devstoreaccount1;` };
  }, 60_000);
  afterAll(async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  return () => {
    if (handle === undefined) throw new Error('the Azurite queue service is not running (used outside a test?)');
    return handle;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
