import type { Config } from '../config/configSchema.js';

/**
 * Graph's rule (docs/graph-behaviour.md#per-user-mfa-state): setting per-user MFA to `enabled` for a user who has an MFA
 * method registered makes it `enforced` at once. The journey requires MFA of a user only once they have a usable
 * method (their own, or the mobile its phone step registers first), so under MFA_PER_USER_STATE=enabled every user
 * entering tonight whose MFA gets required goes straight to `enforced`: at most the plan's entering users. Null when
 * the setting does not apply.
 */
export function usersGoingStraightToEnforced(config: Pick<Config, 'strategy' | 'perUserState'>, plan: { readonly enforce: readonly unknown[] }): number | null {
  if (config.strategy !== 'perUserMfa' || config.perUserState !== 'enabled') return null;
  return plan.enforce.length;
}
