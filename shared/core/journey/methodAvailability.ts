import type { JourneySettings, MethodAvailability } from './journeyTypes.js';

/**
 * One method configuration of the Authentication methods policy, as far as targeting goes
 * (docs/graph-behaviour.md#methods-policy-and-registration-campaign): enabled or not, included for all users or
 * for groups, and excluded groups, which win over inclusion.
 */
export interface MethodTargets {
  readonly state: 'enabled' | 'disabled';
  /** `all_users` is among the include targets. */
  readonly includesAllUsers: boolean;
  readonly includeGroupIds: readonly string[];
  readonly excludeGroupIds: readonly string[];
}

/** The method configurations the journey depends on. */
export interface MethodsPolicyTargets {
  readonly sms: MethodTargets;
  readonly voice: MethodTargets;
  readonly fido2: MethodTargets;
  readonly microsoftAuthenticator: MethodTargets;
}

/** Whether a method configuration allows a user, given the groups the user is a (transitive) member of. */
export function methodAllows(targets: MethodTargets, memberships: ReadonlySet<string>): boolean {
  if (targets.state !== 'enabled') return false;
  const inGroup = (ids: readonly string[]) => ids.some((id) => memberships.has(id.toLowerCase()));
  if (inGroup(targets.excludeGroupIds)) return false;
  return targets.includesAllUsers || inGroup(targets.includeGroupIds);
}

/** The first instant of a `YYYY-MM-DD` day, UTC. */
export function startOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

/** The day Microsoft stops delivering SMS and voice codes to this user (Global Administrators may have a later one). */
export function retirementDateFor(isGlobalAdmin: boolean, settings: Pick<JourneySettings, 'smsRetirementDate' | 'smsRetirementDateAdmins'>): string {
  return isGlobalAdmin ? settings.smsRetirementDateAdmins : settings.smsRetirementDate;
}

/**
 * What the user can do MFA with tonight, by the tenant's policy and the calendar:
 * - phone: the Sms or the Voice configuration allows the user (a `mobile` phone method takes both), and the codes
 *   are still delivered: a customer-managed provider (MFA_SMS_DELIVERY=customerManaged) keeps delivering them,
 *   Microsoft's delivery ends on the user's retirement date;
 * - fido2 (passkeys) and Microsoft Authenticator: their configuration allows the user.
 * `memberships` holds lower-case group ids.
 */
export function methodAvailability(input: {
  readonly policy: MethodsPolicyTargets;
  readonly memberships: ReadonlySet<string>;
  readonly isGlobalAdmin: boolean;
  readonly settings: Pick<JourneySettings, 'smsDelivery' | 'smsRetirementDate' | 'smsRetirementDateAdmins'>;
  readonly now: Date;
}): MethodAvailability {
  const { policy, memberships, settings } = input;
  const byPolicy = methodAllows(policy.sms, memberships) || methodAllows(policy.voice, memberships);
  const retired = settings.smsDelivery === 'microsoft' && input.now.getTime() >= startOfDay(retirementDateFor(input.isGlobalAdmin, settings));
  return {
    phone: byPolicy && !retired,
    phoneBlockedBy: !byPolicy ? 'policy' : retired ? 'retired' : null,
    fido2: methodAllows(policy.fido2, memberships),
    authenticator: methodAllows(policy.microsoftAuthenticator, memberships),
  };
}
