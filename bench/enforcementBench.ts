import { loadConfig } from '../shared/config/loadConfig.js';
import { createGraphConnection } from '../shared/adapters/graph/graphClient.js';
import { createLogger } from '../shared/log/logEvent.js';
import { openRollout } from '../shared/shell/rolloutPorts.js';
import { runWave } from '../shared/shell/runWave.js';
import { startAzurite } from '../rehearsal/startAzurite.js';
import type { JournalEntry } from '../sandbox/stats/journal.js';
import type { SandboxStats } from '../sandbox/admin/trafficControls.js';
import { quotaShare, type QuotaShare, type WriteModel } from './quotaShare.js';
import { startSandboxProcess, type SandboxProcess } from './sandboxProcess.js';
import { runSequentialClient } from './sequentialClient.js';

export type BenchStrategy = 'perUserMfa' | 'conditionalAccessGroup';

export interface EnforcementOptions {
  /** Which combinations to run (default all four), e.g. `window/none`. */
  readonly combinations?: readonly string[];
  readonly users: number;
  /** How many times faster than Graph the sandbox runs each model's quota window (same capacity). */
  readonly timeScales: Readonly<Record<WriteModel, number>>;
  readonly concurrency: number;
  readonly seed: number;
  readonly strategy: BenchStrategy;
  readonly log: (line: string) => void;
  /**
   * Work that runs while the sequential client does (`npm run bench` passes the roster bench): the client makes one
   * call at a time and waits out Graph's latency, so it uses little CPU, and the roster bench's figure is memory.
   */
  readonly alongside?: () => Promise<void>;
}

/** Graph's write quota per app and tenant (docs/graph-behaviour.md#throttling), the one the rollout's writes draw on. */
export const graphWriteQuota = { capacity: 3_000, windowSeconds: 150 } as const;

/** The four throttling combinations (docs/graph-behaviour.md#throttling): how the write quota counts, and whether directory answers carry the identity headers. */
export const throttlingCombinations = [
  { model: 'bucket', headers: true },
  { model: 'bucket', headers: false },
  { model: 'window', headers: true },
  { model: 'window', headers: false },
] as const satisfies readonly { model: WriteModel; headers: boolean }[];

export type Combination = (typeof throttlingCombinations)[number];

export const combinationLabel = (combination: Pick<Combination, 'model' | 'headers'>): string => `${combination.model}, ${combination.headers ? 'headers' : 'no headers'}`;

export interface NightFigures {
  readonly users: number;
  readonly seconds: number;
  readonly usersPerMinute: number;
  /** Writes Graph answered 2xx during the night (sandbox journal). */
  readonly writes: number;
  readonly writesPerUser: number;
  readonly quota: QuotaShare;
  /** Graph operations (plain requests + batch items) the sandbox saw during the night, and how many it answered 429. */
  readonly operations: number;
  readonly throttled: number;
  readonly throttledShare: number;
  /** The 429s that answered writes, by operation (the journal; the rest answered reads). */
  readonly throttledWrites: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly batches: number;
  readonly failed: number;
  readonly duplicateWrites: number;
  readonly maxWritesPerUser: number;
  /** Gateway attempts = sandbox operations: exactly one retry layer. */
  readonly oneRetryLayer: boolean;
  readonly finalWritesPerSecond: number;
  readonly peakWritesPerSecond: number;
  /** Where the night's time went: runWave's start to wave.started (the refresh and planning, outside T), wave.started to the first write landed, the last write landed to wave.closed. */
  readonly phases: { readonly beforeStartSeconds: number; readonly leadSeconds: number; readonly tailSeconds: number };
}

/** The write quota one sandbox ran: Graph's capacity, its window `timeScale` times shorter. */
export interface QuotaRun {
  readonly timeScale: number;
  readonly capacity: number;
  readonly windowSeconds: number;
  readonly refillPerSecond: number;
}

