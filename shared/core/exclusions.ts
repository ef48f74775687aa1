import type { Config } from '../config/configSchema.js';
import type { DirectoryUser } from './rosterUser.js';

/** Why a user is never enrolled, in precedence order: break-glass wins over everything. */
export type ExclusionReason = 'breakGlass' | 'exclusionGroup' | 'serviceAccount' | 'guest';

export const exclusionReasons: readonly ExclusionReason[] = ['breakGlass', 'exclusionGroup', 'serviceAccount', 'guest'];

export type ExclusionConfig = Pick<Config, 'breakGlass' | 'exclusionGroupId' | 'excludeUpnPatterns'>;

/** A compiled exclusion check, for classifying many users against one config. */
export type ExclusionCheck = (user: DirectoryUser) => ExclusionReason | null;

/**
 * Builds the exclusion check once per config:
 * - `breakGlass`: the user's object id or UPN is in MFA_BREAK_GLASS (case-insensitive);
 * - `exclusionGroup`: `exclusionGroupId` is among the user's `groupIds` (case-insensitive GUIDs);
 * - `serviceAccount`: the whole UPN matches one of `excludeUpnPatterns` (`*` = any run of characters,
 *   everything else literal, case-insensitive);
 * - `guest`: `userType === 'Guest'`.
 * The first that applies, in that order, is the reason; null means the user may be enrolled.
 */
export function createExclusionCheck(config: ExclusionConfig): ExclusionCheck {
  const breakGlass = new Set(config.breakGlass.map((entry) => entry.toLowerCase()));
  const exclusionGroup = config.exclusionGroupId?.toLowerCase();
  const patterns = config.excludeUpnPatterns.map(upnPattern);
  return (user) => {
    if (breakGlass.has(user.id.toLowerCase()) || breakGlass.has(user.userPrincipalName.toLowerCase())) return 'breakGlass';
    if (exclusionGroup !== undefined && user.groupIds.some((groupId) => groupId.toLowerCase() === exclusionGroup)) return 'exclusionGroup';
    if (patterns.some((pattern) => pattern.test(user.userPrincipalName))) return 'serviceAccount';
    if (user.userType === 'Guest') return 'guest';
    return null;
  };
}

/** The exclusion reason of one user, or null. Compile with `createExclusionCheck` for a whole roster. */
export function exclusionReason(user: DirectoryUser, config: ExclusionConfig): ExclusionReason | null {
  return createExclusionCheck(config)(user);
}

function upnPattern(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}
