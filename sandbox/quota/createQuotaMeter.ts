import { graphErrors } from '../http/graphErrors.js';
import type { GraphRoute, GraphStage } from '../http/graphRoute.js';
import { mergeQuotaConfig, type QuotaConfig } from './quotaConfig.js';
import { requestCost } from './requestCost.js';
import { bucketUsedShare, bucketWaitMs, createTokenBucket, refillBucket, resizeBucket, type TokenBucket } from './tokenBucket.js';

export type QuotaLimitName = 'resourceUnits' | 'appWrites' | 'tenantWrites';

export interface QuotaBucketUsage {
  /** The `x-ms-throttle-scope` a 429 from this bucket carries, e.g. `Tenant_Application/ReadWrite/{appId}/{tenantId}`. */
  readonly scope: string;
  readonly limit: QuotaLimitName;
  readonly capacity: number;
  /** The configured window (real Graph's). */
  readonly windowSeconds: number;
  /** The window as it runs here: windowSeconds / timeScale. */
  readonly effectiveWindowSeconds: number;
  readonly available: number;
  /** 0 (full bucket) to 1 (empty). */
  readonly usedShare: number;
}

export interface QuotaUsage {
  readonly enabled: boolean;
  readonly timeScale: number;
  /** Buckets of every app that has called so far, and the tenant's write bucket. */
  readonly buckets: readonly QuotaBucketUsage[];
  /** Totals drawn since start (requests that were let through). */
  readonly consumed: { readonly requests: number; readonly resourceUnits: number; readonly writes: number };
  /** Requests answered 429 by a quota, by the limit that was exceeded. */
  readonly throttled: { readonly total: number } & Readonly<Record<QuotaLimitName, number>>;
}

export interface QuotaMeter {
  /** The pipeline stage: meters a request, answers 429 when a bucket lacks tokens, adds the quota headers otherwise. */
  readonly stage: GraphStage;
  config(): QuotaConfig;
  /** Applies a partial change (see QuotaOptions); `{ reset: true }` also refills every bucket. RangeError on bad input. */
  configure(change: unknown): QuotaConfig;
  /** Refills every bucket. */
  reset(): void;
  usage(): QuotaUsage;
}

export interface QuotaMeterOptions {
  readonly tenantId: string;
  readonly config: QuotaConfig;
  /** Routes that cost nothing themselves (the `$batch` envelope: its items are metered one by one). */
  readonly isUnmetered: (route: GraphRoute) => boolean;
  /** Monotonic real time in ms (default performance.now). */
  readonly nowMs?: () => number;
}

interface AppBuckets {
  readonly resourceUnits: TokenBucket;
  readonly writes: TokenBucket;
}

/** Seconds with up to millisecond precision, as Graph writes fractional Retry-After (`2.128`); never 0. */
export function formatRetryAfter(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}

/**
 * Graph's identity throttling as token buckets (graph-notes §8): resource units and writes per app and tenant, and
 * writes per tenant. Buckets start full and refill continuously; a request that does not fit is answered 429 with
 * the time until it would fit, and consumes nothing.
 */