export interface CombinationResult {
  readonly model: WriteModel;
  readonly headers: boolean;
  readonly quota: QuotaRun;
  /** A night at the end of the ramp-up: MFA_WAVE_SIZE = the default MFA_MAX_WAVE_SIZE, 2,000. */
  readonly production: NightFigures;
  /** The next night (quota full again), one wave of every ready user left: long enough for the steady state. */
  readonly wave: NightFigures;
}

export interface SequentialFigures {
  readonly model: WriteModel;
  readonly timeScale: number;
  readonly seconds: number;
  readonly users: number;
  readonly usersPerMinute: number;
  readonly writes: number;
  readonly quota: QuotaShare;
  readonly throttled: number;
}

export interface EnforcementResult {
  readonly tenantUsers: number;
  readonly strategy: BenchStrategy;
  readonly latency: { readonly readsMs: string; readonly writesMs: string };
  readonly combinations: readonly CombinationResult[];
  /** One call at a time, for as long as the first combination's long wave ran. */
  readonly sequential: SequentialFigures;
}

const latency = { readsMs: '10-40', writesMs: '100-300' };

/** Graph's write quota with its window `timeScale` times shorter and the capacity unchanged. */
export function scaledQuota(timeScale: number): QuotaRun {
  const windowSeconds = graphWriteQuota.windowSeconds / timeScale;
  return { timeScale, capacity: graphWriteQuota.capacity, windowSeconds, refillPerSecond: graphWriteQuota.capacity / windowSeconds };
}
const dayMs = 86_400_000;

/**
 * Enforcement against the sandbox with Graph's documented write quota (3,000 writes per app and tenant per 150 s, each
 * model's windows `timeScales[model]` times shorter), Graph-like write latency (100–300 ms), in each throttling combination: the
 * quota as a token bucket or a sliding window, with or without the identity headers on directory answers. In each,
 * on a fresh tenant: a production night (2,000 users), then the next night (quota full again) one wave of everyone
 * left. Last, a sequential client (one call at a time) for as long as the first combination's long wave took.
 */
