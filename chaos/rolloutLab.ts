import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import type { Config } from '../shared/config/configSchema.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { createLogger, silentSink, type Logger } from '../shared/log/logEvent.js';
import { openRollout, type OpenRollout } from '../shared/shell/rolloutPorts.js';
import { phoneTrackSettings, sandboxSettings } from '../rehearsal/sandboxSettings.js';
import type { AzuriteHandle } from '../rehearsal/startAzurite.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../sandbox/startSandbox.js';
import { startRolloutProcess, type ProcessResult, type RolloutProcess } from './rolloutProcess.js';
import { watchWrites, type WriteWatch } from './writeWatch.js';
import type { JournalEntry } from '../sandbox/stats/journal.js';

export interface LabOptions {
  /** The Table service (shared by many labs; each lab has its own tables). */
  readonly azurite: () => AzuriteHandle;
  /** The sandbox tenant of this lab (default: 80 users, seed 1, no base latency). */
  readonly sandbox?: SandboxOptions;
  /** App settings on top of the sandbox's and the lab defaults. */
  readonly settings?: Readonly<Record<string, string>>;
  /** A name for the tables (letters and digits). */
  readonly label?: string;
  /** Settings that name things of the generated tenant (a group id, say), on top of `settings`. */
  readonly tenantSettings?: (sandbox: SandboxHandle) => Readonly<Record<string, string>>;
}

export interface RolloutLab {
  readonly sandbox: SandboxHandle;
  readonly writes: WriteWatch;
  /** The app settings every run of this lab gets (fresh tables, the sandbox tenant, Azurite). */
  readonly settings: Readonly<Record<string, string>>;
  readonly config: Config;
  /** `mfa-rollout <args>` as a child process (default `run-wave --again`: a lab runs many waves in one night). */
  spawn(args?: readonly string[], extraSettings?: Readonly<Record<string, string>>): RolloutProcess;
  /** Runs a child to its end. */
  run(args?: readonly string[], extraSettings?: Readonly<Record<string, string>>): Promise<ProcessResult>;
  /** The real adapters on this lab's tables, in this process (for checks and in-process runs). */
  open(logger?: Logger, overrides?: Readonly<Record<string, string>>): Promise<{ config: Config; rollout: OpenRollout }>;
  /**
   * SIGKILLs the given processes right after the sandbox journals the `write`-th write from now (of those `only`
   * accepts, when given; the write took
   * effect in the tenant; its answer may never reach the process), or after `ms`. Resolves, once they have all
   * ended, with the number of processes the kill ended.
   */
  killAt(processes: readonly RolloutProcess[], point: KillAt): Promise<number>;
  /** Waits until requests a dead process left in the sandbox are answered (quiet for a while, plus `longestLatencyMs`). */
  settle(longestLatencyMs?: number): Promise<void>;
  /** Moves the run lease's expiry into the past, as waiting out MFA_LEASE_SECONDS after a dead run would. */
  expireLease(): Promise<boolean>;
  close(): Promise<void>;
}

/** Right after the k-th write from now; after `ms` from now; or `ms` after the first write from now (mid-wave). */
export type KillAt =
  | { readonly write: number; readonly only?: (entry: JournalEntry) => boolean }
  | { readonly ms: number }
  | { readonly msAfterFirstWrite: number };

let labCounter = 0;

/**
 * One rollout against one sandbox tenant, with its own tables in a shared Azurite: what the reliability tests and
 * the chaos campaign kill, overlap and fault. The rollout runs as `node dist/shared/cli/main.js` children, exactly
 * as an operator runs it; the tenant is in this process so that its journal can be watched write by write.
 */
export async function startLab(options: LabOptions): Promise<RolloutLab> {
  labCounter += 1;
  const sandbox = await startSandbox({ users: 80, seed: 1, faults: { latency: false }, ...options.sandbox });
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-lab-'));
  const caFile = path.join(workDir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  const label = (options.label ?? 'lab').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
  const settings: Record<string, string> = {
    ...sandboxSettings(sandbox, options.azurite().connectionString, caFile),
    MFA_TABLE_PREFIX: `c${label}${labCounter}p${process.pid}`,
    MFA_ROLLOUT_ID: 'chaos',
    ...phoneTrackSettings,
    // one wave for the whole ready tenant, no notice period: a night ends with everyone ready enforced
    MFA_PILOT_GROUP_ID: '',
    MFA_NOTICE_DAYS: '0',
    MFA_WAVE_SIZE: '2000',
    MFA_MAX_WAVE_SIZE: '2000',
    MFA_LEASE_SECONDS: '15',
    // a small tenant on the sandbox's full Graph quota: no need to pace writes at the production start rate
    MFA_GRAPH_WRITES_PER_SECOND: '200',
    ...options.settings,
    ...options.tenantSettings?.(sandbox),
  };
  const config = loadConfig(settings);
  const opened: OpenRollout[] = [];
  const lab: RolloutLab = {
    sandbox,
    writes: watchWrites(sandbox),
    settings,
    config,
    spawn: (args = ['run-wave', '--again'], extra = {}) => startRolloutProcess({ settings: { ...settings, ...extra }, args }),
    run: (args = ['run-wave', '--again'], extra = {}) => lab.spawn(args, extra).done,
    open: async (logger = createLogger(silentSink), overrides = {}) => {
      const openConfig = loadConfig({ ...settings, ...overrides });
      const rollout = await openRollout(openConfig, logger);
      opened.push(rollout);
      return { config: openConfig, rollout };
    },
    killAt: (processes, point) => new Promise((resolve) => {
      let fired = false;
      const fire = () => {
        if (fired) return;
        fired = true;
        for (const child of processes) child.kill();
      };
      let stopWatching: () => void = () => undefined;
      let timer: NodeJS.Timeout | undefined;
      if ('write' in point) {
        let seen = 0;
        const only = point.only;
        stopWatching = lab.writes.onWrite((entry) => {
          if (only !== undefined && !only(entry)) return;
          seen += 1;
          if (seen === point.write) fire();
        });
      } else if ('msAfterFirstWrite' in point) {
        stopWatching = lab.writes.onWrite(() => {
          stopWatching();
          timer = setTimeout(fire, point.msAfterFirstWrite);
        });
      } else {
        timer = setTimeout(fire, point.ms);
      }
      void Promise.all(processes.map((child) => child.done)).then((results) => {
        stopWatching();
        if (timer !== undefined) clearTimeout(timer);
        resolve(results.filter((result) => result.killed && !result.timedOut).length);
      });
    }),
    settle: async (longestLatencyMs = 0) => {
      let last = -1;
      for (let quiet = 0; quiet < 3;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const total = sandbox.journal.counters().total + sandbox.journal.entries().length;
        quiet = total === last ? quiet + 1 : 0;
        last = total;
      }
      if (longestLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, longestLatencyMs));
    },
    expireLease: async () => {
      const table = TableClient.fromConnectionString(options.azurite().connectionString, `${settings['MFA_TABLE_PREFIX']}Lease`, { allowInsecureConnection: true });
      try {
        const lease = await table.getEntity<Record<string, unknown>>('lease', config.rolloutId);
        await table.updateEntity({ partitionKey: 'lease', rowKey: config.rolloutId, holder: String(lease['holder']), acquiredAt: String(lease['acquiredAt']), expiresAt: new Date(Date.now() - 1000).toISOString() }, 'Replace', { etag: lease.etag });
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    },
    close: async () => {
      for (const rollout of opened) await rollout.close();
      await sandbox.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  return lab;
}
