import { writeFileSync } from 'node:fs';
import { describeMachine } from './describeMachine.js';
import { applicationWritesPerSecond, runManyTenantsBench, tenantQuotaPerSecond, tenantWindowSeconds, type ManyTenantsBenchOptions, type ManyTenantsBenchResult } from './manyTenantsBench.js';
import { manyTenantsVerdicts, renderVerdicts } from './manyTenantsTargets.js';

/**
 * `npm run bench:tenants [-- --tenants 200 --workers 2 --slots 16 --rate-scale 0.5 --out file.json]`: the many-tenants
 * bench. Runs (`--runs`, default all but `split` and `own-window`):
 * - `shared`: Graph's app-wide write limit on (as documented), the product told it: the nights writing at once share
 *   it through the writers' register (MFA_GRAPH_APP_WRITE_QUOTA);
 * - `own`: the limit on, each night pacing at its own tenant's quota only (the product without the register);
 * - `off`: no app-wide limit (each tenant only its own quota), the product still sharing the documented limit: what
 *   that caution costs if Graph did not enforce it;
 * - `alone`, `alone-window`: no app-wide limit and the product told none: each tenant only its own quota, the sum of
 *   the quotas the capacity, the quotas counted as buckets and as sliding windows (at rate scale 0.1 unless
 *   `--rate-scale` says otherwise, so that the sum stays under what the machine can serve);
 * - `split`: the limit on, each night's pace set statically to the limit ÷ the tenants that can run at once;
 * - `shared-window`, `own-window`: as `shared` and `own`, every write limit (the tenants' and the app-wide one) counted
 *   as a sliding window instead of a refilling bucket (Microsoft says neither: docs/graph-behaviour.md#throttling).
 * `--rate-scale F` multiplies every write rate (quotas, limit, pace) by F ≤ 1, to keep the limits under what the machine
 * can serve (0.5 by default, 0.1 for `alone`: this 2-core machine serves ~90 writes/s with the sandbox, Azurite and the
 * workers on it). `--slots N`: nights each worker runs at once, each slot taking its next message when its own ends.
 * `--size-factor K`: every tenant K times larger (30·K to 120·K users), so that a night spans more quota windows.
 * `--nights N`: N nights one after the other, each tenant N times larger with waves of its size ÷ N, the figures the
 * last night's (the nights after the first go out in the order the first gave: the longest first); default 2 for
 * `alone` and `alone-window`, whose capacity is the tenants' quotas, where the order decides how many slots stand
 * empty at the end, and 1 for the others, where the app-wide limit binds.
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
const givenScale = scaleAt < 0 ? null : Number(process.argv[scaleAt + 1]);
if (givenScale !== null && !(givenScale > 0 && givenScale <= 1)) throw new Error('--rate-scale: expected a number above 0, at most 1');
const rateScale = givenScale ?? 0.5;
const aloneScale = givenScale ?? 0.1;
const runsAt = process.argv.indexOf('--runs');
const chosen = new Set((runsAt < 0 ? 'shared,shared-window,own,off,alone,alone-window' : (process.argv[runsAt + 1] ?? '')).split(','));
const nightsAt = process.argv.indexOf('--nights');
const givenNights = nightsAt < 0 ? null : argument('nights', 1);
const [nights, aloneNights] = [givenNights ?? 1, givenNights ?? 2];
const base = { nights, tenants: argument('tenants', 200), workers: argument('workers', 2), slots: argument('slots', 16), seed: argument('seed', 500), sizeFactor: argument('size-factor', 1), rateScale, writeModel: 'bucket' as const };
const atOnce = Math.min(base.tenants, base.workers * base.slots);
const [tenantQuota, appLimit] = [tenantQuotaPerSecond * rateScale, applicationWritesPerSecond * rateScale];
const splitPace = Math.floor((appLimit / atOnce) * 100) / 100;
const runs: { readonly key: string; readonly label: string; readonly options: ManyTenantsBenchOptions }[] = [
  { key: 'shared', label: 'app-wide limit on, nights share it (writers\' register)', options: { ...base, applicationLimit: true, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'own', label: 'app-wide limit on, each night only its own quota', options: { ...base, applicationLimit: true, productShares: false, writesPerSecond: tenantQuota } },
  { key: 'off', label: 'no app-wide limit, nights still share the documented one', options: { ...base, applicationLimit: false, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'alone', label: `no app-wide limit, each night only its own quota (rate scale ${aloneScale})`, options: { ...base, nights: aloneNights, rateScale: aloneScale, applicationLimit: false, productShares: false, writesPerSecond: tenantQuotaPerSecond * aloneScale } },
  { key: 'alone-window', label: `as alone, every write limit a sliding window (rate scale ${aloneScale})`, options: { ...base, nights: aloneNights, rateScale: aloneScale, writeModel: 'window' as const, applicationLimit: false, productShares: false, writesPerSecond: tenantQuotaPerSecond * aloneScale } },
  { key: 'shared-window', label: 'as shared, every write limit a sliding window', options: { ...base, writeModel: 'window' as const, applicationLimit: true, productShares: true, writesPerSecond: tenantQuota } },
  { key: 'own-window', label: 'as own, every write limit a sliding window', options: { ...base, writeModel: 'window' as const, applicationLimit: true, productShares: false, writesPerSecond: tenantQuota } },
  { key: 'split', label: `app-wide limit on, pace = app limit ÷ ${atOnce}`, options: { ...base, applicationLimit: true, productShares: false, writesPerSecond: splitPace } },
].filter((run) => chosen.has(run.key));
if (runs.length === 0) throw new Error('--runs: expected a comma-separated list of shared, own, off, alone, alone-window, split, shared-window, own-window');

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
if (first !== undefined) console.log(`${base.tenants} tenants, ${first.users} users (${first.minUsers}–${first.maxUsers} each) · ${base.workers} workers × ${base.slots} slots (batchSize 1, newBatchThreshold ${base.slots - 1}) = ${atOnce} tenants at once · tenant quota ${tenantQuota} writes/s (${tenantQuota * tenantWindowSeconds} per ${tenantWindowSeconds} s), app-wide ${appLimit.toFixed(1)} writes/s (rate scale ${rateScale} unless the run says otherwise) · write limits counted as buckets unless the run says window`);
console.log('');
console.log('| run | pace/tenant | writes | busy s | writes/s | capacity | binds | aggregate share | of nights running | lowest tenant | median tenant | own quota while writing | writing at once | running at once | 429 share | app 429s | wall s | worker peak RSS | settled | unfinished |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const result of results) {
  console.log(`| ${result.label} | ${result.options.writesPerSecond} | ${result.writes} | ${result.busySeconds.toFixed(1)} | ${result.writesPerSecond.toFixed(1)} | ${result.capacity.toFixed(1)} | ${result.binds} | ${percent(result.aggregateShare)} | ${percent(result.runningShare)} | ${percent(result.lowestTenantShare)}${result.lowestTenantWholeWindows === null ? '' : ` (whole windows ${percent(result.lowestTenantWholeWindows)})`} | ${percent(result.medianTenantShare)} | ${percent(result.ownQuotaWhileWriting)} | ${result.writingAtOnce.toFixed(1)} of ${result.tenantsAtOnce} | ${result.runningAtOnce.toFixed(1)} | ${percent(result.throttledShare)} | ${result.applicationThrottled} | ${result.wallSeconds.toFixed(0)} | ${result.peakWorkerRssMiB.toFixed(0)} MiB | ${result.settled.deleted} deleted, ${result.settled.other} other | ${result.unfinishedTenants} |`);
}
console.log('');
for (const result of results) console.log(`${result.label}, targets${result.eachNight.length > 1 ? ' (the last night)' : ''}: ${renderVerdicts(manyTenantsVerdicts(result))}`);
for (const result of results) console.log(`${result.label}: nights ${JSON.stringify(result.nights)} · failed users ${JSON.stringify(result.userErrors)}`);
for (const result of results) {
  if (result.eachNight.length < 2) continue;
  const each = result.eachNight.map((night) => `${night.date}: ${night.writes} writes in ${night.busySeconds.toFixed(1)} s, aggregate ${percent(night.aggregateShare)}, of nights running ${percent(night.runningShare)}, lowest tenant ${percent(night.lowestTenantShare)}${night.lowestTenantWholeWindows === null ? '' : ` (whole windows ${percent(night.lowestTenantWholeWindows)})`}${night.windowBound === null ? '' : `, the most the span reading allows these nights: own quota ${percent(night.windowBound.pacer.aggregate)} and lowest ${percent(night.windowBound.pacer.lowest)} for a pacer at 97 %, ${percent(night.windowBound.anyClient.aggregate)} and ${percent(night.windowBound.anyClient.lowest)} for any client`}, running at once ${night.runningAtOnce.toFixed(1)}, writes by operation ${JSON.stringify(night.operations)}`);
  console.log(`${result.label}, each night: ${each.join(' · ')}`);
}
writeFileSync(out, `${JSON.stringify({ started, machine, results: results.map((result) => ({ ...result, targets: manyTenantsVerdicts(result) })) }, null, 2)}\n`);
console.log(`\nResults: ${out}`);
