import { methodAllows, type MethodTargets } from '../journey/methodAvailability.js';
import type { RolloutMembership } from './postureTypes.js';

/** Counts the rollout's users a set of targets reaches (allowed by any of them). */
export type RolloutReach = (...targets: readonly MethodTargets[]) => number;

/** The reach of targets over the rollout's users, with each user's group memberships worked out once. */
export function rolloutReach(rollout: RolloutMembership): RolloutReach {
  const inRollout = new Set(rollout.userIds);
  const membershipsOf = new Map<string, Set<string>>(rollout.userIds.map((id) => [id, new Set<string>()]));
  for (const [groupId, members] of rollout.groupMembers) {
    for (const member of members) if (inRollout.has(member)) membershipsOf.get(member)?.add(groupId);
  }
  return (...targets) => {
    let reached = 0;
    for (const memberships of membershipsOf.values()) if (targets.some((target) => methodAllows(target, memberships))) reached += 1;
    return reached;
  };
}
