import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { QueueWorkers } from '../queuehost/startQueueWorkers.js';
import { functionEvents, openNight, registerSandboxTenant, startTenantWorkers, waitSettled } from '../rehearsal/rehearseTenantsQueue.js';
import { deploymentSandboxSettings, phoneTrackSettings } from '../rehearsal/sandboxSettings.js';
import { startAzurite } from '../rehearsal/startAzurite.js';
import { startSandbox, type SandboxHandle } from '../sandbox/startSandbox.js';
import type { WriteModel } from '../sandbox/quota/quotaConfig.js';
import type { UserCategory } from '../sandbox/tenant/tenantModel.js';
import { expectedStanding } from '../rehearsal/expectedStanding.js';
import { quotaShare } from './quotaShare.js';
import { windowSpanBound } from './windowSpanBound.js';
import { defaultTuning } from '../shared/adapters/graph/writePacer.js';

/**
 * The many-tenants bench (docs/benchmarks-many-tenants.md): `tenants` small tenants' nights through the real queue
 * path (fan-out → Azurite queue → queue-host workers running tenantNight), measured from the sandbox tenants' journals.
 *
 * Quota scale: Graph's rates, with bursts made small so that a few minutes show the sustained limits an MSP's
 * hours-long night meets. Per app and tenant 200 writes per 10 s (Graph: 3,000 per 150 s, the same 20/s), the
 * tenant's all-apps limit 600 per 10 s (18,000 per 300 s), and the app-wide write limit across every tenant 350 per
 * 3 s (35,000 per 300 s: the same 116.7/s); every figure then × the rate scale. The product's pacer is told the same
 * (MFA_GRAPH_WRITE_QUOTA 200 × scale, MFA_GRAPH_WRITES_PER_SECOND 20 × scale). A window of 10 s, not 1 s: a quota of
 * 2 writes per window (1 s at scale 0.1) is one the pacer's 97 % cannot plan (one write a window under a window model).
 */

export interface ManyTenantsBenchOptions {
  readonly tenants: number;
  /** Queue-host worker processes. */
  readonly workers: number;
  /**
   * Messages each worker runs at once: host.json `batchSize` 1 and `newBatchThreshold` slots − 1, so that each slot
   * takes its next message as soon as its own night ends, as `slots` Flex Consumption instances of batchSize 1 (the
   * deployment's host.json) would. Tenants at once = workers × slots.
   */
  readonly slots: number;
  /** Graph's application-wide write limit across tenants on (as Graph documents) or off (each tenant only its own quota). */
  readonly applicationLimit: boolean;
  /**
   * Whether the product is told the app-wide limit (MFA_GRAPH_APP_WRITE_QUOTA, on the bench's scale), so that the
   * nights writing at once share it through the writers' register; false: told a limit so large that each night
   * paces at its own tenant's quota only (the product before the register).
   */
  readonly productShares: boolean;
  /** Each tenant's write pace (MFA_GRAPH_WRITES_PER_SECOND). */
  readonly writesPerSecond: number;
  readonly seed: number;
  /** Each tenant's size × this (1: 30 to 120 users): longer nights, spanning more of a tenant's quota windows. */
  readonly sizeFactor: number;
  /**
   * Nights run, one after the other; the figures are the last night's. 1: each tenant's wave 200 users (a tenant of
   * 30–120 users is done in one night). More: each tenant `nights` times larger with waves of its size ÷ `nights`
   * (MFA_WAVE_GROWTH 1; the share is of the users a night can enforce, since a wave takes ready users first), so every
   * night holds the same work, and the nights after the first are sent in the order the product gives them from the
   * nights before (the longest first, `fanOutOrder`).
   */
  readonly nights: number;
  /** Every write rate × this (quotas, the app-wide limit, the pace); 1: Graph's rates. Below 1 keeps the limits under what the machine can serve. */
  readonly rateScale: number;
  /**
   * How the sandbox counts every write limit, the tenants' and the app-wide one: `bucket` (refills continuously, a
   * burst from idle) or `window` (at most the quota in any window). Microsoft says neither
   * (docs/graph-behaviour.md#throttling).
   */
  readonly writeModel: WriteModel;
}

