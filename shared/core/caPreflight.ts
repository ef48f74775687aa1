import type { Config } from '../config/configSchema.js';

/** A Conditional Access policy as the preflight reads it. */
export interface CaPolicyFacts {
  readonly id: string;
  readonly displayName: string;
  readonly state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly requiresMfa: boolean;
}

export interface PreflightFacts {
  readonly policies: readonly CaPolicyFacts[];
  /** Transitive members of the groups the policies include or exclude (as far as the shell read them). */
  readonly groupMembers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Object ids of the users the rollout may enrol (present, not excluded). */
  readonly rolloutUserIds: ReadonlySet<string>;
  /** The break-glass accounts, resolved to object ids where the directory knows them. */
  readonly breakGlass: readonly { readonly name: string; readonly id: string | null }[];
  /** Strategy `conditionalAccessGroup`: the configured group exists. */
  readonly caGroupExists: boolean;
}

export type PreflightResult =
  | { readonly ok: true; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly refusal: string; readonly warnings: readonly string[] };

/** Whether a policy applies to a user (exclude beats include; nested groups already flattened by the shell). */
export function policyApplies(policy: CaPolicyFacts, userId: string, groupMembers: PreflightFacts['groupMembers']): boolean {
  const inGroups = (groups: readonly string[]) => groups.some((groupId) => groupMembers.get(groupId)?.has(userId) === true);
  if (policy.excludeUsers.includes(userId) || inGroups(policy.excludeGroups)) return false;
  return policy.includeUsers.includes('All') || policy.includeUsers.includes(userId) || inGroups(policy.includeGroups);
}

/**
 * Before a night writes anything, the strategy's safety checks (pure: the shell reads the policies and group
 * members, this decides):
 * - `perUserMfa`: enabled CA policies that already require MFA for users of this rollout. Microsoft says not to
 *   mix per-user MFA with CA: a warning naming the policies and how many users overlap, and a refusal unless
 *   MFA_ACK_CA_OVERLAP acknowledges it.
 * - `conditionalAccessGroup`: the group exists; a policy that includes it and grants MFA is enabled (a
 *   report-only one is accepted with a loud warning: nobody is prompted yet); every break-glass account is
 *   excluded from every such policy.
 */
export function caPreflight(facts: PreflightFacts, config: Pick<Config, 'strategy' | 'caGroupId' | 'acknowledgeCaOverlap'>): PreflightResult {
  const warnings: string[] = [];
  if (config.strategy === 'perUserMfa') {
    const overlapping = facts.policies
      .filter((policy) => policy.state === 'enabled' && policy.requiresMfa)
      .map((policy) => ({ policy, users: [...facts.rolloutUserIds].filter((userId) => policyApplies(policy, userId, facts.groupMembers)).length }))
      .filter((entry) => entry.users > 0);
    if (overlapping.length === 0) return { ok: true, warnings };
    const named = overlapping.map((entry) => `'${entry.policy.displayName}' (${entry.users} user(s))`).join(', ');
    const warning = `enabled Conditional Access policies already require MFA for users of this rollout: ${named}; Microsoft advises against mixing per-user MFA with Conditional Access`;
    if (config.acknowledgeCaOverlap) return { ok: true, warnings: [`${warning} (acknowledged by MFA_ACK_CA_OVERLAP)`] };
    return { ok: false, refusal: `${warning}. Move to MFA_STRATEGY=conditionalAccessGroup, or set MFA_ACK_CA_OVERLAP=true to go ahead anyway`, warnings };
  }

  const groupId = config.caGroupId ?? '';
  if (!facts.caGroupExists) return { ok: false, refusal: `the group MFA_CA_GROUP_ID (${groupId}) does not exist`, warnings };
  const targeting = facts.policies.filter((policy) => policy.requiresMfa && policy.state !== 'disabled' && policy.includeGroups.includes(groupId));
  if (targeting.length === 0) {
    return { ok: false, refusal: `no enabled Conditional Access policy includes the group ${groupId} and grants MFA: adding users to it would require nothing`, warnings };
  }
  for (const policy of targeting) {
    const exposed = facts.breakGlass.filter((account) => account.id === null || !(policy.excludeUsers.includes(account.id) || policy.excludeGroups.some((excluded) => facts.groupMembers.get(excluded)?.has(account.id ?? '') === true)));
    if (exposed.length > 0) {
      return { ok: false, refusal: `Conditional Access policy '${policy.displayName}' does not exclude the break-glass account(s) ${exposed.map((account) => account.name).join(', ')}`, warnings };
    }
  }
  if (!targeting.some((policy) => policy.state === 'enabled')) {
    warnings.push(`REPORT-ONLY: the Conditional Access policies on group ${groupId} (${targeting.map((policy) => `'${policy.displayName}'`).join(', ')}) are in report-only mode: users added to the group are NOT prompted for MFA until a policy is enabled`);
  }
  return { ok: true, warnings };
}
