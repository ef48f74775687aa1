import type { Config } from '../config/configSchema.js';
import { operatorHint } from '../errors/errorCodes.js';
import type { NightResult } from '../shell/runWave.js';

type HeldNight = Extract<NightResult, { outcome: 'held' }>;

/**
 * What `run-wave` says of a held night: why, against which limit (the setting and its value), that nothing was
 * written, and what to check next.
 */
export function describeHeldNight(result: HeldNight, config: Pick<Config, 'maxSyncAgeMinutes' | 'strategy'>): string {
  const { health } = result;
  let why = result.wave.reason ?? 'no reason recorded';
  if (result.code === 'PREFLIGHT_FAILED') why = `the ${config.strategy} preflight refused to start (${result.wave.reason ?? 'no reason recorded'})`;
  else if (health === null || health.open) why = result.wave.reason ?? 'no reason recorded'; // a missing permission: the reason names it and the grant script
  else {
    switch (health.reason) {
      case 'syncStale':
        why = `the tenant's last directory sync was ${health.ageMinutes} min ago, older than MFA_MAX_SYNC_AGE_MINUTES (${config.maxSyncAgeMinutes} min)`;
        break;
      case 'syncInFuture':
        why = `the tenant's last directory sync is dated ${health.aheadMinutes} min in the future, so it proves nothing about MFA_MAX_SYNC_AGE_MINUTES (${config.maxSyncAgeMinutes} min)`;
        break;
      case 'syncNeverRan':
        why = 'the tenant reports directory sync on, but no sync has completed yet (MFA_REQUIRE_DIRECTORY_SYNC=true needs one)';
        break;
      case 'syncTimeUnreadable':
        why = 'the tenant\'s last directory sync time cannot be read (MFA_REQUIRE_DIRECTORY_SYNC=true needs it)';
        break;
      case 'syncDisabled':
        why = 'the tenant reports directory sync off (MFA_REQUIRE_DIRECTORY_SYNC=true requires it on)';
        break;
    }
  }
  return [
    `Night held (${result.code}): ${why}. Nothing was written; the held night is recorded as ${result.wave.waveId}.`,
    `Next: ${operatorHint(result.code)} Then run \`mfa-rollout run-wave\` again, or let the next night retry.`,
  ].join('\n');
}
