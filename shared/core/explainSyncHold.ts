import type { Config } from '../config/configSchema.js';
import { syncClockSkewMinutes, type SyncHealth } from './syncHealth.js';

/**
 * Why a closed tenant gate holds the night, in words an operator can act on, naming the setting that decides it.
 * Null when the gate is open.
 */
export function explainSyncHold(health: SyncHealth, config: Pick<Config, 'maxSyncAgeMinutes'>): string | null {
  switch (health.reason) {
    case 'syncRecent':
    case 'syncNotRequired':
      return null;
    case 'syncDisabled':
      return 'directory sync is switched off for the tenant, and MFA_REQUIRE_DIRECTORY_SYNC=true requires it (set it to false only for a cloud-only tenant)';
    case 'syncNeverRan':
      return 'the tenant has never completed a directory sync, and MFA_REQUIRE_DIRECTORY_SYNC=true requires a recent one';
    case 'syncTimeUnreadable':
      return "the tenant's last directory sync time is unreadable, and MFA_REQUIRE_DIRECTORY_SYNC=true requires a recent one";
    case 'syncStale':
      return `the last directory sync was ${health.ageMinutes} min ago, longer than MFA_MAX_SYNC_AGE_MINUTES=${config.maxSyncAgeMinutes}`;
    case 'syncInFuture':
      return `the last directory sync time is ${health.aheadMinutes} min in the future (more than the ${syncClockSkewMinutes} min of clock skew allowed): a clock is wrong`;
  }
}
