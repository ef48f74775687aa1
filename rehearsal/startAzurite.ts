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
}

export interface AzuriteHandle {
  readonly port: number;
  readonly connectionString: string;
  readonly pid: number;
  /** Stops Azurite gracefully (on-disk data saved) and waits for the process to end. */
  stop(): Promise<void>;
  /** Kills Azurite at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts Azurite's Table service in a child process: loopback only, a free port, telemetry off,
 * in memory unless a folder is given. Resolves once it accepts connections.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = options.port ?? (await freePort());
    const args = [main, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--disableTelemetry', '--silent', '--skipApiVersionCheck'];
    args.push(...(options.location === undefined ? ['--inMemoryPersistence'] : ['--location', options.location]));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await waitUntilListening(child, port);
      return handleFor(child, port);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      if (options.port !== undefined) break;
    }
  }
  throw new Error(`Azurite did not start: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};TableEndpoint=http://127.0.0.1:${port}/${devAccount};`;
}

function handleFor(child: ChildProcess, port: number): AzuriteHandle {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    port,
    pid: child.pid ?? -1,
    connectionString: azuriteConnectionString(port),
    stop: async () => {
      // SIGINT is Azurite's graceful close: it saves the on-disk database (LokiJS autosaves only every 5 s, and a
      // SIGTERM ends the process without saving, so a restart on the same folder would lose the last writes)
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
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
