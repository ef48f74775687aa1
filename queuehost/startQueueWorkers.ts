import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { QueuesSettings } from './resolveQueuesSettings.js';
import type { StartWorker, WorkerEvent } from './workerMessages.js';

export interface QueueWorkersOptions {
  /** Storage connection string naming the Queue endpoint (Azurite's: startAzurite({ queue: true })). */
  readonly connectionString: string;
  readonly queueName: string;
  /** The module holding the function: a path (absolute, or relative to the working directory). `.js`, or `.ts` run from source. */
  readonly handlerModule: string;
  /** The export called for each message: `(message, context)`. */
  readonly handlerExport: string;
  /** How many worker processes (scaled-out host instances) to start. */
  readonly workers: number;
  /** host.json to read `extensions.queues` and `functionTimeout` from. Default: the repository's. */
  readonly hostJsonPath?: string;
  /** The app settings every worker's process gets (its whole environment, with PATH; AzureWebJobsStorage defaults to connectionString). */
  readonly env?: Readonly<Record<string, string>>;
  /** The function's name (invocation context, logs, registration check). Default: handlerExport. */
  readonly functionName?: string;
  /** Overrides of host.json's values and of the host's fixed constants (messageLeaseMs…), for fast tests. */
  readonly queues?: Partial<QueuesSettings>;
  /** How long stop() lets running messages finish before it kills a worker. Default 60 s. */
  readonly stopTimeoutMs?: number;
}

/** One line a worker wrote: stderr lines are JSON (function and host logs), parsed into `entry`; stdout is kept raw. */
export interface WorkerLogLine {
  readonly worker: number;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  readonly entry?: { readonly time: string; readonly category: string; readonly level: string; readonly invocationId?: string; readonly message: string };
}

export interface QueueWorkers {
  /** The settings the workers run with (host.json, host defaults, overrides). */
  readonly settings: QueuesSettings;
  /** Every event every worker reported, in arrival order. */
  readonly events: readonly WorkerEvent[];
  /** Every line the workers wrote. */
  readonly logs: readonly WorkerLogLine[];
  /** Worker i's process id (a new one after a function timeout restarted it). */
  pid(index: number): number;
  /** Resolves with the first event (already reported or still to come) that matches; rejects after `timeoutMs` (default 60 s). */
  waitFor(predicate: (event: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  /** SIGKILLs worker i, as an instance lost mid-message: its messages reappear once their lease runs out. */
  kill(index: number): Promise<void>;
  /** Graceful: every worker stops polling, lets its running messages finish and settle, and exits. */
  stop(): Promise<void>;
}

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Starts `workers` processes that each behave like one scaled-out Functions host instance listening to `queueName`
 * (see queuehost/README.md for what is and is not reproduced). Resolves once every worker listens.
 * A test, rehearsal and bench harness only: never part of the Function App.
 */
export async function startQueueWorkers(options: QueueWorkersOptions): Promise<QueueWorkers> {
  if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error('startQueueWorkers: workers must be an integer of 1 or more');
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const workerFile = path.join(path.dirname(here), fromSource ? 'worker.ts' : 'worker.js');
  const handlerModule = path.resolve(options.handlerModule);
  const typescript = fromSource || handlerModule.endsWith('.ts');
  const execArgv = typescript ? ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--import', path.join(path.dirname(here), fromSource ? 'sourceImports.ts' : 'sourceImports.js')] : [];
  const env = { PATH: process.env['PATH'] ?? '', AzureWebJobsStorage: options.connectionString, ...options.env };
  const start: Omit<StartWorker, 'index'> = {
    type: 'start',
    connectionString: options.connectionString,
    queueName: options.queueName,
    handlerModule,
    handlerExport: options.handlerExport,
    functionName: options.functionName ?? options.handlerExport,
    hostJsonPath: path.resolve(options.hostJsonPath ?? repositoryHostJson(here)),
    overrides: options.queues ?? {},
  };

  const events: WorkerEvent[] = [];
  const logs: WorkerLogLine[] = [];
  const watchers = new Set<() => void>();
  const workers: Worker[] = [];
  let stopping = false;
  const notify = () => {
    for (const watcher of watchers) watcher();
  };
  const spawn = (index: number): Worker => {
    const child = fork(workerFile, [], { execArgv, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let restarting = false;
    child.on('message', (event: WorkerEvent) => {
      if (event.type === 'restarting') restarting = true;
      events.push(event);
      notify();
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream] as NodeJS.ReadableStream }).on('line', (line) => logs.push({ worker: index, stream, line, ...(stream === 'stderr' ? parsed(line) : {}) }));
    }
    child.once('exit', () => {
      // the host restarts a language worker after a function timeout: a new process takes this one's place
      if (restarting && !stopping && workers[index]?.child === child) workers[index] = spawn(index);
      notify();
    });
    child.send({ ...start, index } satisfies StartWorker);
    return { child, exited };
  };
  for (let index = 0; index < options.workers; index += 1) workers.push(spawn(index));

  const waitFor = (predicate: (event: WorkerEvent) => boolean, timeoutMs = 60_000) =>
    new Promise<WorkerEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(predicate);
        if (found === undefined) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`startQueueWorkers: no matching event after ${timeoutMs} ms (${events.length} events so far)`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });

  const kill = async (index: number) => {
    const worker = workers[index];
    if (worker === undefined) throw new Error(`startQueueWorkers: no worker ${index}`);
    worker.child.kill('SIGKILL');
    await worker.exited;
  };
  const stop = async () => {
    stopping = true;
    await Promise.all(
      workers.map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 60_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    await Promise.all(
      workers.map(
        (worker, index) =>
          new Promise<void>((resolve, reject) => {
            const check = () => {
              const failed = events.find((event) => event.worker === index && event.type === 'failed');
              if (failed?.type === 'failed') reject(new Error(`queue worker ${index} did not start: ${failed.error}`));
              else if (events.some((event) => event.worker === index && event.type === 'listening')) resolve();
              else if (worker.child.exitCode !== null || worker.child.signalCode !== null) reject(new Error(`queue worker ${index} exited while starting: ${lastLines(logs, index)}`));
              else return;
              watchers.delete(check);
            };
            watchers.add(check);
            check();
          }),
      ),
    );
  } catch (error) {
    for (const { child } of workers) child.kill('SIGKILL');
    await Promise.all(workers.map(({ exited }) => exited));
    throw error;
  }

  const listening = events.find((event) => event.type === 'listening');
  if (listening?.type !== 'listening') throw new Error('startQueueWorkers: no worker reported its settings');
  return {
    settings: listening.settings,
    events,
    logs,
    pid: (index) => workers[index]?.child.pid ?? -1,
    waitFor,
    kill,
    stop,
  };
}

/** The repository's host.json: beside queuehost/ when run from source, two levels up from dist/queuehost/ when compiled. */
function repositoryHostJson(modulePath: string): string {
  const candidates = [path.join(path.dirname(modulePath), '..', 'host.json'), path.join(path.dirname(modulePath), '..', '..', 'host.json')];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0] ?? 'host.json';
}

function parsed(line: string): Pick<WorkerLogLine, 'entry'> {
  try {
    const entry = JSON.parse(line) as WorkerLogLine['entry'];
    return typeof entry === 'object' && entry !== null && typeof entry.message === 'string' ? { entry } : {};
  } catch {
    return {};
  }
}

function lastLines(logs: readonly WorkerLogLine[], worker: number): string {
  return logs.filter((line) => line.worker === worker).slice(-5).map((line) => line.entry?.message ?? line.line).join(' | ').slice(-800) || '(no output)';
}
