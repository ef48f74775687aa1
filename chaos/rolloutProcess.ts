import { spawn } from 'node:child_process';
import { cliPath } from './distPaths.js';

/** How one `mfa-rollout` child process ended. */
export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** We sent it SIGKILL (a kill point, or the time limit). */
  readonly killed: boolean;
  /** It outlived its time limit and was killed for it. */
  readonly timedOut: boolean;
  readonly stdout: string;
  /** The structured log lines (JSON, one per line) and any error the CLI printed. */
  readonly stderr: string;
  readonly ms: number;
}

export interface RolloutProcess {
  readonly pid: number;
  readonly done: Promise<ProcessResult>;
  /** SIGKILL: no handler runs, no table write or lease release happens, as when a host is recycled. */
  kill(): void;
}

export interface RolloutProcessOptions {
  /** App settings: the child's whole environment besides PATH (nothing is inherited from this process). */
  readonly settings: Readonly<Record<string, string>>;
  /** `mfa-rollout` arguments after the global options, e.g. `['run-wave']`. */
  readonly args: readonly string[];
  /** Log level of the structured lines on stderr (default info). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** SIGKILL after this long (default 120 s), so a stuck child cannot stall a campaign. */
  readonly timeLimitMs?: number;
}

/**
 * Runs `node dist/shared/cli/main.js <args>` as a real child process with exactly the given app settings,
 * the way an operator (or the Functions host, through the same runWave) runs it.
 */
export function startRolloutProcess(options: RolloutProcessOptions): RolloutProcess {
  const env: Record<string, string> = { ...options.settings };
  if (process.env['PATH'] !== undefined) env['PATH'] = process.env['PATH'];
  const child = spawn(process.execPath, [cliPath(), '--log-level', options.logLevel ?? 'info', ...options.args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  let killed = false;
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const kill = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const limit = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeLimitMs ?? 120_000);
  const done = new Promise<ProcessResult>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, killed, timedOut, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
  return { pid: child.pid ?? -1, done, kill };
}
