import type { Config } from '../config/configSchema.js';
import type { WavePlan } from './wavePlan.js';

/**
 * Graph's rule (docs/graph-behaviour.md#per-user-mfa-state): setting per-user MFA to `enabled` for a user who has an MFA
 * method registered makes it `enforced` at once. The rollout registers the mobile before it sets the state, and
 * enrols nobody without a method, so under MFA_PER_USER_STATE=enabled every user of the wave goes straight to
 * `enforced`. Null when the setting does not apply.
 */
export function usersGoingStraightToEnforced(config: Pick<Config, 'strategy' | 'perUserState'>, plan: Pick<WavePlan, 'enforce'>): number | null {
  if (config.strategy !== 'perUserMfa' || config.perUserState !== 'enabled') return null;
  return plan.enforce.length;
}
