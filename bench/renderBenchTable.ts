import type { Machine } from './describeMachine.js';
import { combinationLabel, graphWriteQuota, type CombinationResult, type EnforcementResult, type NightFigures, type QuotaRun } from './enforcementBench.js';
import type { PlanningResult } from './planningBench.js';
import type { RosterResult } from './rosterBench.js';

export interface BenchRun {
  /** Wall time of this run, s. */
  readonly seconds?: number | undefined;
  readonly enforcement?: EnforcementResult | undefined;
  readonly roster?: RosterResult | undefined;
  readonly planning?: PlanningResult | undefined;
}

export interface BenchResults {
  readonly ranAt: string;
  readonly totalSeconds: number;
  readonly machine: Machine;
  /** One entry per `--repeat`. */
  readonly runs: readonly BenchRun[];
}

/** The targets the table marks MISSED when a run falls short of them (docs/benchmarks.md). */
export const targets = { quotaShare: 0.9, throttledShare: 0.01, peakRssMB: 250, planningSeconds: 2 } as const;

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (share: number) => `${n(share * 100, 2)} %`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => (column <= 1 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   ')}`.trimEnd());
}

/** min / median / max of the runs' values. */
function spread(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? 0, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}

/** One run: the value; several: `median (min–max)`. */
function figure(values: readonly number[], format: (value: number) => string): string {
  if (values.length <= 1) return format(values[0] ?? 0);
  const { min, median, max } = spread(values);
  return `${format(median)} (${format(min)}–${format(max)})`;
}

