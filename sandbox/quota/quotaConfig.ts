/** How the write quotas count (docs/graph-behaviour.md#throttling, "bucket or window"). */
export const writeModels = ['bucket', 'window'] as const;
export type WriteModel = (typeof writeModels)[number];

/**
 * Which quota authentication-method and per-user MFA calls (`users/{id}/authentication/…`) draw on. Microsoft lists
 * them under no identity quota (docs/graph-behaviour.md#throttling), so each reading is runnable:
 * `identity` (resource units and both write quotas, like a directory object, but without the identity headers),
 * `tenantWrites` (writes on the tenant-wide 18,000 per 5 min only) or `none` (no documented quota).
 */
export const authenticationMethodQuotas = ['identity', 'tenantWrites', 'none'] as const;
export type AuthenticationMethodQuota = (typeof authenticationMethodQuotas)[number];

/** The identity-and-access throttling figures the sandbox enforces (docs/graph-behaviour.md#throttling). Every one can be changed. */
export interface QuotaConfig {
  /** false: no metering at all (no 429 from quotas, no `x-ms-resource-unit`). Default true. */
  readonly enabled: boolean;
  /**
   * `bucket`: each write quota is a token bucket that starts full and refills continuously (a burst of its capacity
   * from idle); `window`: at most the capacity in any window, no credit for idle time. Default `bucket`.
   */
  readonly writeModel: WriteModel;
  /**
   * false: no `x-ms-resource-unit`, `x-ms-throttle-limit-percentage`, `x-ms-throttle-scope` or
   * `x-ms-throttle-information` on any answer (429s keep Retry-After). Default true: on directory resources only.
   */
  readonly headers: boolean;
  /** Default `identity`, the reading that binds a rollout hardest. */
  readonly authenticationMethodQuota: AuthenticationMethodQuota;
  /** Resource units per app and tenant per window; default by tenant size: 3,500 (< 50 users), 5,000 (50–500), 8,000 (> 500). */
  readonly resourceUnits: number;
  /** Default 10. */
  readonly resourceUnitWindowSeconds: number;
  /** Writes per app and tenant per window; default 3,000. */
  readonly appWrites: number;
  /** Default 150 (2 min 30 s). */
  readonly appWriteWindowSeconds: number;
  /** Writes per tenant, all apps together, per window; default 18,000. */
  readonly tenantWrites: number;
  /** Default 300 (5 min). */
  readonly tenantWriteWindowSeconds: number;
  /**
   * Time factor: windows are this many times shorter (buckets refill this much faster) with the same capacities, and
   * Retry-After shrinks with them. 10 runs the real quota shape ten times faster. Default 1.
   */
  readonly timeScale: number;
}

/** What `startSandbox({ quota })`, the CLI and `POST /_sandbox/quota` accept: any subset of the figures. */
export type QuotaOptions = Partial<QuotaConfig>;

/** Microsoft's resource-unit quota per app and tenant for a tenant of this many users, per 10 s. */
export function resourceUnitsForTenantSize(users: number): number {
  if (users < 50) return 3_500;
  if (users <= 500) return 5_000;
  return 8_000;
}

export function defaultQuotaConfig(tenantUsers: number): QuotaConfig {
  return {
    enabled: true,
    writeModel: 'bucket',
    headers: true,
    authenticationMethodQuota: 'identity',
    resourceUnits: resourceUnitsForTenantSize(tenantUsers),
    resourceUnitWindowSeconds: 10,
    appWrites: 3_000,
    appWriteWindowSeconds: 150,
    tenantWrites: 18_000,
    tenantWriteWindowSeconds: 300,
    timeScale: 1,
  };
}

const positiveFields = [
  'resourceUnits',
  'resourceUnitWindowSeconds',
  'appWrites',
  'appWriteWindowSeconds',
  'tenantWrites',
  'tenantWriteWindowSeconds',
  'timeScale',
] as const satisfies readonly (keyof QuotaConfig)[];

/** `base` with `change` applied; a RangeError names the first field that is not acceptable (never its value). */
export function mergeQuotaConfig(base: QuotaConfig, change: unknown): QuotaConfig {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new RangeError('quota: expected an object of quota figures');
  const given = change as Record<string, unknown>;
  const next: Record<string, unknown> = { ...base };
  for (const key of Object.keys(given)) {
    if (key === 'reset') continue;
    const value = given[key];
    if (key === 'enabled' || key === 'headers') {
      if (typeof value !== 'boolean') throw new RangeError(`quota: expected '${key}' to be true or false`);
      next[key] = value;
    } else if (key === 'writeModel' || key === 'authenticationMethodQuota') {
      const allowed: readonly string[] = key === 'writeModel' ? writeModels : authenticationMethodQuotas;
      if (typeof value !== 'string' || !allowed.includes(value)) throw new RangeError(`quota: expected '${key}' to be one of ${allowed.join(', ')}`);
      next[key] = value;
    } else if ((positiveFields as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`quota: expected '${key}' to be a number above 0`);
      next[key] = value;
    } else {
      throw new RangeError(`quota: unknown field '${key}'; expected ${['enabled', 'writeModel', 'headers', 'authenticationMethodQuota', ...positiveFields].join(', ')}`);
    }
  }
  return next as unknown as QuotaConfig;
}
