import type { ExclusionReason } from './exclusions.js';
import { methodAllows } from './journey/methodAvailability.js';

/** The Temporary Access Pass configuration of the methods policy, as far as issuing a pass goes. */
export interface TapPolicy {
  readonly state: 'enabled' | 'disabled';
  readonly includesAllUsers: boolean;
  /** Lower-case ids of the included groups (or users); `all_users` is `includesAllUsers`. */
  readonly includeIds: readonly string[];
  readonly excludeIds: readonly string[];
  /** Lower-case ids of the include and exclude targets that are groups: whose memberships decide. */
  readonly targetGroupIds: readonly string[];
  readonly defaultLifetimeMinutes: number;
  readonly minimumLifetimeMinutes: number;
  readonly maximumLifetimeMinutes: number;
  /** Every pass is one-time. */
  readonly usableOnce: boolean;
}

/** Why a named user gets no pass. */
export type TapRefusalReason = ExclusionReason | 'notInRoster' | 'notFound' | 'accountDisabled' | 'policyDisabled' | 'notInPolicyTargets';

/** Graph's own bounds on any pass (docs/graph-behaviour.md#temporary-access-pass), whatever the policy says. */
export const tapLifetimeBounds = { min: 10, max: 43_200 } as const;

const adminCenter = 'Entra admin center > Protection > Authentication methods > Policies > Temporary Access Pass';

/** What to tell the operator about a refusal: what is wrong, and the setting that decides it. */
export function describeTapRefusal(reason: TapRefusalReason, rolloutId: string): string {
  switch (reason) {
    case 'breakGlass':
      return 'an emergency-access account (MFA_BREAK_GLASS): the rollout never gives one a pass';
    case 'exclusionGroup':
      return 'a member of the exclusion group (MFA_EXCLUSION_GROUP_ID): the rollout never touches the user';
    case 'serviceAccount':
      return 'a service account (MFA_EXCLUDE_UPN_PATTERNS): the rollout never touches the user';
    case 'guest':
      return 'a guest: the rollout never enrols guests, and Graph refuses a pass for an external guest';
    case 'notInRoster':
      return `not in the roster of rollout ${rolloutId} (check the name; \`mfa-rollout plan\` refreshes the roster from Graph)`;
    case 'notFound':
      return 'Graph knows no such user (deleted or renamed since the roster was refreshed)';
    case 'accountDisabled':
      return 'the account is disabled';
    case 'policyDisabled':
      return `the Temporary Access Pass method is off in the Authentication methods policy (${adminCenter}: Enable)`;
    case 'notInPolicyTargets':
      return `the Temporary Access Pass policy does not include the user (${adminCenter}: Include/Exclude a group the user is in)`;
  }
}

/**
 * The lifetime of the passes to issue: the one asked for, or the policy's default; refused outside the policy's
 * minimum and maximum (or Graph's 10–43,200 minutes), naming them, before any pass is made.
 */
export function tapLifetime(policy: TapPolicy, requested: number | undefined): { readonly ok: true; readonly minutes: number } | { readonly ok: false; readonly message: string } {
  const minutes = requested ?? policy.defaultLifetimeMinutes;
  const min = Math.max(tapLifetimeBounds.min, policy.minimumLifetimeMinutes);
  const max = Math.min(tapLifetimeBounds.max, policy.maximumLifetimeMinutes);
  if (Number.isInteger(minutes) && minutes >= min && minutes <= max) return { ok: true, minutes };
  const given = requested === undefined ? `the policy's default lifetime of ${minutes} minutes` : `--lifetime ${requested}`;
  return { ok: false, message: `${given} is outside what the Temporary Access Pass policy allows: ${min} to ${max} minutes (${adminCenter}: minimum and maximum lifetime)` };
}

export interface TapSubject {
  /** The user's object id as Graph gave it now. */
  readonly userId: string;
  /** The exclusion reason of the user as Graph shows them now (break-glass, exclusion group, service account, guest). */
  readonly exclusion: ExclusionReason | null;
  readonly enabled: boolean;
  /** Lower-case ids of the policy's target groups the user is a transitive member of. */
  readonly memberships: ReadonlySet<string>;
}

/**
 * Whether a user found in the roster and in Graph may be given a pass: never an excluded user (break-glass first),
 * never a disabled account, and only inside the TAP policy (enabled, included by all users, a group or the user,
 * not excluded: exclusion wins). Pure; the shell reads the facts.
 */
export function decideTapIssue(subject: TapSubject, policy: TapPolicy): { readonly kind: 'issue' } | { readonly kind: 'refuse'; readonly reason: TapRefusalReason } {
  if (subject.exclusion !== null) return { kind: 'refuse', reason: subject.exclusion };
  if (!subject.enabled) return { kind: 'refuse', reason: 'accountDisabled' };
  if (policy.state !== 'enabled') return { kind: 'refuse', reason: 'policyDisabled' };
  // a user target names the user's own id: matched like a group the user is in
  const memberships = new Set([...subject.memberships, subject.userId.toLowerCase()]);
  const allowed = methodAllows({ state: policy.state, includesAllUsers: policy.includesAllUsers, includeGroupIds: policy.includeIds, excludeGroupIds: policy.excludeIds }, memberships);
  return allowed ? { kind: 'issue' } : { kind: 'refuse', reason: 'notInPolicyTargets' };
}
