import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const devAccount = 'devstoreaccount1';
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Folder for on-disk persistence; absent means in memory. */
  location?: string;
  /** Port to listen on; absent means a free one. Reuse a port to restart Azurite where it was. */
  port?: number;
  /** Also start Azurite's Queue service (its own process, same persistence, loopback, telemetry off). Default false. */
  queue?: boolean;
  /** The Queue service's port when `queue` is set; absent means a free one. */
  queuePort?: number;
}

export interface AzuriteHandle {
  /** The Table service's port. */
  readonly port: number;
  /** The Queue service's port, when started with `queue: true`. */
  readonly queuePort?: number;
  /** Names the Table endpoint, and the Queue endpoint when the Queue service runs. */
  readonly connectionString: string;
  /** The Table service's process id. */
  readonly pid: number;
  /** Stops Azurite gracefully (on-disk data saved) and waits for its processes to end. */
  stop(): Promise<void>;
  /** Kills Azurite at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

interface RunningService {
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Starts Azurite's Table service in a child process (and its Queue service in another when `queue` is set): loopback
 * only, free ports, telemetry off, in memory unless a folder is given. Resolves once they accept connections.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const table = await startService('table', options.port, options.location);
  if (options.queue !== true) return handleFor([table], azuriteConnectionString(table.port));
  try {
    const queue = await startService('queue', options.queuePort, options.location);
    return handleFor([table, queue], azuriteConnectionString(table.port, queue.port), queue.port);
  } catch (error) {
    table.child.kill('SIGKILL');
    await table.exited;
    throw error;
  }
}

/** The development account's connection string: the Table endpoint, and the Queue endpoint when a port is given. */
export function azuriteConnectionString(port: number, queuePort?: number): string {
  const queue = queuePort === undefined ? '' : `QueueEndpoint=http://127.0.0.1:${queuePort}/${devAccount};`;
  return `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};TableEndpoint=http://127.0.0.1:${port}/${devAccount};${queue}`;
}

async function startService(service: 'table' | 'queue', fixedPort: number | undefined, location: string | undefined): Promise<RunningService> {
  const main = createRequire(import.meta.url).resolve(`azurite/dist/src/${service}/main.js`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = fixedPort ?? (await freePort());
    const args = [main, `--${service}Host`, '127.0.0.1', `--${service}Port`, String(port), '--disableTelemetry', '--silent', '--skipApiVersionCheck'];
    args.push(...(location === undefined ? ['--inMemoryPersistence'] : ['--location', location]));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    try {
      await waitUntilListening(child, port);
      return { port, child, exited };
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      if (fixedPort !== undefined) break;
    }
  }
  throw new Error(`Azurite (${service}) did not start: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

function handleFor(services: readonly RunningService[], connectionString: string, queuePort?: number): AzuriteHandle {
  const [table] = services;
  if (table === undefined) throw new Error('Azurite: no service started');
  return {
    port: table.port,
    ...(queuePort === undefined ? {} : { queuePort }),
    pid: table.child.pid ?? -1,
    connectionString,
    stop: async () => {
      await Promise.all(
        services.map(async ({ child, exited }) => {
          // SIGINT is Azurite's graceful close: it saves the on-disk database (LokiJS autosaves only every 5 s, and a
          // SIGTERM ends the process without saving, so a restart on the same folder would lose the last writes)
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
    kill: async () => {
      for (const { child } of services) child.kill('SIGKILL');
      await Promise.all(services.map(({ exited }) => exited));
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}: ${output.trim().slice(-500)}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer on port ${port} after 30 s`);
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
