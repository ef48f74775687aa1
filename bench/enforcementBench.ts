import { loadConfig } from '../shared/config/loadConfig.js';
import { createGraphConnection } from '../shared/adapters/graph/graphClient.js';
import { createLogger } from '../shared/log/logEvent.js';
import { openRollout } from '../shared/shell/rolloutPorts.js';
import { runWave } from '../shared/shell/runWave.js';
import { startAzurite } from '../rehearsal/startAzurite.js';
import type { JournalEntry } from '../sandbox/stats/journal.js';
import type { SandboxStats } from '../sandbox/admin/trafficControls.js';
import { startSandboxProcess } from './sandboxProcess.js';
import { runSequentialClient } from './sequentialClient.js';

export interface EnforcementOptions {
  readonly users: number;
  readonly timeScale: number;
  readonly sequentialSeconds: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** Graph's write quota per app and tenant (graph-notes §8), the bucket the rollout's writes draw on. */
export const graphWriteQuota = { capacity: 3_000, windowSeconds: 150 } as const;

export interface QuotaShape {
  readonly timeScale: number;
  /** Bucket capacity, writes. */
  readonly capacity: number;
  /** Refill rate, writes per second (capacity / window × time scale). */
  readonly refillPerSecond: number;
}

export interface ThroughputFigures {
  readonly seconds: number;
  readonly usersEnforced: number;
  readonly writes: number;
  readonly writesPerUser: number;
  readonly usersPerMinute: number;
  /** (capacity + refill × seconds) / writesPerUser, per minute of the same run. */
  readonly theoreticalUsersPerMinute: number;
  /** usersPerMinute / theoreticalUsersPerMinute = writes / (capacity + refill × seconds). */
  readonly ratio: number;
  /** Graph operations (plain requests + batch items) the sandbox saw, and how many it answered 429. */
  readonly operations: number;
  readonly throttled: number;
  readonly throttledShare: number;
}

export interface EnforcementResult {
  readonly quota: QuotaShape;
  readonly tenantUsers: number;
  readonly latency: { readonly readsMs: string; readonly writesMs: string };
  readonly rollout: ThroughputFigures & {
    readonly concurrency: number;
    readonly startWritesPerSecond: number;
    readonly finalWritesPerSecond: number;
    readonly peakWritesPerSecond: number;
    readonly gateway: Readonly<Record<string, number>>;
    readonly duplicateWrites: number;
    readonly maxWritesPerUser: number;
    readonly failed: number;
    /** Gateway attempts = sandbox operations: exactly one retry layer. */
    readonly oneRetryLayer: boolean;
  };
  readonly sequential: ThroughputFigures & {
    /** The same users per minute against Graph's own (unscaled) sustained write rate: what such a script gets out of the real quota. */
    readonly ratioToUnscaledQuota: number;
  };
}

/**
 * Enforcement throughput against the sandbox with Graph's documented write quota (3,000 writes per app and tenant,
 * refilled over 150 s) and Graph-like write latency (100–300 ms), the quota windows run `timeScale` times faster.
 * First a sequential client (one call at a time, as PowerShell scripts do) for a fixed time; then, after the quota
 * buckets are refilled, one night of the rollout (`runWave`, strategy perUserMfa) enforcing every ready user left.
 */
export async function enforcementBench(options: EnforcementOptions): Promise<EnforcementResult> {
  const quota: QuotaShape = {
    timeScale: options.timeScale,
    capacity: graphWriteQuota.capacity,
    refillPerSecond: (graphWriteQuota.capacity / graphWriteQuota.windowSeconds) * options.timeScale,
  };
  const latency = { readsMs: '10-40', writesMs: '100-300' };
  const azurite = await startAzurite();
  const sandbox = await startSandboxProcess(['--users', String(options.users), '--seed', String(options.seed), '--quota-time-scale', String(options.timeScale), '--latency', latency.readsMs, '--write-latency', latency.writesMs]);
  try {
    await sandbox.admin('organization', { onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
    const settings = {
      ...sandbox.settings(azurite.connectionString),
      MFA_ROLLOUT_ID: 'bench',
      MFA_PILOT_GROUP_ID: '',
      MFA_WAVE_SIZE: '100000',
      MFA_MAX_WAVE_SIZE: '100000',
      MFA_NOTICE_DAYS: '0',
      MFA_GRAPH_CONCURRENCY: String(options.concurrency),
      MFA_GRAPH_WRITES_PER_SECOND: String(quota.refillPerSecond),
      MFA_REPORT_REQUESTS_PER_10_SECONDS: String(5 * options.timeScale),
    };
    const config = loadConfig(settings);

    // 1. the sequential client, on the first ready users
    options.log(`  sequential client: ${options.sequentialSeconds} s, one call at a time`);
    const connection = createGraphConnection(config);
    const readyUsers = sandbox.manifest.users.filter((user) => user.category === 'ready').map((user) => user.id);
    let before = await sandbox.stats();
    const sequentialRun = await runSequentialClient(connection, readyUsers, { seconds: options.sequentialSeconds, region: sandbox.manifest.homeCountry }).finally(() => connection.close());
    let after = await sandbox.stats();
    const sequentialFigures = figures(quota, { seconds: sequentialRun.seconds, users: sequentialRun.users, writes: sequentialRun.writes }, before, after);
    const realRefill = graphWriteQuota.capacity / graphWriteQuota.windowSeconds;
    const sequential = { ...sequentialFigures, ratioToUnscaledQuota: sequentialFigures.usersPerMinute / ((realRefill * 60) / sequentialFigures.writesPerUser) };

    // 2. one night of the rollout, buckets full again
    await sandbox.admin('quota', { reset: true });
    options.log(`  rollout: one night (runWave) over a ${options.users.toLocaleString('en-US')}-user tenant`);
    const marks: Record<string, number> = {};
    const logger = createLogger((_level, line) => {
      const event = (JSON.parse(line) as { event: string }).event;
      if (event === 'wave.started' || event === 'wave.closed' || event === 'wave.halted' || event === 'wave.stopped') marks[event] = performance.now();
    });
    const rollout = await openRollout(config, logger);
    const { lastSeq } = await sandbox.admin<{ lastSeq: number }>('journal?since=0');
    const nightStartedAt = Math.floor(Date.now() / 1000) * 1000;
    before = await sandbox.stats();
    let result;
    try {
      result = await runWave({ config, clock: () => new Date(), ports: rollout.ports, logger, runId: 'bench-night' });
    } finally {
      await rollout.close();
    }
    after = await sandbox.stats();
    if (result.outcome !== 'wave') throw new Error(`the bench night did not run a wave (${result.outcome})`);
    const started = marks['wave.started'];
    const ended = marks['wave.closed'] ?? marks['wave.halted'];
    if (started === undefined || ended === undefined) throw new Error('the bench night logged no wave start or end');
    const journal = (await sandbox.admin<{ entries: JournalEntry[] }>(`journal?since=${lastSeq}`)).entries;
    const writes = journal.filter((entry) => entry.status >= 200 && entry.status < 300).length;
    const rolloutFigures = figures(quota, { seconds: (ended - started) / 1000, users: result.wave.enforced, writes }, before, after);
    const { gateway } = rollout.ports;
    const perSecond = after.requests.perSecond.filter((point) => Date.parse(point.at) >= nightStartedAt);
    return {
      quota,
      tenantUsers: options.users,
      latency,
      sequential,
      rollout: {
        ...rolloutFigures,
        concurrency: options.concurrency,
        startWritesPerSecond: config.graphWritesPerSecond,
        finalWritesPerSecond: Math.round(gateway.writeRate * 10) / 10,
        peakWritesPerSecond: Math.max(0, ...perSecond.map((point) => point.writes)),
        gateway: { ...gateway.stats },
        duplicateWrites: after.duplicateWrites.total - before.duplicateWrites.total,
        maxWritesPerUser: after.writes.maxPerUser,
        failed: result.wave.failed,
        oneRetryLayer: operations(after) - operations(before) === gateway.stats.attempts,
      },
    };
  } finally {
    await sandbox.stop();
    await azurite.stop();
  }
}

const operations = (stats: SandboxStats): number => stats.requests.total - stats.requests.batchEnvelopes + stats.requests.batchItems;

function figures(quota: QuotaShape, run: { seconds: number; users: number; writes: number }, before: SandboxStats, after: SandboxStats): ThroughputFigures {
  const writesPerUser = run.users === 0 ? 0 : run.writes / run.users;
  const possibleWrites = quota.capacity + quota.refillPerSecond * run.seconds;
  const usersPerMinute = (run.users / run.seconds) * 60;
  const theoreticalUsersPerMinute = writesPerUser === 0 ? 0 : (possibleWrites / writesPerUser / run.seconds) * 60;
  const ops = operations(after) - operations(before);
  const throttled = after.throttled.total - before.throttled.total;
  return {
    seconds: round(run.seconds, 1),
    usersEnforced: run.users,
    writes: run.writes,
    writesPerUser: round(writesPerUser, 2),
    usersPerMinute: round(usersPerMinute, 0),
    theoreticalUsersPerMinute: round(theoreticalUsersPerMinute, 0),
    ratio: round(run.writes / possibleWrites, 3),
    operations: ops,
    throttled,
    throttledShare: ops === 0 ? 0 : round(throttled / ops, 4),
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