export async function enforcementBench(options: EnforcementOptions): Promise<EnforcementResult> {
  const azurite = await startAzurite();
  try {
    const combinations: CombinationResult[] = [];
    const chosen = throttlingCombinations.filter((combination) => options.combinations === undefined || options.combinations.includes(`${combination.model}/${combination.headers ? 'headers' : 'none'}`));
    for (const combination of chosen) {
      const quota = scaledQuota(options.timeScales[combination.model]);
      options.log(`  ${combinationLabel(combination)} (time scale ${quota.timeScale}): a production night of 2,000, then one wave of the rest`);
      const sandbox = await startBenchSandbox(options, combination, quota.timeScale);
      try {
        // both nights on the same tables: the second night is the same rollout's next night
        const tables = nightSettings(sandbox, azurite.connectionString, options, combination, quota.timeScale);
        const settings = (overrides: Record<string, string>) => ({ ...tables, ...overrides });
        const production = await benchNight(sandbox, settings({ MFA_WAVE_SIZE: '2000' }), { ...quota, model: combination.model }, 'bench-production');
        await sandbox.admin('quota', { reset: true });
        // the next night: the rollout's and the sandbox's clocks a day on (the quota, the journal and the tokens run on real time)
        await sandbox.admin('clock', { now: new Date(Date.now() + dayMs).toISOString() });
        await sandbox.admin('organization', { onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
        const wave = await benchNight(sandbox, settings({ MFA_WAVE_SIZE: '100000', MFA_MAX_WAVE_SIZE: '100000' }), { ...quota, model: combination.model }, 'bench-wave', dayMs);
        combinations.push({ ...combination, quota, production, wave });
        options.log(`    production ${production.users} users in ${production.seconds} s (quota ${production.quota.share.toFixed(3)}, 429 ${(production.throttledShare * 100).toFixed(2)} %); wave ${wave.users} in ${wave.seconds} s (quota ${wave.quota.share.toFixed(3)}, 429 ${(wave.throttledShare * 100).toFixed(2)} %)`);
      } finally {
        await sandbox.stop();
      }
    }
    const seconds = combinations[0]?.wave.seconds ?? 60;
    options.log(`  sequential client: ${seconds} s (as long as the first long wave), one call at a time`);
    const [sequential] = await Promise.all([sequentialRun(options, azurite.connectionString, seconds, 'bucket'), options.alongside?.()]);
    return { tenantUsers: options.users, strategy: options.strategy, latency, combinations, sequential };
  } finally {
    await azurite.stop();
  }
}

function startBenchSandbox(options: EnforcementOptions, combination: Pick<Combination, 'model' | 'headers'>, timeScale: number): Promise<SandboxProcess> {
  return startSandboxProcess([
    '--users', String(options.users),
    '--seed', String(options.seed),
    '--quota-time-scale', String(timeScale),
    '--quota-write-model', combination.model,
    ...(combination.headers ? [] : ['--no-quota-headers']),
    '--latency', latency.readsMs,
    '--write-latency', latency.writesMs,
  ]).then(async (sandbox) => {
    await sandbox.admin('organization', { onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
    return sandbox;
  });
}

let tablePrefixes = 0;

/** The rollout is told the documented quota on the sandbox's clock: the sustained rates `timeScale` times faster, the capacity as documented. */
function nightSettings(sandbox: SandboxProcess, tablesConnection: string, options: EnforcementOptions, combination: Pick<Combination, 'model' | 'headers'>, timeScale: number): Record<string, string> {
  return {
    ...sandbox.settings(tablesConnection),
    MFA_ROLLOUT_ID: 'bench',
    MFA_TABLE_PREFIX: `bench${combination.model}${combination.headers ? 'h' : 'n'}${process.pid}${(tablePrefixes += 1)}`,
    MFA_STRATEGY: options.strategy,
    MFA_PILOT_GROUP_ID: '',
    MFA_NOTICE_DAYS: '0',
    MFA_GRAPH_CONCURRENCY: String(options.concurrency),
    MFA_GRAPH_WRITES_PER_SECOND: String((graphWriteQuota.capacity / graphWriteQuota.windowSeconds) * timeScale),
    MFA_GRAPH_WRITE_QUOTA: String(graphWriteQuota.capacity),
    MFA_REPORT_REQUESTS_PER_10_SECONDS: String(5 * timeScale),
  };
}

/** One night of the rollout (`runWave`), measured from `wave.started` to `wave.closed`. */
async function benchNight(sandbox: SandboxProcess, settings: Record<string, string>, quota: { capacity: number; windowSeconds: number; model: WriteModel }, runId: string, clockOffsetMs = 0): Promise<NightFigures> {
  const config = loadConfig(settings);
  const marks: Record<string, { readonly at: number; readonly wall: number }> = {};
  const logger = createLogger((_level, line) => {
    const event = (JSON.parse(line) as { event: string }).event;
    if (event === 'wave.started' || event === 'wave.closed' || event === 'wave.halted' || event === 'wave.stopped') marks[event] = { at: performance.now(), wall: Date.now() };
  });
  const rollout = await openRollout(config, logger);
  const { lastSeq } = await sandbox.admin<{ lastSeq: number }>('journal?since=0');
  const before = await sandbox.stats();
  const calledAt = performance.now();
  let result;
  try {
    result = await runWave({ config, clock: () => new Date(Date.now() + clockOffsetMs), ports: rollout.ports, logger, runId });
  } finally {
    await rollout.close();
  }
  const after = await sandbox.stats();
  if (result.outcome !== 'wave') throw new Error(`the bench night ${runId} did not run a wave (${result.outcome})`);
  const started = marks['wave.started'];
  const ended = marks['wave.closed'] ?? marks['wave.halted'];
  if (started === undefined || ended === undefined) throw new Error('the bench night logged no wave start or end');
  const journal = (await sandbox.admin<{ entries: JournalEntry[] }>(`journal?since=${lastSeq}`)).entries;
  const landed = journal.filter((entry) => entry.status >= 200 && entry.status < 300).map((entry) => Date.parse(entry.at));
  const throttledWrites: Record<string, number> = {};
  for (const entry of journal) if (entry.status === 429) throttledWrites[entry.operation] = (throttledWrites[entry.operation] ?? 0) + 1;
  const seconds = (ended.at - started.at) / 1000;
  const users = result.wave.enforced;
  const ops = operations(after) - operations(before);
  const throttled = after.throttled.total - before.throttled.total;
  const { gateway } = rollout.ports;
  return {
    users,
    seconds: round(seconds, 1),
    usersPerMinute: round((users / seconds) * 60, 0),
    writes: landed.length,
    writesPerUser: users === 0 ? 0 : round(landed.length / users, 2),
    quota: quotaShare(quota, { startMs: started.wall, endMs: ended.wall, writeTimesMs: landed }),
    operations: ops,
    throttled,
    throttledShare: ops === 0 ? 0 : round(throttled / ops, 4),
    throttledWrites,
    retries: gateway.stats.retries,
    batches: gateway.stats.batches,
    failed: result.wave.failed,
    duplicateWrites: after.duplicateWrites.total - before.duplicateWrites.total,
    maxWritesPerUser: after.writes.maxPerUser,
    oneRetryLayer: ops === gateway.stats.attempts,
    finalWritesPerSecond: round(gateway.writeRate, 1),
    peakWritesPerSecond: Math.max(0, ...after.requests.perSecond.filter((point) => Date.parse(point.at) >= Math.floor(started.wall / 1000) * 1000).map((point) => point.writes)),
    phases: {
      beforeStartSeconds: round((started.at - calledAt) / 1000, 1),
      leadSeconds: landed.length === 0 ? 0 : round((Math.min(...landed) - started.wall) / 1000, 1),
      tailSeconds: landed.length === 0 ? 0 : round((ended.wall - Math.max(...landed)) / 1000, 1),
    },
  };
}

async function sequentialRun(options: EnforcementOptions, tablesConnection: string, seconds: number, model: WriteModel): Promise<SequentialFigures> {
  const quota = scaledQuota(options.timeScales[model]);
  const sandbox = await startBenchSandbox(options, { model, headers: true }, quota.timeScale);
  try {
    const config = loadConfig(nightSettings(sandbox, tablesConnection, options, { model, headers: true }, quota.timeScale));
    const connection = createGraphConnection(config);
    const readyUsers = sandbox.manifest.users.filter((user) => user.category === 'ready').map((user) => user.id);
    const { lastSeq } = await sandbox.admin<{ lastSeq: number }>('journal?since=0');
    const startMs = Date.now();
    const run = await runSequentialClient(connection, readyUsers, {
      seconds,
      region: sandbox.manifest.homeCountry,
      strategy: options.strategy,
      mfaGroupId: sandbox.manifest.groups.mfaRequired,
    }).finally(() => connection.close());
    const journal = (await sandbox.admin<{ entries: JournalEntry[] }>(`journal?since=${lastSeq}`)).entries;
    const landed = journal.filter((entry) => entry.status >= 200 && entry.status < 300).map((entry) => Date.parse(entry.at));
    return {
      model,
      timeScale: quota.timeScale,
      seconds: round(run.seconds, 1),
      users: run.users,
      usersPerMinute: round((run.users / run.seconds) * 60, 0),
      writes: landed.length,
      quota: quotaShare({ ...quota, model }, { startMs, endMs: startMs + run.seconds * 1000, writeTimesMs: landed }),
      throttled: run.throttled,
    };
  } finally {
    await sandbox.stop();
  }
}

const operations = (stats: SandboxStats): number => stats.requests.total - stats.requests.batchEnvelopes + stats.requests.batchItems;

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
