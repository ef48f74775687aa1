import { graphErrors } from '../http/graphErrors.js';
import type { GraphRoute, GraphStage } from '../http/graphRoute.js';
import { mergeQuotaConfig, type QuotaConfig, type WriteModel } from './quotaConfig.js';
import { quotaFamilyOf } from './quotaFamily.js';
import { requestCost } from './requestCost.js';
import { advance, createLimit, draw, resize, usedShare, waitMs, type Limit } from './quotaLimit.js';
import type { ApplicationLimitName, ApplicationQuota } from './createApplicationQuota.js';

export type QuotaLimitName = 'resourceUnits' | 'appWrites' | 'tenantWrites';

export interface QuotaBucketUsage {
  /** The `x-ms-throttle-scope` a 429 from this limit carries, e.g. `Tenant_Application/ReadWrite/{appId}/{tenantId}`. */
  readonly scope: string;
  readonly limit: QuotaLimitName;
  /** `bucket` or `window` (resource units are always a bucket). */
  readonly model: WriteModel;
  readonly capacity: number;
  /** The configured window (real Graph's). */
  readonly windowSeconds: number;
  /** The window as it runs here: windowSeconds / timeScale. */
  readonly effectiveWindowSeconds: number;
  /** What is left to spend now (negative: a debt run up by throttled requests). */
  readonly available: number;
  /** 0 (nothing used) to 1 (all used), above 1 in debt. */
  readonly usedShare: number;
}

export interface QuotaUsage {
  readonly enabled: boolean;
  readonly timeScale: number;
  /** Limits of every app that has called so far, and the tenant's write limit. */
  readonly buckets: readonly QuotaBucketUsage[];
  /** Totals drawn since start by requests that were let through (throttled ones draw too, but are not counted here). */
  readonly consumed: { readonly requests: number; readonly resourceUnits: number; readonly writes: number };
  /** Requests answered 429 by a quota, by the limit that was exceeded. */
  readonly throttled: { readonly total: number } & Readonly<Record<QuotaLimitName, number>>;
}

export interface QuotaMeter {
  /** The pipeline stage: meters a request, answers 429 when a limit lacks room, adds the quota headers otherwise. */
  readonly stage: GraphStage;
  config(): QuotaConfig;
  /** Applies a partial change (see QuotaOptions); `{ reset: true }` also refills every limit. RangeError on bad input. */
  configure(change: unknown): QuotaConfig;
  /** Refills every limit. */
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
  /** The app's limits across all tenants, which every metered request here also draws on (default: none). */
  readonly application?: ApplicationQuota;
}

/** Seconds with up to millisecond precision, as Graph writes fractional Retry-After (`2.128`); never 0. */
export function formatRetryAfter(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}

interface AppLimits {
  readonly resourceUnits: Limit;
  writes: Limit;
}

/**
 * Graph's identity throttling (docs/graph-behaviour.md#throttling): resource units and writes per app and tenant,
 * writes per tenant, and (with `application`) the app's limits across all its tenants. Only the identity and access resources are metered, and only their answers carry the identity
 * headers (`quotaFamily.ts`); authentication-method calls draw on the quota `authenticationMethodQuota` names and
 * never carry the headers. Every request counts, throttled or not: a 429 books its cost too, so a client that keeps
 * sending is throttled for longer. Writes count as a token bucket or as a sliding window (`writeModel`).
 */