export function createQuotaMeter(options: QuotaMeterOptions): QuotaMeter {
  const nowMs = options.nowMs ?? (() => performance.now());
  const { tenantId } = options;
  let config = options.config;
  const apps = new Map<string, AppBuckets>();
  const windowMs = (seconds: number): number => (seconds * 1000) / config.timeScale;
  let tenantWrites = createTokenBucket(config.tenantWrites, windowMs(config.tenantWriteWindowSeconds), nowMs());
  const consumed = { requests: 0, resourceUnits: 0, writes: 0 };
  const throttled = { total: 0, resourceUnits: 0, appWrites: 0, tenantWrites: 0 };

  const scopeOf = (limit: QuotaLimitName, appId: string): string =>
    limit === 'resourceUnits'
      ? `Tenant_Application/ReadWrite/${appId}/${tenantId}`
      : limit === 'appWrites'
        ? `Tenant_Application/Write/${appId}/${tenantId}`
        : `Tenant/Write/${appId}/${tenantId}`;

  const bucketsOf = (appId: string, now: number): AppBuckets => {
    let buckets = apps.get(appId);
    if (buckets === undefined) {
      buckets = {
        resourceUnits: createTokenBucket(config.resourceUnits, windowMs(config.resourceUnitWindowSeconds), now),
        writes: createTokenBucket(config.appWrites, windowMs(config.appWriteWindowSeconds), now),
      };
      apps.set(appId, buckets);
    }
    return buckets;
  };

  const shareHeader = (share: number): Record<string, string> =>
    share > 0.8 ? { 'x-ms-throttle-limit-percentage': String(Math.round(share * 1000) / 1000) } : {};

  const stage: GraphStage = async (context, next) => {
    const route = context.route;
    if (!config.enabled || route === undefined || options.isUnmetered(route)) return next();
    const appId = context.caller?.appId ?? 'unknown';
    const cost = requestCost(context.request.method, route.pattern, context.query);
    const now = nowMs();
    const buckets = bucketsOf(appId, now);
    refillBucket(buckets.resourceUnits, now);
    let worstLimit: QuotaLimitName | undefined;
    let worstWait = 0;
    let worstBucket: TokenBucket | undefined;
    const check = (limit: QuotaLimitName, bucket: TokenBucket, amount: number): void => {
      const wait = bucketWaitMs(bucket, amount);
      if (wait > worstWait) {
        worstWait = wait;
        worstLimit = limit;
        worstBucket = bucket;
      }
    };
    check('resourceUnits', buckets.resourceUnits, cost.resourceUnits);
    if (cost.writes > 0) {
      refillBucket(buckets.writes, now);
      refillBucket(tenantWrites, now);
      check('appWrites', buckets.writes, cost.writes);
      check('tenantWrites', tenantWrites, cost.writes);
    }
    if (worstLimit !== undefined && worstBucket !== undefined) {
      throttled.total += 1;
      throttled[worstLimit] += 1;
      throw graphErrors.tooManyRequests({
        'Retry-After': formatRetryAfter(worstWait),
        'x-ms-throttle-scope': scopeOf(worstLimit, appId),
        'x-ms-throttle-information': worstLimit === 'resourceUnits' ? 'ResourceUnitLimitExceeded' : 'WriteLimitExceeded',
        ...shareHeader(bucketUsedShare(worstBucket)),
      });
    }

    buckets.resourceUnits.tokens -= Math.min(cost.resourceUnits, buckets.resourceUnits.capacity);
    let share = bucketUsedShare(buckets.resourceUnits);
    if (cost.writes > 0) {
      buckets.writes.tokens -= Math.min(cost.writes, buckets.writes.capacity);
      tenantWrites.tokens -= Math.min(cost.writes, tenantWrites.capacity);
      share = Math.max(share, bucketUsedShare(buckets.writes), bucketUsedShare(tenantWrites));
    }
    consumed.requests += 1;
    consumed.resourceUnits += cost.resourceUnits;
    consumed.writes += cost.writes;
    const headers = { 'x-ms-resource-unit': String(cost.resourceUnits), ...shareHeader(share) };
    const reply = await next();
    return { ...reply, headers: reply.headers === undefined ? headers : { ...reply.headers, ...headers } };
  };

  const reset = (): void => {
    const now = nowMs();
    apps.clear();
    tenantWrites = createTokenBucket(config.tenantWrites, windowMs(config.tenantWriteWindowSeconds), now);
  };

  return {
    stage,
    config: () => config,
    configure: (change) => {
      const next = mergeQuotaConfig(config, change);
      const now = nowMs();
      for (const buckets of apps.values()) {
        refillBucket(buckets.resourceUnits, now);
        refillBucket(buckets.writes, now);
      }
      refillBucket(tenantWrites, now);
      config = next;
      for (const buckets of apps.values()) {
        resizeBucket(buckets.resourceUnits, config.resourceUnits, windowMs(config.resourceUnitWindowSeconds));
        resizeBucket(buckets.writes, config.appWrites, windowMs(config.appWriteWindowSeconds));
      }
      resizeBucket(tenantWrites, config.tenantWrites, windowMs(config.tenantWriteWindowSeconds));
      if ((change as { reset?: unknown }).reset === true) reset();
      return config;
    },
    reset,
    usage: () => {
      const now = nowMs();
      const describe = (limit: QuotaLimitName, appId: string, bucket: TokenBucket, windowSeconds: number): QuotaBucketUsage => {
        refillBucket(bucket, now);
        return {
          scope: scopeOf(limit, appId),
          limit,
          capacity: bucket.capacity,
          windowSeconds,
          effectiveWindowSeconds: windowSeconds / config.timeScale,
          available: Math.floor(bucket.tokens * 1000) / 1000,
          usedShare: Math.round(bucketUsedShare(bucket) * 1000) / 1000,
        };
      };
      const buckets: QuotaBucketUsage[] = [];
      for (const [appId, app] of apps) {
        buckets.push(describe('resourceUnits', appId, app.resourceUnits, config.resourceUnitWindowSeconds));
        buckets.push(describe('appWrites', appId, app.writes, config.appWriteWindowSeconds));
      }
      buckets.push({ ...describe('tenantWrites', '*', tenantWrites, config.tenantWriteWindowSeconds), scope: `Tenant/Write/*/${tenantId}` });
      return { enabled: config.enabled, timeScale: config.timeScale, buckets, consumed: { ...consumed }, throttled: { ...throttled } };
    },
  };
}
