import { writeFileSync } from 'node:fs';
import { describeMachine } from './describeMachine.js';
import { applicationWritesPerSecond, runManyTenantsBench, tenantQuotaPerSecond, type ManyTenantsBenchOptions, type ManyTenantsBenchResult } from './manyTenantsBench.js';

/**
 * `npm run bench:tenants [-- --tenants 200 --workers 2 --batch 16 --rate-scale 0.5 --out file.json]`: the many-tenants
 * bench. Runs (`--runs`, default `shared,own,off`):
 * - `shared`: Graph's app-wide write limit on (as documented), the product told it: the nights writing at once share
 *   it through the writers' register (MFA_GRAPH_APP_WRITE_QUOTA);
 * - `own`: the limit on, each night pacing at its own tenant's quota only (the product without the register);
 * - `off`: no app-wide limit (each tenant only its own quota), the product still sharing the documented limit: what
 *   that caution costs if Graph did not enforce it;
 * - `alone`: no app-wide limit and the product told none: each tenant only its own quota, the sum of the quotas the
 *   capacity (run it with a small `--rate-scale`, 0.1, so that the sum stays under what the machine can serve);
 * - `split`: the limit on, each night's pace set statically to the limit ÷ the tenants that can run at once;
 * - `shared-window`, `own-window`: as `shared` and `own`, every write limit (the tenants' and the app-wide one) counted
 *   as a sliding window instead of a refilling bucket (Microsoft says neither: docs/graph-behaviour.md#throttling).
 * `--rate-scale F` multiplies every write rate (quotas, limit, pace) by F ≤ 1, to keep the limits under what the machine
 * can serve (0.5 by default: this 2-core machine serves ~90 writes/s with the sandbox, Azurite and the workers on it).
 */
const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a whole number of at least 1`);
  return value;
};
const outAt = process.argv.indexOf('--out');
const out = outAt < 0 ? 'bench/many-tenants-results.json' : (process.argv[outAt + 1] ?? '');
const scaleAt = process.argv.indexOf('--rate-scale');
const rateScale = scaleAt < 0 ? 0.5 : Number(process.argv[scaleAt + 1]);
if (!(rateScale > 0 && rateScale <= 1)) throw new Error('--rate-scale: expected a number above 0, at most 1');
const runsAt = process.argv.indexOf('--runs');
const chosen = new Set((runsAt < 0 ? 'shared,shared-window,own,off' : (process.argv[runsAt + 1] ?? '')).split(','));
const base = { tenants: argument('tenants', 200), workers: argument('workers', 2), batchSize: argument('batch', 16), seed: argument('seed', 500), rateScale, writeModel: 'bucket' as const };
const atOnce = Math.min(base.tenants, base.workers * base.batchSize);
const [tenantQuota, appLimit] = [tenantQuotaPerSecond * rateScale, applicationWritesPerSecond * rateScale];
const splitPace = Math.floor((appLimit / atOnce) * 100) / 100;
const runs: { readonly key: string; readonly label: string; readonly options: ManyTenantsBenchOptions }[] = [
  { key: 'shared', label: 'app-wide limit on, nights share it (writers\' register)', options: { ...base, applicationLimit: true, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'own', label: 'app-wide limit on, each night only its own quota', options: { ...base, applicationLimit: true, productShares: false, writesPerSecond: tenantQuota } },
  { key: 'off', label: 'no app-wide limit, nights still share the documented one', options: { ...base, applicationLimit: false, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'alone', label: 'no app-wide limit, each night only its own quota', options: { ...base, applicationLimit: false, productShares: false, writesPerSecond: tenantQuota } },
  { key: 'shared-window', label: 'as shared, every write limit a sliding window', options: { ...base, writeModel: 'window' as const, applicationLimit: true, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'own-window', label: 'as own, every write limit a sliding window', options: { ...base, writeModel: 'window' as const, applicationLimit: true, productShares: false, writesPerSecond: tenantQuota } },
  { key: 'split', label: `app-wide limit on, pace = app limit ÷ ${atOnce}`, options: { ...base, applicationLimit: true, productShares: false, writesPerSecond: splitPace } },
].filter((run) => chosen.has(run.key));
if (runs.length === 0) throw new Error('--runs: expected a comma-separated list of shared, own, off, alone, split, shared-window, own-window');

const machine = describeMachine();
const started = new Date().toISOString();
const results: (ManyTenantsBenchResult & { readonly label: string })[] = [];
for (const run of runs) {
  process.stderr.write(`bench:tenants: ${run.label} …\n`);
  results.push({ label: run.label, ...(await runManyTenantsBench(run.options)) });
}
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
const first = results[0];
console.log(`Many-tenants bench, ${started} · ${machine.cpus} CPU ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage} at start`);
if (first !== undefined) console.log(`${base.tenants} tenants, ${first.users} users (${first.minUsers}–${first.maxUsers} each) · ${base.workers} workers × batchSize ${base.batchSize} = ${atOnce} tenants at once · tenant quota ${tenantQuota} writes/s, app-wide ${appLimit.toFixed(1)} writes/s (rate scale ${rateScale}) · write limits counted as buckets unless the run says window`);
console.log('');
console.log('| run | pace/tenant | writes | busy s | writes/s | capacity | binds | aggregate share | lowest tenant | median tenant | own quota while writing | writing at once | 429 share | app 429s | wall s | worker peak RSS | settled | unfinished |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const result of results) {
  console.log(`| ${result.label} | ${result.options.writesPerSecond} | ${result.writes} | ${result.busySeconds.toFixed(1)} | ${result.writesPerSecond.toFixed(1)} | ${result.capacity.toFixed(1)} | ${result.binds} | ${percent(result.aggregateShare)} | ${percent(result.lowestTenantShare)} | ${percent(result.medianTenantShare)} | ${percent(result.ownQuotaWhileWriting)} | ${result.writingAtOnce.toFixed(1)} of ${result.tenantsAtOnce} | ${percent(result.throttledShare)} | ${result.applicationThrottled} | ${result.wallSeconds.toFixed(0)} | ${result.peakWorkerRssMiB.toFixed(0)} MiB | ${result.settled.deleted} deleted, ${result.settled.other} other | ${result.unfinishedTenants} |`);
}
for (const result of results) console.log(`${result.label}: nights ${JSON.stringify(result.nights)} · failed users ${JSON.stringify(result.userErrors)}`);
writeFileSync(out, `${JSON.stringify({ started, machine, results }, null, 2)}\n`);
console.log(`\nResults: ${out}`);