export function createQuotaMeter(options: QuotaMeterOptions): QuotaMeter {
  const nowMs = options.nowMs ?? (() => performance.now());
  const { tenantId } = options;
  let config = options.config;
  const apps = new Map<string, AppLimits>();
  const windowMs = (seconds: number): number => (seconds * 1000) / config.timeScale;
  const tenantWriteLimit = (now: number): Limit => createLimit(config.writeModel, config.tenantWrites, windowMs(config.tenantWriteWindowSeconds), now);
  let tenantWrites = tenantWriteLimit(nowMs());
  const consumed = { requests: 0, resourceUnits: 0, writes: 0 };
  const throttled = { total: 0, resourceUnits: 0, appWrites: 0, tenantWrites: 0 };

  const scopeOf = (limit: QuotaLimitName | ApplicationLimitName, appId: string): string =>
    limit === 'applicationResourceUnits'
      ? `Application/ReadWrite/${appId}/${tenantId}`
      : limit === 'applicationWrites'
        ? `Application/Write/${appId}/${tenantId}`
        : limit === 'resourceUnits'
      ? `Tenant_Application/ReadWrite/${appId}/${tenantId}`
      : limit === 'appWrites'
        ? `Tenant_Application/Write/${appId}/${tenantId}`
        : `Tenant/Write/${appId}/${tenantId}`;

  const limitsOf = (appId: string, now: number): AppLimits => {
    let limits = apps.get(appId);
    if (limits === undefined) {
      limits = {
        resourceUnits: createLimit('bucket', config.resourceUnits, windowMs(config.resourceUnitWindowSeconds), now),
        writes: createLimit(config.writeModel, config.appWrites, windowMs(config.appWriteWindowSeconds), now),
      };
      apps.set(appId, limits);
    }
    return limits;
  };

  const shareHeader = (share: number): Record<string, string> =>
    share > 0.8 ? { 'x-ms-throttle-limit-percentage': String(Math.round(share * 1000) / 1000) } : {};

  const stage: GraphStage = async (context, next) => {
    const route = context.route;
    if (!config.enabled || route === undefined || options.isUnmetered(route)) return next();
    const family = quotaFamilyOf(route.pattern);
    const reading = config.authenticationMethodQuota;
    if (family === 'own' || family === 'undocumented' || (family === 'authenticationMethods' && reading === 'none')) return next();
    const appId = context.caller?.appId ?? 'unknown';
    const cost = requestCost(context.request.method, route.pattern, context.query);
    const now = nowMs();
    const limits = limitsOf(appId, now);
    const draws: { readonly name: QuotaLimitName | ApplicationLimitName; readonly limit: Limit; readonly amount: number }[] = [];
    const application = options.application?.limitsOf(appId, now);
    if (family === 'directory' || reading === 'identity') {
      draws.push({ name: 'resourceUnits', limit: limits.resourceUnits, amount: cost.resourceUnits });
      if (application !== undefined) draws.push({ name: 'applicationResourceUnits', limit: application.resourceUnits, amount: cost.resourceUnits });
    }
    if (cost.writes > 0) {
      if (family === 'directory' || reading === 'identity') {
        draws.push({ name: 'appWrites', limit: limits.writes, amount: cost.writes });
        if (application !== undefined) draws.push({ name: 'applicationWrites', limit: application.writes, amount: cost.writes });
      }
      draws.push({ name: 'tenantWrites', limit: tenantWrites, amount: cost.writes });
    }
    if (draws.length === 0) return next();
    let worst: (typeof draws)[number] | undefined;
    let worstWait = 0;
    for (const entry of draws) {
      advance(entry.limit, now);
      const wait = waitMs(entry.limit, entry.amount, now);
      if (wait > worstWait) {
        worst = entry;
        worstWait = wait;
      }
    }
    // every request counts, the throttled one too; its Retry-After is the wait once it has been booked
    for (const entry of draws) draw(entry.limit, entry.amount, now);
    const identityHeaders = config.headers && family === 'directory';
    if (worst !== undefined) {
      const name = worst.name;
      if (name === 'applicationResourceUnits' || name === 'applicationWrites') options.application?.countThrottled(name);
      else {
        throttled.total += 1;
        throttled[name] += 1;
      }
      throw graphErrors.tooManyRequests({
        'Retry-After': formatRetryAfter(waitMs(worst.limit, worst.amount, now)),
        ...(identityHeaders
          ? {
              'x-ms-throttle-scope': scopeOf(worst.name, appId),
              'x-ms-throttle-information': worst.name === 'resourceUnits' || worst.name === 'applicationResourceUnits' ? 'ResourceUnitLimitExceeded' : 'WriteLimitExceeded',
              ...shareHeader(usedShare(worst.limit)),
            }
          : {}),
      });
    }
    consumed.requests += 1;
    consumed.resourceUnits += draws.some((entry) => entry.name === 'resourceUnits') ? cost.resourceUnits : 0;
    consumed.writes += cost.writes;
    const reply = await next();
    if (!identityHeaders) return reply;
    const headers = { 'x-ms-resource-unit': String(cost.resourceUnits), ...shareHeader(Math.max(...draws.map((entry) => usedShare(entry.limit)))) };
    return { ...reply, headers: reply.headers === undefined ? headers : { ...reply.headers, ...headers } };
  };

  const reset = (): void => {
    apps.clear();
    tenantWrites = tenantWriteLimit(nowMs());
  };

  return {
    stage,
    config: () => config,
    configure: (change) => {
      const next = mergeQuotaConfig(config, change);
      const now = nowMs();
      for (const limits of apps.values()) {
        advance(limits.resourceUnits, now);
        advance(limits.writes, now);
      }
      advance(tenantWrites, now);
      const modelChanged = next.writeModel !== config.writeModel;
      config = next;
      for (const limits of apps.values()) {
        resize(limits.resourceUnits, config.resourceUnits, windowMs(config.resourceUnitWindowSeconds));
        if (modelChanged) limits.writes = createLimit(config.writeModel, config.appWrites, windowMs(config.appWriteWindowSeconds), now);
        else resize(limits.writes, config.appWrites, windowMs(config.appWriteWindowSeconds));
      }
      // a new write model starts empty (full bucket, empty window); a resize keeps what was used
      if (modelChanged) tenantWrites = tenantWriteLimit(now);
      else resize(tenantWrites, config.tenantWrites, windowMs(config.tenantWriteWindowSeconds));
      if ((change as { reset?: unknown }).reset === true) reset();
      return config;
    },
    reset,
    usage: () => {
      const now = nowMs();
      const describe = (name: QuotaLimitName, appId: string, limit: Limit, windowSeconds: number): QuotaBucketUsage => {
        advance(limit, now);
        const capacity = limit.kind === 'bucket' ? limit.bucket.capacity : limit.window.capacity;
        const available = limit.kind === 'bucket' ? limit.bucket.tokens : limit.window.capacity - limit.window.used;
        return {
          scope: scopeOf(name, appId),
          limit: name,
          model: limit.kind,
          capacity,
          windowSeconds,
          effectiveWindowSeconds: windowSeconds / config.timeScale,
          available: Math.floor(available * 1000) / 1000,
          usedShare: Math.round(usedShare(limit) * 1000) / 1000,
        };
      };
      const buckets: QuotaBucketUsage[] = [];
      for (const [appId, limits] of apps) {
        buckets.push(describe('resourceUnits', appId, limits.resourceUnits, config.resourceUnitWindowSeconds));
        buckets.push(describe('appWrites', appId, limits.writes, config.appWriteWindowSeconds));
      }
      buckets.push({ ...describe('tenantWrites', '*', tenantWrites, config.tenantWriteWindowSeconds), scope: `Tenant/Write/*/${tenantId}` });
      return { enabled: config.enabled, timeScale: config.timeScale, buckets, consumed: { ...consumed }, throttled: { ...throttled } };
    },
  };
}
