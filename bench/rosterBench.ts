import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startAzurite } from '../rehearsal/startAzurite.js';
import type { RosterChildInput, RosterChildOutput } from './rosterChild.js';
import { startSandboxProcess } from './sandboxProcess.js';

export interface RosterResult {
  /** The refresh of `streamUsers` users, roster writes discarded: the rollout's side at full tenant size. */
  readonly stream: RosterChildOutput;
  /** The real refresh of `tableUsers` users into Azurite. */
  readonly table: RosterChildOutput;
}

const child = fileURLToPath(new URL('./rosterChild.js', import.meta.url));

/**
 * Roster refresh: users paged from the sandbox tenant (its own process) by the rollout in a process of its own, so
 * the peak RSS is the rollout's. Two runs: the whole refresh at `streamUsers` with the table writes discarded, and
 * the real refresh into Azurite at `tableUsers` (both 100,000 by default).
 */
export async function rosterBench(options: { streamUsers: number; tableUsers: number; seed: number; log: (line: string) => void }): Promise<RosterResult> {
  const azurite = await startAzurite();
  try {
    // the refresh only reads Graph, so both runs may page the same sandbox tenant when they have the same size
    if (options.streamUsers === options.tableUsers) {
      return await withSandbox(options.streamUsers, options.seed, async (settings) => ({
        stream: await streamRun(options, settings),
        table: await tableRun(options, settings, azurite.connectionString),
      }));
    }
    const stream = await withSandbox(options.streamUsers, options.seed, (settings) => streamRun(options, settings));
    const table = await withSandbox(options.tableUsers, options.seed, (settings) => tableRun(options, settings, azurite.connectionString));
    return { stream, table };
  } finally {
    await azurite.stop();
  }
}

function streamRun(options: { streamUsers: number; log: (line: string) => void }, settings: Record<string, string>): Promise<RosterChildOutput> {
  options.log(`  ${options.streamUsers.toLocaleString('en-US')} users paged from the sandbox (roster writes discarded)`);
  return runChild({ mode: 'stream', settings, tenantUsers: options.streamUsers });
}

function tableRun(options: { tableUsers: number; log: (line: string) => void }, settings: Record<string, string>, tablesConnection: string): Promise<RosterChildOutput> {
  options.log(`  ${options.tableUsers.toLocaleString('en-US')} users paged from the sandbox into Azurite`);
  return runChild({ mode: 'table', settings: { ...settings, MFA_TABLES_CONNECTION: tablesConnection }, tenantUsers: options.tableUsers });
}

async function withSandbox<T>(users: number, seed: number, run: (settings: Record<string, string>) => Promise<T>): Promise<T> {
  const sandbox = await startSandboxProcess(['--users', String(users), '--seed', String(seed)]);
  try {
    await sandbox.admin('organization', { onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
    return await run({ ...sandbox.settings('UseDevelopmentStorage=true'), MFA_ROLLOUT_ID: 'bench', MFA_TABLE_PREFIX: `bench${Date.now()}` });
  } finally {
    await sandbox.stop();
  }
}

function runChild(input: RosterChildInput): Promise<RosterChildOutput> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--expose-gc', child], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_ROSTER: JSON.stringify(input) } });
    let out = '';
    let err = '';
    process_.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    process_.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4_000)));
    process_.once('error', reject);
    process_.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || line === '') reject(new Error(`the roster refresh process failed (${code ?? 'signal'}): ${err.trim()}`));
      else resolve(JSON.parse(line) as RosterChildOutput);
    });
  });
}
