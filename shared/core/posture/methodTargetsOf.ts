import type { MethodTargets } from '../journey/methodAvailability.js';
import { allUsersTarget, type PolicyTarget } from './postureFacts.js';

const isGroup = (target: PolicyTarget): boolean => target.targetType.toLowerCase() === 'group';
const isEveryone = (target: PolicyTarget): boolean => isGroup(target) && target.id.toLowerCase() === allUsersTarget;

/** Lower-case ids of the group targets, `all_users` left out. */
export function groupIdsOf(targets: readonly PolicyTarget[]): string[] {
  return targets.filter((target) => isGroup(target) && !isEveryone(target)).map((target) => target.id.toLowerCase());
}

/**
 * A configuration's (or the campaign's) targets as the journey reads them: enabled or not, `all_users` among the
 * includes, included and excluded group ids in lower case. User targets (removed from the admin center, kept where
 * they existed) are not read: such users count as not included, and the posture warns about them.
 */
export function methodTargetsOf(configuration: { readonly enabled: boolean; readonly includeTargets: readonly PolicyTarget[]; readonly excludeTargets: readonly PolicyTarget[] } | null): MethodTargets {
  if (configuration === null) return { state: 'disabled', includesAllUsers: false, includeGroupIds: [], excludeGroupIds: [] };
  return {
    state: configuration.enabled ? 'enabled' : 'disabled',
    includesAllUsers: configuration.includeTargets.some(isEveryone),
    includeGroupIds: groupIdsOf(configuration.includeTargets),
    excludeGroupIds: groupIdsOf(configuration.excludeTargets),
  };
}

/** Whether members of a group are allowed, as far as the targets name the group itself (exclusion wins). */
export function allowsGroup(targets: MethodTargets, groupId: string): boolean {
  const id = groupId.toLowerCase();
  return targets.state === 'enabled' && !targets.excludeGroupIds.includes(id) && (targets.includesAllUsers || targets.includeGroupIds.includes(id));
}

/** Whether any target is a user target (legacy). */
export function hasUserTargets(targets: readonly PolicyTarget[]): boolean {
  return targets.some((target) => target.targetType.toLowerCase() === 'user');
}
