import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';
import { phoneTrackSettings, sandboxSettings } from '../rehearsal/sandboxSettings.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';
import type { SandboxManifest } from '../sandbox/tenant/tenantModel.js';
import type { SandboxStats } from '../sandbox/admin/trafficControls.js';

/** The JSON line `sandbox/main.ts` prints once it listens. */
interface ReadyLine {
  readonly ready: true;
  readonly url: string;
  readonly caFile: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly adminUrl: string;
}

export interface SandboxProcess {
  readonly pid: number;
  readonly url: string;
  readonly caFile: string;
  readonly manifest: SandboxManifest;
  /** App settings pointing the rollout at this sandbox (as the rehearsal's), tables at `tablesConnection`. */
  settings(tablesConnection: string): Record<string, string>;
  /** A call to the admin API (`/_sandbox/...`); throws on a non-2xx answer. */
  admin<T>(path: string, body?: unknown): Promise<T>;
  stats(): Promise<SandboxStats>;
  stop(): Promise<void>;
}

const sandboxMain = fileURLToPath(new URL('../sandbox/main.js', import.meta.url));

/**
 * Starts the sandbox tenant as its own process (`dist/sandbox/main.js`, the same program as `npm run sandbox`), so
 * the rollout's CPU time and memory are measured apart from the "Graph" it talks to. Resolves on the ready line.
 */
export async function startSandboxProcess(args: readonly string[]): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [sandboxMain, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let ready: ReadyLine;
  try {
    ready = await readyLine(child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const agent = new Agent({ connect: { ca: await readFile(ready.caFile, 'utf8') } });
  const admin = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, ready.adminUrl), {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
      dispatcher: agent,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox admin ${path}: ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };
  const manifest = await admin<SandboxManifest>('manifest');
  const origin = ready.url.replace(/\/$/, '');
  // sandboxSettings reads only these fields of a handle
  const remote: Pick<SandboxHandle, 'url' | 'origin' | 'tenantId' | 'clientId' | 'clientSecret' | 'manifest'> = { url: ready.url, origin, tenantId: ready.tenantId, clientId: ready.clientId, clientSecret: ready.clientSecret, manifest };
  return {
    pid: child.pid ?? -1,
    url: ready.url,
    caFile: ready.caFile,
    manifest,
    settings: (tablesConnection) => ({ ...sandboxSettings(remote as SandboxHandle, tablesConnection, ready.caFile), ...phoneTrackSettings }),
    admin,
    stats: () => admin<SandboxStats>('stats'),
    stop: async () => {
      await agent.close();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readyLine(child: ChildProcess): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-2_000);
    });
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      try {
        resolve(JSON.parse(out.slice(0, newline)) as ReadyLine);
      } catch (error) {
        reject(new Error(`the sandbox printed no ready line: ${String(error)}`));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code ?? 'signal'}) before it was ready: ${err.trim()}`)));
  });
}
