import { advance, createLimit, usedShare, type Limit } from './quotaLimit.js';
import { writeModels, type WriteModel } from './quotaConfig.js';

/** Graph's application-wide identity limits, one set per app across all its tenants (docs/graph-behaviour.md#throttling). */
export interface ApplicationQuotaConfig {
  /** false: no application-wide limit (each tenant's own limits still apply). Default true. */
  readonly enabled: boolean;
  /** Resource units per app across all tenants per window; default 150,000. */
  readonly resourceUnits: number;
  /** Default 20. */
  readonly resourceUnitWindowSeconds: number;
  /** Writes per app across all tenants per window; default 35,000. */
  readonly writes: number;
  /** Default 300 (5 min). */
  readonly writeWindowSeconds: number;
  /**
   * How the app-wide write limit counts: `bucket` (starts full, refills continuously) or `window` (at most `writes`
   * in any window, no credit for idle time). Microsoft says neither (docs/graph-behaviour.md#throttling), so both
   * run. Resource units are always a bucket. Default `bucket`.
   */
  readonly writeModel: WriteModel;
  /** As the tenants' `timeScale`: windows this many times shorter, same capacities. Default 1. */
  readonly timeScale: number;
}

export type ApplicationQuotaOptions = Partial<ApplicationQuotaConfig>;
export type ApplicationLimitName = 'applicationResourceUnits' | 'applicationWrites';

export interface ApplicationQuotaUsage {
  readonly config: ApplicationQuotaConfig;
  /** Per app that has called: what is left and the used share of each limit. */
  readonly apps: readonly { readonly appId: string; readonly limit: ApplicationLimitName; readonly capacity: number; readonly available: number; readonly usedShare: number }[];
  /** Requests answered 429 because an application-wide limit lacked room (in whichever tenant they were sent to). */
  readonly throttled: { readonly total: number } & Readonly<Record<ApplicationLimitName, number>>;
}

/** The application-wide limits every tenant's quota meter also draws on. */
export interface ApplicationQuota {
  /** The app's two limits (created on first use), or undefined when the application-wide limits are off. */
  limitsOf(appId: string, nowMs: number): { readonly resourceUnits: Limit; readonly writes: Limit } | undefined;
  countThrottled(name: ApplicationLimitName): void;
  config(): ApplicationQuotaConfig;
  /** Any subset of the figures, plus `reset: true` to refill; RangeError names a bad field. */
  configure(change: unknown): ApplicationQuotaConfig;
  usage(): ApplicationQuotaUsage;
}

export const defaultApplicationQuotaConfig: ApplicationQuotaConfig = {
  enabled: true,
  resourceUnits: 150_000,
  resourceUnitWindowSeconds: 20,
  writes: 35_000,
  writeWindowSeconds: 300,
  writeModel: 'bucket',
  timeScale: 1,
};

const positiveFields = ['resourceUnits', 'resourceUnitWindowSeconds', 'writes', 'writeWindowSeconds', 'timeScale'] as const;

function mergeApplicationQuotaConfig(base: ApplicationQuotaConfig, change: unknown): ApplicationQuotaConfig {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new RangeError('applicationQuota: expected an object of quota figures');
  const next: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    if (key === 'reset') continue;
    if (key === 'enabled') {
      if (typeof value !== 'boolean') throw new RangeError("applicationQuota: expected 'enabled' to be true or false");
    } else if (key === 'writeModel') {
      if (!(writeModels as readonly unknown[]).includes(value)) throw new RangeError(`applicationQuota: expected 'writeModel' to be one of ${writeModels.join(', ')}`);
    } else if ((positiveFields as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`applicationQuota: expected '${key}' to be a number above 0`);
    } else {
      throw new RangeError(`applicationQuota: unknown field '${key}'; expected enabled, writeModel, ${positiveFields.join(', ')}`);
    }
    next[key] = value;
  }
  return next as unknown as ApplicationQuotaConfig;
}

/**
 * One app's limits across every tenant of the sandbox: 150,000 resource units per 20 s (a token bucket) and 35,000
 * writes per 5 min (a token bucket or a sliding window, `writeModel`), like the tenant ones. A single tenant cannot
 * reach them (its own limits are far lower); many tenants written to at once can, and then a tenant with room in its own quota is still throttled.
 */
export function createApplicationQuota(options: ApplicationQuotaOptions = {}, nowMs: () => number = () => performance.now()): ApplicationQuota {
  let config = mergeApplicationQuotaConfig(defaultApplicationQuotaConfig, options);
  let apps = new Map<string, { resourceUnits: Limit; writes: Limit }>();
  const throttled = { total: 0, applicationResourceUnits: 0, applicationWrites: 0 };
  const windowMs = (seconds: number): number => (seconds * 1000) / config.timeScale;

  return {
    limitsOf: (appId, now) => {
      if (!config.enabled) return undefined;
      let limits = apps.get(appId);
      if (limits === undefined) {
        limits = { resourceUnits: createLimit('bucket', config.resourceUnits, windowMs(config.resourceUnitWindowSeconds), now), writes: createLimit(config.writeModel, config.writes, windowMs(config.writeWindowSeconds), now) };
        apps.set(appId, limits);
      }
      return limits;
    },
    countThrottled: (name) => {
      throttled.total += 1;
      throttled[name] += 1;
    },
    config: () => config,
    configure: (change) => {
      config = mergeApplicationQuotaConfig(config, change);
      // new figures start from full buckets and empty windows (what was used is forgotten, as after a reset)
      apps = new Map();
      return config;
    },
    usage: () => {
      const now = nowMs();
      const rows: ApplicationQuotaUsage['apps'][number][] = [];
      for (const [appId, limits] of apps) {
        for (const [limit, entry] of [['applicationResourceUnits', limits.resourceUnits], ['applicationWrites', limits.writes]] as const) {
          advance(entry, now);
          const [capacity, available] = entry.kind === 'bucket' ? [entry.bucket.capacity, entry.bucket.tokens] : [entry.window.capacity, entry.window.capacity - entry.window.used];
          rows.push({ appId, limit, capacity, available: Math.floor(available * 1000) / 1000, usedShare: Math.round(usedShare(entry) * 1000) / 1000 });
        }
      }
      return { config, apps: rows, throttled: { ...throttled } };
    },
  };
}