/** The table `npm run bench` prints: each figure beside its target, labelled with the quota model it was measured against. */
export function renderBenchTable(results: BenchResults): string {
  const { machine, runs } = results;
  const lines = [
    `mfa-rollout bench, ${results.ranAt}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage} at start; ${n(results.totalSeconds, 1)} s in all${runs.length > 1 ? `, ${runs.length} runs (${runs.map((run) => `${n(run.seconds ?? 0)} s`).join(', ')}): median (min–max)` : ''}`,
  ];
  const enforcement = runs.map((run) => run.enforcement).filter((run): run is EnforcementResult => run !== undefined);
  const first = enforcement[0];
  if (first !== undefined) {
    const scales = new Map(first.combinations.map((combination) => [combination.model, combination.quota]));
    const bucket = scales.get('bucket');
    const window = scales.get('window');
    const scale = (quota: QuotaRun) => (quota.timeScale === 1 ? `Graph's own pace (${n(quota.capacity)} per ${n(quota.windowSeconds)} s)` : `time scale ${quota.timeScale}: windows ${quota.timeScale}× shorter, ${n(quota.capacity)} per ${n(quota.windowSeconds, 1)} s`);
    lines.push(
      '',
      `Enforcement: ${n(first.tenantUsers)}-user sandbox tenant, strategy ${first.strategy}; Graph's write quota of ${n(graphWriteQuota.capacity)} writes per app and tenant per ${graphWriteQuota.windowSeconds} s, counted two ways:`,
      ...(bucket === undefined ? [] : [`  bucket = a token bucket that starts full and refills ${n(bucket.refillPerSecond)}/s (at most ${n(bucket.capacity)} + ${n(bucket.refillPerSecond)} × T writes in T s), ${scale(bucket)};`]),
      ...(window === undefined ? [] : [`  window = a sliding window, ${n(window.capacity)} in any ${n(window.windowSeconds, 1)} s, no credit for idle time (at most ${n(window.capacity)} per whole window), ${scale(window)};`]),
      `  headers = directory answers carry x-ms-resource-unit / x-ms-throttle-* (never phone or per-user MFA answers); no headers = none anywhere. Writes answered in ${first.latency.writesMs} ms, reads in ${first.latency.readsMs} ms.`,
    );
    const nightRow = (label: string, night: string, pick: (combination: CombinationResult) => NightFigures, index: number): string[] => {
      const nights = enforcement.map((run) => run.combinations[index]).filter((combination): combination is CombinationResult => combination !== undefined).map(pick);
      const shares = nights.map((figures) => figures.quota.share);
      const throttledShares = nights.map((figures) => figures.throttledShare);
      return [
        label,
        night,
        `${first.combinations[index]?.quota.timeScale ?? ''}×`,
        figure(nights.map((figures) => figures.users), (value) => n(value)),
        figure(nights.map((figures) => figures.seconds), (value) => n(value, 1)),
        figure(nights.map((figures) => figures.usersPerMinute), (value) => n(value)),
        figure(nights.map((figures) => figures.writesPerUser), (value) => n(value, 2)),
        figure(shares, (value) => n(value, 3)),
        figure(throttledShares, pct),
        `≥ ${targets.quotaShare} ${verdict(Math.min(...shares) >= targets.quotaShare)}, < ${pct(targets.throttledShare)} ${verdict(Math.max(...throttledShares) < targets.throttledShare)}`,
      ];
    };
    const rows: string[][] = [['quota model', 'night', 'time scale', 'users', 'seconds', 'users/min', 'writes/user', 'quota share', '429 share', 'target']];
    first.combinations.forEach((combination, index) => {
      rows.push(nightRow(combinationLabel(combination), 'production (wave of 2,000)', (c) => c.production, index));
      rows.push(nightRow('', 'next night: one wave of the rest', (c) => c.wave, index));
    });
    const sequential = enforcement.map((run) => run.sequential);
    rows.push([
      `${first.sequential.model}, headers`,
      'sequential client (1 call at a time)',
      `${first.sequential.timeScale}×`,
      figure(sequential.map((run) => run.users), (value) => n(value)),
      figure(sequential.map((run) => run.seconds), (value) => n(value, 1)),
      figure(sequential.map((run) => run.usersPerMinute), (value) => n(value)),
      figure(sequential.map((run) => (run.users === 0 ? 0 : run.writes / run.users)), (value) => n(value, 2)),
      figure(sequential.map((run) => run.quota.share), (value) => n(value, 3)),
      '',
      '(comparison: as long as the first long wave)',
    ]);
    lines.push(...table(rows));
    lines.push(
      '  quota share = writes landed ÷ the most the model admits over the same night (bucket: capacity + refill × T, T from wave.started to wave.closed; window: the capacity of each whole window from the first write)',
      '  429 share = answers 429 ÷ every Graph operation of the night (plain requests + $batch items, reads included)',
    );
    for (const [index, combination] of first.combinations.entries()) {
      const last = enforcement.at(-1)?.combinations[index] ?? combination;
      for (const [night, figures] of [['production', last.production], ['wave', last.wave]] as const) {
        lines.push(
          `  ${combinationLabel(combination)}, ${night}${enforcement.length > 1 ? ' (last run)' : ''}: ${n(figures.writes)} writes (${figures.quota.basis}), pace ended at ${n(figures.finalWritesPerSecond, 1)} writes/s (busiest second ${n(figures.peakWritesPerSecond)}), ${n(figures.operations)} operations in ${n(figures.batches)} $batch requests + plain ones, ${n(figures.throttled)} answered 429 (writes: ${Object.entries(figures.throttledWrites ?? {}).map(([operation, count]) => `${operation} ${count}`).join(', ') || 'none'}), ${n(figures.retries)} retries, ${figures.failed} users failed, duplicate writes ${figures.duplicateWrites}, most writes to one user ${figures.maxWritesPerUser}, one retry layer: ${figures.oneRetryLayer ? 'yes' : 'NO'}${figures.phases === undefined ? '' : `; first write ${n(figures.phases.leadSeconds, 1)} s after wave.started, wave.closed ${n(figures.phases.tailSeconds, 1)} s after the last (refresh and planning before wave.started: ${n(figures.phases.beforeStartSeconds, 1)} s)`}`,
        );
      }
    }
  }
  const rosters = runs.map((run) => run.roster).filter((run): run is RosterResult => run !== undefined);
  const roster = rosters.at(-1);
  if (roster !== undefined) {
    const along = (rss: RosterResult['stream']['rssAlongMB']) => rss.map((point) => `${n(point.users)}: ${point.rssMB} MB (live heap ${point.liveHeapMB} MB)`).join(', ');
    const peak = (pick: (run: RosterResult) => number) => figure(rosters.map(pick), (value) => `${n(value)} MB`);
    lines.push(
      '',
      'Roster refresh (the rollout in its own process; the sandbox and Azurite in theirs); peak RSS over the whole process, planning included',
      ...table([
        ['', '', 'users', 'pages', 'seconds', 'peak RSS', 'target'],
        ['paged from the sandbox, roster writes discarded', '', n(roster.stream.users), n(roster.stream.pages), figure(rosters.map((run) => run.stream.seconds), (value) => n(value, 1)), peak((run) => run.stream.peakRssMB), `< ${targets.peakRssMB} MB ${verdict(Math.max(...rosters.map((run) => run.stream.peakRssMB)) < targets.peakRssMB)}`],
        ['paged from the sandbox into Azurite, then planned from it', '', n(roster.table.users), n(roster.table.pages), figure(rosters.map((run) => run.table.seconds), (value) => n(value, 1)), peak((run) => run.table.peakRssMB), `< ${targets.peakRssMB} MB ${verdict(Math.max(...rosters.map((run) => run.table.peakRssMB)) < targets.peakRssMB)}`],
      ]),
      `  RSS along the way${rosters.length > 1 ? ' (last run)' : ''}: ${along(roster.stream.rssAlongMB)} (discarded); ${along(roster.table.rssAlongMB)} (Azurite)`,
      ...(roster.table.peakHeapTotalMB === undefined ? [] : [`  most V8 heap after any page (live objects and garbage not yet collected)${rosters.length > 1 ? ' (last run)' : ''}: ${roster.stream.peakHeapTotalMB} MB (discarded), ${roster.table.peakHeapTotalMB} MB (Azurite); the rest of the RSS is the process outside the heap (code, buffers)`]),
      ...(roster.table.planFromTableSeconds === undefined ? [] : [`  planning the next wave while reading the ${n(roster.table.users)} rows back from Azurite: ${figure(rosters.map((run) => run.table.planFromTableSeconds ?? 0), (value) => n(value, 1))} s`]),
    );
  }
  const plannings = runs.map((run) => run.planning).filter((run): run is PlanningResult => run !== undefined);
  const planning = plannings.at(-1);
  if (planning !== undefined) {
    lines.push(
      '',
      'Planning one wave (pure core, rows in memory)',
      ...table([
        ['', '', 'rows', 'seconds (median of 3)', 'planned', 'announced', 'probes', 'target'],
        ['mid-rollout night', '', n(planning.rows), figure(plannings.map((run) => run.seconds), (value) => n(value, 3)), n(planning.planned), n(planning.announced), n(planning.probes), `< ${targets.planningSeconds} s ${verdict(Math.max(...plannings.map((run) => run.seconds)) < targets.planningSeconds)}`],
      ]),
    );
  }
  return lines.join('\n');
}
