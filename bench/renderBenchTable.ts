import type { Machine } from './describeMachine.js';
import type { EnforcementResult } from './enforcementBench.js';
import type { PlanningResult } from './planningBench.js';
import type { RosterResult } from './rosterBench.js';

export interface BenchResults {
  readonly ranAt: string;
  readonly totalSeconds: number;
  readonly machine: Machine;
  readonly enforcement?: EnforcementResult | undefined;
  readonly roster?: RosterResult | undefined;
  readonly planning?: PlanningResult | undefined;
}

/** Limits of issue 5. */
export const targets = { throughputRatio: 0.9, throttledShare: 0.01, peakRssMB: 250, planningSeconds: 2 } as const;

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (share: number) => `${n(share * 100, 2)} %`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   ')}`.trimEnd());
}

/** The table `npm run bench` prints: each figure beside its target. */
export function renderBenchTable(results: BenchResults): string {
  const { machine } = results;
  const lines = [
    `mfa-rollout bench, ${results.ranAt}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage} at start; ${n(results.totalSeconds, 1)} s in all`,
  ];
  const { enforcement, roster, planning } = results;
  if (enforcement !== undefined) {
    const { quota, rollout, sequential } = enforcement;
    lines.push(
      '',
      `Enforcement throughput: ${n(enforcement.tenantUsers)}-user sandbox tenant, Graph's write quota (${n(quota.capacity)} writes per app and tenant per 150 s) with windows ${quota.timeScale}× shorter:`,
      `  ${n(quota.capacity)} writes of burst + ${n(quota.refillPerSecond)} per second; writes answered in ${enforcement.latency.writesMs} ms, reads in ${enforcement.latency.readsMs} ms`,
      ...table([
        ['', 'users', 'seconds', 'users/min', 'max users/min', 'writes/user', 'of the max', '429 share', 'target'],
        [
          `rollout (runWave, concurrency ${rollout.concurrency})`,
          n(rollout.usersEnforced), n(rollout.seconds, 1), n(rollout.usersPerMinute), n(rollout.theoreticalUsersPerMinute), n(rollout.writesPerUser, 2), n(rollout.ratio, 3), pct(rollout.throttledShare),
          `≥ ${targets.throughputRatio} ${verdict(rollout.ratio >= targets.throughputRatio)}, < ${pct(targets.throttledShare)} ${verdict(rollout.throttledShare < targets.throttledShare)}`,
        ],
        ['sequential client (1 call at a time)', n(sequential.usersEnforced), n(sequential.seconds, 1), n(sequential.usersPerMinute), n(sequential.theoreticalUsersPerMinute), n(sequential.writesPerUser, 2), n(sequential.ratio, 3), pct(sequential.throttledShare), `(${n(sequential.ratioToUnscaledQuota, 2)} of Graph's unscaled quota)`],
      ]),
      `  max users/min = (${n(quota.capacity)} + ${n(quota.refillPerSecond)} × seconds) / writes per user, per minute of the run; "of the max" = writes landed / (${n(quota.capacity)} + ${n(quota.refillPerSecond)} × seconds)`,
      `  rollout: pace ${n(rollout.startWritesPerSecond)} → ${n(rollout.finalWritesPerSecond, 1)} writes/s (peak second ${n(rollout.peakWritesPerSecond)}), ${n(rollout.operations)} Graph operations in ${n(rollout.gateway.batches ?? 0)} $batch requests + plain ones, ${n(rollout.throttled)} answered 429, ${n(rollout.gateway.retries ?? 0)} retries, ${rollout.failed} users failed, duplicate writes ${rollout.duplicateWrites}, most writes to one user ${rollout.maxWritesPerUser}, one retry layer: ${rollout.oneRetryLayer ? 'yes' : 'NO'}`,
    );
  }
  if (roster !== undefined) {
    const along = (rss: RosterResult['stream']['rssAlongMB']) => rss.map((point) => `${n(point.users)}: ${point.rssMB} MB (live heap ${point.liveHeapMB} MB)`).join(', ');
    lines.push(
      '',
      'Roster refresh (the rollout in its own process; the sandbox and Azurite in theirs)',
      ...table([
        ['', 'users', 'pages', 'seconds', 'peak RSS', 'target'],
        ['paged from the sandbox, roster writes discarded', n(roster.stream.users), n(roster.stream.pages), n(roster.stream.seconds, 1), `${roster.stream.peakRssMB} MB`, `< ${targets.peakRssMB} MB ${verdict(roster.stream.peakRssMB < targets.peakRssMB)}`],
        ['paged from the sandbox into Azurite', n(roster.table.users), n(roster.table.pages), n(roster.table.seconds, 1), `${roster.table.peakRssMB} MB`, `< ${targets.peakRssMB} MB ${verdict(roster.table.peakRssMB < targets.peakRssMB)}`],
      ]),
      `  RSS along the way: ${along(roster.stream.rssAlongMB)} (discarded); ${along(roster.table.rssAlongMB)} (Azurite)`,
      ...(roster.table.planFromTableSeconds === undefined ? [] : [`  planning the next wave while reading the ${n(roster.table.users)} rows back from Azurite: ${n(roster.table.planFromTableSeconds, 1)} s`]),
    );
  }
  if (planning !== undefined) {
    lines.push(
      '',
      'Planning one wave (pure core, rows in memory)',
      ...table([
        ['', 'rows', 'seconds (median of 3)', 'planned', 'announced', 'probes', 'target'],
        ['mid-rollout night', n(planning.rows), n(planning.seconds, 3), n(planning.planned), n(planning.announced), n(planning.probes), `< ${targets.planningSeconds} s ${verdict(planning.seconds < targets.planningSeconds)}`],
      ]),
    );
  }
  return lines.join('\n');
}
