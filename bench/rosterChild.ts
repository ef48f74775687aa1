import { createGraphConnection } from '../shared/adapters/graph/graphClient.js';
import { createGraphGateway } from '../shared/adapters/graph/graphGateway.js';
import type { RosterTable } from '../shared/adapters/tables/rosterTable.js';
import { isCorruptRow } from '../shared/adapters/tables/rosterTable.js';
import { loadConfig } from '../shared/config/loadConfig.js';
import { createWavePlanner } from '../shared/core/createWavePlanner.js';
import { createLogger } from '../shared/log/logEvent.js';
import { openRollout } from '../shared/shell/rolloutPorts.js';
import { refreshRoster } from '../shared/shell/refreshRoster.js';

/** What the parent hands over in BENCH_ROSTER. */
export interface RosterChildInput {
  /** `table`: the real refresh into Azurite; `stream`: the same refresh with the roster writes discarded. */
  readonly mode: 'table' | 'stream';
  readonly settings: Record<string, string>;
  /** Users in the sandbox tenant, for the RSS checkpoints. */
  readonly tenantUsers: number;
}

export interface RosterChildOutput {
  readonly mode: 'table' | 'stream';
  readonly users: number;
  readonly pages: number;
  readonly seconds: number;
  /** Peak resident set size of this process over its whole life, MB (getrusage ru_maxrss, read as the last thing before exit: planning included). */
  readonly peakRssMB: number;
  /**
   * After 10 %, 50 % and 100 % of the users: RSS, and the live heap right after a full garbage collection (the
   * process runs with --expose-gc), MB. The live heap stays flat when memory does not grow with the tenant.
   */
  readonly rssAlongMB: readonly { readonly users: number; readonly rssMB: number; readonly liveHeapMB: number }[];
  /** The most V8 heap (heapTotal: live objects and garbage not yet collected) seen after any page, MB: how much of the peak RSS is the JavaScript heap. */
  readonly peakHeapTotalMB: number;
  readonly gateway: Readonly<Record<string, number>>;
  /** table mode: planning one wave while streaming the rows back from the table. */
  readonly planFromTableSeconds?: number;
}

/**
 * One roster refresh in a process of its own, so its peak RSS is the rollout's alone (the sandbox and Azurite run
 * in other processes). Prints one JSON line (RosterChildOutput) on stdout.
 */
const input = JSON.parse(process.env.BENCH_ROSTER ?? '{}') as RosterChildInput;
const config = loadConfig(input.settings);
const logger = createLogger(() => undefined);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const expected = input.tenantUsers;
const along: { users: number; rssMB: number; liveHeapMB: number }[] = [];
const sample = (users: number) => {
  const rssMB = mb(process.memoryUsage().rss);
  (globalThis as { gc?: () => void }).gc?.();
  along.push({ users, rssMB, liveHeapMB: mb(process.memoryUsage().heapUsed) });
};
const checkpoints = [0.1, 0.5].map((share) => Math.round(expected * share));
let peakHeapTotal = 0;
const onPage = (users: number) => {
  peakHeapTotal = Math.max(peakHeapTotal, process.memoryUsage().heapTotal);
  while (checkpoints.length > 0 && users >= (checkpoints[0] ?? Infinity)) {
    checkpoints.shift();
    sample(users);
  }
};

let output: RosterChildOutput;
if (input.mode === 'stream') {
  const connection = createGraphConnection(config);
  const gateway = createGraphGateway(connection, config, { logger });
  // the real refresh (group members, users page by page, classification); only the table writes are dropped
  const discard = { upsertSnapshots: async () => undefined, markAbsent: async () => 0 } as unknown as RosterTable;
  const started = performance.now();
  const summary = await refreshRoster(gateway, discard, config, 'bench-refresh', logger, onPage);
  const seconds = (performance.now() - started) / 1000;
  sample(summary.users);
  await connection.close();
  output = { mode: 'stream', users: summary.users, pages: summary.pages, seconds, peakRssMB: 0, peakHeapTotalMB: 0, rssAlongMB: along, gateway: { ...gateway.stats } };
} else {
  const rollout = await openRollout(config, logger);
  const started = performance.now();
  const summary = await refreshRoster(rollout.ports.gateway, rollout.ports.roster, config, 'bench-refresh', logger, onPage);
  const seconds = (performance.now() - started) / 1000;
  sample(summary.users);
  const planStarted = performance.now();
  const planner = createWavePlanner([], config, new Date());
  for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row)) planner.add(row.user);
  planner.finish();
  const planFromTableSeconds = (performance.now() - planStarted) / 1000;
  await rollout.close();
  output = { mode: 'table', users: summary.users, pages: summary.pages, seconds, peakRssMB: 0, peakHeapTotalMB: 0, rssAlongMB: along, gateway: { ...rollout.ports.gateway.stats }, planFromTableSeconds };
}
// the peak over the whole life of the process: refresh, planning and closing included
process.stdout.write(`${JSON.stringify({ ...output, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), peakHeapTotalMB: mb(peakHeapTotal) })}\n`);
