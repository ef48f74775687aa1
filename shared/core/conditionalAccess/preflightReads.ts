import type { CaPreflightSettings } from '../caPreflight.js';
import type { CaPolicy } from './caPolicy.js';
import { policyShape } from './mfaCoverage.js';
import { targetsOnlyGroup } from './perUserMfaOverlap.js';

/** The groups whose members and the roles whose holders the preflight needs (lower-case ids). */
export interface PreflightReads {
  readonly groupIds: readonly string[];
  readonly roleIds: readonly string[];
}

/**
 * What the shell must read for caPreflight, and no more: for `perUserMfa` the groups and roles of the enabled
 * policies that could require MFA everywhere; for a group the rollout adds users to, the exclusions (groups, roles)
 * of the policies on that group, which decide whether break-glass accounts and users are left out.
 */
export function preflightReads(policies: readonly CaPolicy[], settings: CaPreflightSettings): PreflightReads {
  const groups = new Set<string>();
  const roles = new Set<string>();
  const add = (set: Set<string>, ids: readonly string[]) => ids.forEach((id) => set.add(id.toLowerCase()));
  if (settings.strategy === 'perUserMfa') {
    for (const policy of policies) {
      if (policy.state !== 'enabled' || targetsOnlyGroup(policy, settings.phishingResistantGroupId)) continue;
      const shape = policyShape(policy);
      if (shape.scopeGaps.length > 0 || shape.grant.kind !== 'mfa') continue;
      add(groups, [...policy.users.includeGroups, ...policy.users.excludeGroups]);
      add(roles, [...policy.users.includeRoles, ...policy.users.excludeRoles]);
    }
  }
  const targetGroups = [settings.strategy === 'conditionalAccessGroup' ? settings.caGroupId : undefined, settings.phishingResistantGroupId]
    .filter((id): id is string => id !== undefined)
    .map((id) => id.toLowerCase());
  // the members of a target group itself are not needed: its policies are judged as if the users were in it
  const exclusions = new Set<string>();
  for (const policy of policies) {
    if (policy.state === 'disabled' || !policy.users.includeGroups.some((id) => targetGroups.includes(id.toLowerCase()))) continue;
    add(exclusions, policy.users.excludeGroups.filter((id) => !targetGroups.includes(id.toLowerCase())));
    add(roles, policy.users.excludeRoles);
  }
  exclusions.forEach((id) => groups.add(id));
  return { groupIds: [...groups].sort(), roleIds: [...roles].sort() };
}