export interface ManyTenantsBenchResult {
  readonly options: ManyTenantsBenchOptions;
  readonly users: number;
  readonly minUsers: number;
  readonly maxUsers: number;
  readonly tenantsAtOnce: number;
  /** Successful writes across tenants. */
  readonly writes: number;
  /** First to last successful write, any tenant (s). */
  readonly busySeconds: number;
  readonly writesPerSecond: number;
  /**
   * What the limits allowed over the busy span, writes/s: the lower of the tenants' (tenants at once × a tenant's
   * rate, plus every tenant's one quota-window's worth, which each night may spend at once under either model, ÷ the
   * busy span) and the app-wide limit's when on (its rate plus its quota ÷ the busy span).
   */
  readonly capacity: number;
  readonly binds: 'tenant quotas' | 'app-wide limit';
  readonly aggregateShare: number;
  /**
   * Writes/s ÷ what the limits allowed the nights *running* (the queue host's started to settled): the tenants'
   * rate × the nights running on average, plus every tenant's window quota ÷ the busy span, or the app-wide limit's
   * when lower. Unlike `aggregateShare`, slots left empty because no tenant was left to start are not counted
   * against it; a night's reads, start and end are.
   */
  readonly runningShare: number;
  /**
   * Each tenant's writes ÷ what its fair share allowed over its own busy span (one window's worth plus the rate × the
   * span; its own quota, or the app-wide limit ÷ tenants at once when that is lower); the lowest.
   */
  readonly lowestTenantShare: number;
  readonly medianTenantShare: number;
  /**
   * Under the window count with no app-wide limit only (else null): each tenant's share by the single-tenant bench's
   * reading (`quotaShare`: the writes in the whole windows from its first write ÷ its window quota × those windows;
   * its partial last window, where its work ran out, left out of both sides); the lowest. The span reading above counts
   * that last window against it: a night of 39 writes at 19 a window needs three windows for the last one, which no
   * pacer can avoid, and scores 39 of 60 however well it used the two whole windows.
   */
  readonly lowestTenantWholeWindows: number | null;
  /**
   * Under the window count with no app-wide limit only (else null): the most the span readings (own quota while
   * writing, the lowest tenant) can be for the nights' own write counts (`windowSpanBound`), for the product's pacer
   * (97 % of a window's quota, rounded down) and for any client (the whole quota).
   */
  readonly windowBound: WindowBounds | null;
  /** Σ writes ÷ Σ (a tenant's window quota + its rate × its own busy span): the tenants' own quotas used while they wrote. */
  readonly ownQuotaWhileWriting: number;
  /** Σ each tenant's busy span ÷ the busy span: how many tenants were writing at once on average (the rest of a running night reads). */
  readonly writingAtOnce: number;
  /** Nights running on average (the queue host's started to settled) over the busy span: the slots kept busy. */
  readonly runningAtOnce: number;
  /** Write answers 429 ÷ write answers. */
  readonly throttledShare: number;
  /** 429s the app-wide limit gave. */
  readonly applicationThrottled: number;
  /** Fan-out to the last message settled (s). */
  readonly wallSeconds: number;
  readonly peakWorkerRssMiB: number;
  readonly settled: { readonly deleted: number; readonly other: number };
  /** Tenants whose night did not enforce every user it could (should be 0). */
  readonly unfinishedTenants: number;
  /** How the tenants' nights ended (`tenant.nightDone` outcome / wave status, `tenant.failed` code), and the error codes of the users that failed. */
  readonly nights: Readonly<Record<string, number>>;
  readonly userErrors: Readonly<Record<string, number>>;
  /** Each night's headline figures (the top-level figures are the last night's). */
  readonly eachNight: readonly NightFigures[];
}

/** One night's figures, as the top-level ones measure them. */
export interface NightFigures {
  readonly date: string;
  readonly writes: number;
  readonly busySeconds: number;
  readonly aggregateShare: number;
  readonly runningShare: number;
  readonly lowestTenantShare: number;
  readonly lowestTenantWholeWindows: number | null;
  readonly windowBound: WindowBounds | null;
  readonly runningAtOnce: number;
  /** Successful writes by the sandbox route's operation name (`phoneMethods.create`, `requirements.update`, …). */
  readonly operations: Readonly<Record<string, number>>;
}

export interface WindowBounds {
  readonly pacer: { readonly aggregate: number; readonly lowest: number };
  readonly anyClient: { readonly aggregate: number; readonly lowest: number };
}

export const tenantQuotaPerSecond = 20;
/** The bench's per-tenant quota window (Graph: 150 s), s. */
export const tenantWindowSeconds = 10;
export const applicationWritesPerSecond = 35_000 / 300;
/** The app-wide limit on the bench's scale: 350 writes per 3 s (Graph: 35,000 per 300 s, the same rate). */
const applicationWritesPerWindow = 350;
const applicationWindowSeconds = 3;

