#!/usr/bin/env node
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { enforcementBench, type BenchStrategy, type EnforcementResult } from './enforcementBench.js';
import { describeMachine } from './describeMachine.js';
import { planningBench, type PlanningResult } from './planningBench.js';
import { renderBenchTable } from './renderBenchTable.js';
import { rosterBench, type RosterResult } from './rosterBench.js';

/**
 * `npm run bench`: the three measurements (enforcement in each of the four ways Graph may count its write
 * quota: docs/graph-behaviour.md#throttling), printed as a table with their targets and written to bench/results.json; `--repeat N` runs them N
 * times and prints min / median / max. Benchmarks, not tests: nothing here is part of `npm test`.
 */
const whole = (name: string, min: number, max: number) => (value: string): number => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected ${name} to be a whole number from ${min} to ${max}`);
  return parsed;
};
const benches = ['enforcement', 'roster', 'planning'] as const;

const program = new Command('bench')
  .description('Benchmarks of mfa-rollout against the sandbox tenant and Azurite')
  .option('--users <n>', 'tenant size of the enforcement runs (a production night of 2,000, then one wave of the rest)', whole('--users', 3_000, 200_000), 7_000)
  .option('--bucket-time-scale <n>', 'how many times faster than Graph the bucket combinations run the quota windows (same capacities; 1 = Graph\'s own pace)', whole('--bucket-time-scale', 1, 100), 1)
  .option('--window-time-scale <n>', 'how many times faster than Graph the window combinations run the quota windows (same capacities)', whole('--window-time-scale', 1, 100), 3)
  .option('--concurrency <n>', 'MFA_GRAPH_CONCURRENCY of the rollout', whole('--concurrency', 1, 64), 16)
  .option('--strategy <strategy>', 'MFA_STRATEGY of the enforcement runs: conditionalAccessGroup (a directory write per user) or perUserMfa', (value) => {
    if (value !== 'conditionalAccessGroup' && value !== 'perUserMfa') throw new InvalidArgumentError('expected --strategy to be conditionalAccessGroup or perUserMfa');
    return value;
  }, 'conditionalAccessGroup')
  .option('--combinations <list>', 'comma-separated subset of the throttling combinations: bucket/headers, bucket/none, window/headers, window/none', (value) => value.split(',').map((name) => name.trim()))
  .option('--repeat <n>', 'run every bench this many times; the table shows min / median / max', whole('--repeat', 1, 20), 1)
  .option('--roster-users <n>', 'tenant size of the roster refresh (streamed from the sandbox)', whole('--roster-users', 1_000, 1_000_000), 100_000)
  .option('--roster-table-users <n>', 'tenant size of the roster refresh written into Azurite', whole('--roster-table-users', 100, 1_000_000), 100_000)
  .option('--plan-users <n>', 'roster rows the wave is planned from', whole('--plan-users', 1_000, 1_000_000), 100_000)
  .option('--seed <n>', 'tenant generation seed', whole('--seed', 0, 2 ** 31 - 1), 1)
  .option('--only <benches>', `comma-separated subset of ${benches.join(', ')}`, (value) => value.split(',').map((name) => name.trim()))
  .option('--out <file>', 'where the JSON results go', fileURLToPath(new URL('../../bench/results.json', import.meta.url)));
program.parse();
const flags = program.opts<{ combinations?: string[]; users: number; bucketTimeScale: number; windowTimeScale: number; concurrency: number; strategy: BenchStrategy; repeat: number; rosterUsers: number; rosterTableUsers: number; planUsers: number; seed: number; only?: string[]; out: string }>();
const selected = new Set(flags.only ?? benches);
for (const name of selected) if (!(benches as readonly string[]).includes(name)) program.error(`--only: unknown bench '${name}'; expected ${benches.join(', ')}`);

const log = (line: string) => process.stderr.write(`${line}\n`);
const started = performance.now();
const machine = describeMachine();
log(`mfa-rollout bench on ${machine.cpus}× ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);

const runs: { seconds?: number; enforcement?: EnforcementResult; roster?: RosterResult; planning?: PlanningResult }[] = [];
for (let run = 1; run <= flags.repeat; run += 1) {
  if (flags.repeat > 1) log(`run ${run} of ${flags.repeat}`);
  const runStarted = performance.now();
  const results: (typeof runs)[number] = {};
  const roster = async () => {
    log('roster refresh…');
    results.roster = await rosterBench({ streamUsers: flags.rosterUsers, tableUsers: flags.rosterTableUsers, seed: flags.seed, log });
  };
  if (selected.has('enforcement')) {
    log('enforcement throughput, four throttling combinations…');
    // the roster bench runs while the sequential client does (one call at a time: little CPU), which keeps the default run under 15 minutes
    results.enforcement = await enforcementBench({ ...(flags.combinations === undefined ? {} : { combinations: flags.combinations }), users: flags.users, timeScales: { bucket: flags.bucketTimeScale, window: flags.windowTimeScale }, concurrency: flags.concurrency, strategy: flags.strategy, seed: flags.seed, log, ...(selected.has('roster') ? { alongside: roster } : {}) });
  } else if (selected.has('roster')) {
    await roster();
  }
  if (selected.has('planning')) {
    log('planning…');
    results.planning = await planningBench({ rows: flags.planUsers, seed: flags.seed });
  }
  results.seconds = Math.round((performance.now() - runStarted) / 100) / 10;
  log(`run ${run}: ${results.seconds} s`);
  runs.push(results);
}

const totalSeconds = Math.round((performance.now() - started) / 100) / 10;
const results = { ranAt: new Date().toISOString(), totalSeconds, machine, flags: { ...flags, out: undefined }, runs };
process.stdout.write(`${renderBenchTable(results)}\n`);
await writeFile(flags.out, `${JSON.stringify(results, null, 2)}\n`);
log(`results written to ${flags.out} (${totalSeconds} s in all)`);
