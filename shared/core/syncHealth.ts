import type { Config } from '../config/configSchema.js';
import type { ErrorCode } from '../errors/errorCodes.js';

/** The two fields of `GET /organization` `value[0]` the tenant gate reads. */
export interface TenantSync {
  /** `true` sync on; `false` switched off; `null` never synced. */
  readonly onPremisesSyncEnabled: boolean | null;
  /** Tenant-wide time of the last sync export (ISO), or null. */
  readonly onPremisesLastSyncDateTime: string | null;
}

export type SyncHoldReason = 'syncDisabled' | 'syncNeverRan' | 'syncTimeUnreadable' | 'syncStale' | 'syncInFuture';

/** Whether tonight may touch anyone, and why not. A closed gate names the error code the held night records. */
type Code<C extends ErrorCode> = C;

export type SyncHealth =
  | { readonly open: true; readonly reason: 'syncRecent'; readonly ageMinutes: number }
  | { readonly open: true; readonly reason: 'syncNotRequired' }
  | { readonly open: false; readonly reason: 'syncDisabled'; readonly code: Code<'SYNC_DISABLED'> }
  | { readonly open: false; readonly reason: 'syncNeverRan' | 'syncTimeUnreadable'; readonly code: Code<'SYNC_STALE'> }
  | { readonly open: false; readonly reason: 'syncStale'; readonly ageMinutes: number; readonly code: Code<'SYNC_STALE'> }
  | { readonly open: false; readonly reason: 'syncInFuture'; readonly aheadMinutes: number; readonly code: Code<'SYNC_STALE'> };

/**
 * A last-sync time at most this far ahead of `now` is clock skew between Entra and this host and counts
 * as age 0. Further ahead, the timestamp proves nothing about freshness (bad data, or a badly wrong clock on
 * one side), so the night is held with `syncInFuture` rather than trusted.
 */
export const syncClockSkewMinutes = 5;

const minuteMs = 60_000;

/**
 * The tenant gate: open when `/organization` reports directory sync on and its last sync no older than
 * `maxSyncAgeMinutes` (inclusive) at `now`. `requireDirectorySync: false` opens it unconditionally
 * (cloud-only tenants). Every closed answer is a named reason, and `syncStale` carries the age in whole minutes.
 */
export function syncHealth(
  tenant: TenantSync,
  config: Pick<Config, 'requireDirectorySync' | 'maxSyncAgeMinutes'>,
  now: Date,
): SyncHealth {
  if (!config.requireDirectorySync) return { open: true, reason: 'syncNotRequired' };
  if (tenant.onPremisesSyncEnabled !== true) return { open: false, reason: 'syncDisabled', code: 'SYNC_DISABLED' };
  if (tenant.onPremisesLastSyncDateTime === null) return { open: false, reason: 'syncNeverRan', code: 'SYNC_STALE' };

  const lastSync = Date.parse(tenant.onPremisesLastSyncDateTime);
  if (Number.isNaN(lastSync)) return { open: false, reason: 'syncTimeUnreadable', code: 'SYNC_STALE' };

  const ageMs = now.getTime() - lastSync;
  if (ageMs < -syncClockSkewMinutes * minuteMs) {
    return { open: false, reason: 'syncInFuture', aheadMinutes: Math.floor(-ageMs / minuteMs), code: 'SYNC_STALE' };
  }
  if (ageMs > config.maxSyncAgeMinutes * minuteMs) {
    return { open: false, reason: 'syncStale', ageMinutes: Math.floor(ageMs / minuteMs), code: 'SYNC_STALE' };
  }
  return { open: true, reason: 'syncRecent', ageMinutes: Math.max(0, Math.floor(ageMs / minuteMs)) };
}