/** 30 to 120 users, spread evenly and deterministically. */
export function benchTenantSize(index: number): number {
  return 30 + ((index * 37) % 91);
}

export async function runManyTenantsBench(options: ManyTenantsBenchOptions): Promise<ManyTenantsBenchResult> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'mfa-bench-tenants-'));
  const azurite = await startAzurite({ queue: true });
  let sandbox: SandboxHandle | undefined;
  let host: QueueWorkers | undefined;
  try {
    sandbox = await startSandbox({
      seed: options.seed,
      tenants: Array.from({ length: options.tenants }, (_, index) => ({ users: benchTenantSize(index) * options.sizeFactor * options.nights, seed: options.seed + index })),
      quota: {
        writeModel: options.writeModel,
        appWrites: tenantQuotaPerSecond * tenantWindowSeconds * options.rateScale,
        appWriteWindowSeconds: tenantWindowSeconds,
        tenantWrites: 60 * tenantWindowSeconds * options.rateScale,
        tenantWriteWindowSeconds: tenantWindowSeconds,
      },
      applicationQuota: { enabled: options.applicationLimit, writeModel: options.writeModel, writes: applicationWritesPerWindow * options.rateScale, writeWindowSeconds: applicationWindowSeconds },
    });
    const tenants = sandbox.tenants;
    const caFile = path.join(workDir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const env: Record<string, string> = {
      ...deploymentSandboxSettings(sandbox, azurite.connectionString, caFile),
      ...phoneTrackSettings,
      MFA_MULTI_TENANT: 'true',
      MFA_TABLE_PREFIX: 'bench',
      MFA_TENANT_QUEUE: 'mfa-tenant-nights',
      AzureWebJobsStorage: azurite.connectionString,
      MFA_NOTICE_DAYS: '0',
      MFA_GRAPH_WRITE_QUOTA: String(Math.max(1, Math.round(tenantQuotaPerSecond * tenantWindowSeconds * options.rateScale))),
      MFA_GRAPH_WRITES_PER_SECOND: String(options.writesPerSecond),
      MFA_GRAPH_APP_WRITE_QUOTA: options.productShares ? String(Math.round(applicationWritesPerWindow * options.rateScale)) : '10000000',
      MFA_GRAPH_APP_WRITE_WINDOW_SECONDS: String(applicationWindowSeconds),
    };
    for (const tenant of tenants) {
      // A wave takes ready users first, so each night's equal share is of the users the nights can enforce (the rest
      // of a generated tenant, break-glass, unsynced and the like, would otherwise all fall to the last night).
      const enforceableUsers = tenant.manifest.users.filter((user) => enforceable(user.category)).length;
      const wave = String(options.nights === 1 ? 200 : Math.max(1, Math.ceil(enforceableUsers / options.nights)));
      await registerSandboxTenant(env, sandbox, tenant, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: wave, MFA_MAX_WAVE_SIZE: wave, MFA_WAVE_GROWTH: '1' });
    }
    host = await startTenantWorkers(env, azurite.connectionString, options.workers, { batchSize: 1, newBatchThreshold: options.slots - 1, maxPollingIntervalMs: 200 });
    const ranges: { readonly date: string; readonly fromMs: number; readonly toMs: number; readonly eventsFrom: number; readonly logsFrom: number }[] = [];
    let settled: Awaited<ReturnType<typeof waitSettled>> = [];
    let wallSeconds = 0;
    for (let night = 0; night < options.nights; night += 1) {
      const date = new Date(Date.parse('2027-01-04T00:00:00Z') + night * 86_400_000).toISOString().slice(0, 10);
      const [eventsFrom, logsFrom, began] = [host.events.length, host.logs.length, Date.now()];
      const fanned = await openNight(env, tenants, date);
      settled = await waitSettled(host, eventsFrom, fanned.enqueued.length, 60 * 60_000);
      wallSeconds = (Date.now() - began) / 1000;
      ranges.push({ date, fromMs: began, toMs: Date.now(), eventsFrom, logsFrom });
    }
    const lastNight = ranges.at(-1) ?? { date: '', fromMs: 0, toMs: Number.POSITIVE_INFINITY, eventsFrom: 0, logsFrom: 0 };
    const nights: Record<string, number> = {};
    const userErrors: Record<string, number> = {};
    for (const event of functionEvents(host, lastNight.logsFrom)) {
      const key = event.event === 'tenant.nightDone' ? `${String(event['outcome'])}/${String(event['status'] ?? '-')}` : event.event === 'tenant.failed' ? `failed/${String(event['errorCode'])}` : null;
      if (key !== null) nights[key] = (nights[key] ?? 0) + 1;
      if (event.event === 'wave.closed' || event.event === 'wave.halted' || event.event === 'wave.stopped') {
        const wave = `${event.event}/${String(event['status'] ?? event['errorCode'] ?? '-')}`;
        nights[wave] = (nights[wave] ?? 0) + 1;
        const failed = Number(event['failed'] ?? 0);
        if (failed > 0) userErrors['failed users'] = (userErrors['failed users'] ?? 0) + failed;
        const top = event['topErrors'];
        if (Array.isArray(top)) for (const entry of top as { code?: unknown; count?: unknown }[]) userErrors[String(entry.code)] = (userErrors[String(entry.code)] ?? 0) + Number(entry.count ?? 1);
      }
    }
    await host.stop();
    const rss = host.events.filter((event) => event.type === 'exiting').map((event) => (event.type === 'exiting' ? event.maxRssBytes : 0));
    const hostEvents = host.events;
    host = undefined;

    const tenantsAtOnce = Math.min(options.tenants, options.workers * options.slots);
    const tenantQuota = tenantQuotaPerSecond * options.rateScale;
    const tenantWindowQuota = tenantQuota * tenantWindowSeconds;
    const appLimit = options.applicationLimit ? applicationWritesPerSecond * options.rateScale : Number.POSITIVE_INFINITY;
    const appWindowQuota = options.applicationLimit ? applicationWritesPerWindow * options.rateScale : Number.POSITIVE_INFINITY;
    const fairShare = Math.min(tenantQuota, appLimit / tenantsAtOnce);
    const fairWindowQuota = Math.min(tenantWindowQuota, appWindowQuota / tenantsAtOnce);
    /**
     * The whole-window reading and the span bound count a tenant's own window: they apply under the window count when
     * no app-wide limit is on (with one, a tenant's part of it renews in the app-wide window, not the tenant's, and the
     * two readings would set one against the other's window: 311 % in a `shared-window` run). Where they apply, a
     * tenant's fair window quota is its own.
     */
    const ownQuotaBinds = options.writeModel === 'window' && !options.applicationLimit;
    /** The figures of the writes journaled within one night's range (its fan-out to its last message settled). */
    const measure = (range: (typeof ranges)[number]) => {
      let [first, last, writes, answered, throttled] = [Number.POSITIVE_INFINITY, 0, 0, 0, 0];
      const shares: number[] = [];
      const wholeWindowShares: number[] = [];
      const nightWrites: number[] = [];
      const operations: Record<string, number> = {};
      let writingSeconds = 0;
      let ownAllowed = 0;
      for (const tenant of tenants) {
        const entries = tenant.journal.entries().filter((entry) => Date.parse(entry.at) >= range.fromMs && Date.parse(entry.at) <= range.toMs);
        const ok = entries.filter((entry) => entry.status < 300).map((entry) => Date.parse(entry.at));
        answered += entries.length;
        throttled += entries.filter((entry) => entry.status === 429).length;
        writes += ok.length;
        for (const entry of entries) if (entry.status < 300) operations[entry.operation] = (operations[entry.operation] ?? 0) + 1;
        if (ok.length < 2) continue;
        const [tenantFirst, tenantLast] = [Math.min(...ok), Math.max(...ok)];
        first = Math.min(first, tenantFirst);
        last = Math.max(last, tenantLast);
        const span = (tenantLast - tenantFirst) / 1000;
        writingSeconds += span;
        ownAllowed += tenantWindowQuota + tenantQuota * span;
        shares.push(ok.length / (fairWindowQuota + fairShare * span));
        if (ownQuotaBinds) {
          nightWrites.push(ok.length);
          const whole = quotaShare({ model: 'window', capacity: tenantWindowQuota, windowSeconds: tenantWindowSeconds }, { startMs: tenantFirst, endMs: tenantLast, writeTimesMs: ok });
          wholeWindowShares.push(whole.share);
        }
      }
      shares.sort((a, b) => a - b);
      const busySeconds = Math.max(0, (last - first) / 1000);
      /** The busy span as a divisor (never 0). */
      const busy = Math.max(0.001, busySeconds);
      const rate = writes / busy;
      /** Every tenant's one window quota, spread over the busy span. */
      const windowQuotas = (options.tenants * tenantWindowQuota) / busy;
      const byTenants = tenantsAtOnce * tenantQuota + windowQuotas;
      const byApp = appLimit + appWindowQuota / busy;
      const capacity = Math.min(byTenants, byApp);
      const runningAtOnce = nightsRunning(hostEvents.slice(range.eventsFrom), first, last) / busy;
      const byRunning = runningAtOnce * tenantQuota + windowQuotas;
      return {
        writes, busySeconds, rate, capacity, binds: byApp < byTenants ? 'app-wide limit' as const : 'tenant quotas' as const,
        aggregateShare: rate / capacity, runningShare: rate / Math.min(byRunning, byApp), runningAtOnce,
        lowestTenantShare: shares[0] ?? 0, medianTenantShare: shares[Math.floor(shares.length / 2)] ?? 0,
        lowestTenantWholeWindows: !ownQuotaBinds ? null : wholeWindowShares.length === 0 ? 0 : Math.min(...wholeWindowShares),
        windowBound: !ownQuotaBinds ? null : {
          pacer: windowSpanBound(nightWrites, tenantWindowQuota, tenantWindowQuota * defaultTuning.margin),
          anyClient: windowSpanBound(nightWrites, tenantWindowQuota, tenantWindowQuota),
        },
        ownQuotaWhileWriting: writes / Math.max(0.001, ownAllowed), writingAtOnce: writingSeconds / busy,
        throttledShare: answered === 0 ? 0 : throttled / answered, operations,
      };
    };
    const eachNight = ranges.map((range) => ({ range, figures: measure(range) }));
    const figures = measure(lastNight);
    let unfinished = 0;
    for (const tenant of tenants) {
      if (tenant.state.users.some((user) => tenant.state.perUserMfaState(user.id) === 'disabled' && enforceable(tenant.manifest.users.find((entry) => entry.id === user.id)?.category))) unfinished += 1;
    }
    const users = tenants.reduce((sum, tenant) => sum + tenant.state.users.length, 0);
    return {
      options,
      users,
      minUsers: Math.min(...tenants.map((tenant) => tenant.state.users.length)),
      maxUsers: Math.max(...tenants.map((tenant) => tenant.state.users.length)),
      tenantsAtOnce,
      writes: figures.writes,
      busySeconds: figures.busySeconds,
      writesPerSecond: figures.rate,
      capacity: figures.capacity,
      binds: figures.binds,
      aggregateShare: figures.aggregateShare,
      runningShare: figures.runningShare,
      lowestTenantShare: figures.lowestTenantShare,
      lowestTenantWholeWindows: figures.lowestTenantWholeWindows,
      windowBound: figures.windowBound,
      medianTenantShare: figures.medianTenantShare,
      ownQuotaWhileWriting: figures.ownQuotaWhileWriting,
      writingAtOnce: figures.writingAtOnce,
      runningAtOnce: figures.runningAtOnce,
      throttledShare: figures.throttledShare,
      applicationThrottled: sandbox.applicationQuota.usage().throttled.total,
      wallSeconds,
      peakWorkerRssMiB: Math.max(0, ...rss) / 1024 ** 2,
      settled: { deleted: settled.filter((event) => event.type === 'settled' && event.outcome === 'deleted').length, other: settled.filter((event) => event.type === 'settled' && event.outcome !== 'deleted').length },
      unfinishedTenants: unfinished,
      nights,
      userErrors,
      eachNight: eachNight.map(({ range, figures: night }) => ({ date: range.date, writes: night.writes, busySeconds: night.busySeconds, aggregateShare: night.aggregateShare, runningShare: night.runningShare, lowestTenantShare: night.lowestTenantShare, lowestTenantWholeWindows: night.lowestTenantWholeWindows, windowBound: night.windowBound, runningAtOnce: night.runningAtOnce, operations: night.operations })),
    };
  } finally {
    await host?.stop();
    await sandbox?.stop();
    await azurite.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Σ over the invocations of how long each ran (the host's `started` to `settled`) within [from, to], s. */
function nightsRunning(events: QueueWorkers['events'], from: number, to: number): number {
  const started = new Map<string, number>();
  let total = 0;
  for (const event of events) {
    if (event.type === 'started') started.set(event.invocationId, event.at);
    if (event.type !== 'settled' || event.invocationId === null) continue;
    const at = started.get(event.invocationId);
    if (at !== undefined) total += Math.max(0, Math.min(to, event.at) - Math.max(from, at));
  }
  return total / 1000;
}

/** A generated kind a phone-track night enforces (rehearsal/expectedStanding.ts). */
function enforceable(category: UserCategory | undefined): boolean {
  return category !== undefined && expectedStanding[category] === 'enforced';
}
