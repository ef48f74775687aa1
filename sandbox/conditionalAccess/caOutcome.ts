import type { AuthenticationStrengthPolicy, ConditionalAccessPolicy, ConditionalAccessUsers } from '../tenant/tenantModel.js';

/** What Conditional Access needs to know about a user to decide whether a policy applies. */
export interface PolicySubject {
  readonly id: string;
  /** A guest (the generated guests are invited B2B collaboration guests: `b2bCollaborationGuest`). */
  readonly isGuest: boolean;
  /** Directory role template ids the user holds. */
  readonly roles: readonly string[];
  isMemberOf(groupId: string): boolean;
}

/** One sign-in as Conditional Access sees it. */
export interface SignInContext {
  /** The resource signed in to (app id). */
  readonly appId: string;
  readonly clientAppType: 'browser' | 'mobileAppsAndDesktopClients' | 'exchangeActiveSync' | 'other';
  readonly platform: 'windows' | 'macOS' | 'iOS' | 'android' | 'linux';
  /** Named locations the sign-in comes from, and whether one of them is marked trusted. */
  readonly locationIds: readonly string[];
  readonly trustedLocation: boolean;
  readonly compliantDevice: boolean;
  readonly domainJoinedDevice: boolean;
  readonly signInRisk: 'none' | 'low' | 'medium' | 'high';
  readonly userRisk: 'none' | 'low' | 'medium' | 'high';
  /** The authentication method modes the user can use now: `password` and their registered methods (`sms`, `fido2`, …). */
  readonly methodModes: readonly string[];
}

/**
 * What Conditional Access does with a sign-in: `notApplied` (no enforced policy applies), `granted` (applies, met
 * without MFA), `mfa` (the user is asked for MFA and has a method that meets it), `mfaUnsatisfiable` (asked for MFA or
 * a strength none of the user's methods meets: they must register one first), `blocked`.
 */
export type CaOutcome = 'notApplied' | 'granted' | 'mfa' | 'mfaUnsatisfiable' | 'blocked';

/** The Microsoft 365 apps the `Office365` app group stands for (the ones the sandbox signs in to). */
const office365Apps = ['00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe'];

/** Method modes that are a second factor: the `mfa` control is met by any of them with a password. */
const secondFactors = ['sms', 'voice', 'microsoftAuthenticatorPush', 'softwareOath', 'hardwareOath', 'fido2', 'windowsHelloForBusiness', 'x509CertificateMultiFactor'];

function userListed(users: ConditionalAccessUsers, subject: PolicySubject, side: 'include' | 'exclude'): boolean {
  const ids = side === 'include' ? users.includeUsers : users.excludeUsers;
  const groups = side === 'include' ? users.includeGroups : users.excludeGroups;
  const roles = side === 'include' ? users.includeRoles : users.excludeRoles;
  const guestTypes = (side === 'include' ? users.includeGuestsOrExternalUsers : users.excludeGuestsOrExternalUsers) ?? '';
  return (
    ids.some((id) => id === 'All' || id.toLowerCase() === subject.id.toLowerCase() || (id === 'GuestsOrExternalUsers' && subject.isGuest)) ||
    groups.some((groupId) => subject.isMemberOf(groupId)) ||
    roles.some((roleId) => subject.roles.includes(roleId)) ||
    (subject.isGuest && guestTypes.split(',').some((type) => type.trim() === 'b2bCollaborationGuest'))
  );
}

const appListed = (apps: readonly string[], appId: string): boolean => apps.some((app) => app === 'All' || app === appId || (app === 'Office365' && office365Apps.includes(appId)));

function clientListed(types: readonly string[], client: SignInContext['clientAppType']): boolean {
  return types.length === 0 || types.some((type) => type === 'all' || type === client || (type === 'easSupported' && client === 'exchangeActiveSync'));
}

function locationListed(locations: readonly string[], signIn: SignInContext): boolean {
  return locations.some((location) => location === 'All' || (location === 'AllTrusted' && signIn.trustedLocation) || signIn.locationIds.includes(location));
}

/** Whether the policy's assignments and conditions select this sign-in (state aside). */
function selects(policy: ConditionalAccessPolicy, subject: PolicySubject, signIn: SignInContext): boolean {
  if (!userListed(policy.users, subject, 'include') || userListed(policy.users, subject, 'exclude')) return false;
  if (!appListed(policy.includeApplications, signIn.appId) || appListed(policy.excludeApplications, signIn.appId)) return false;
  if (!clientListed(policy.clientAppTypes, signIn.clientAppType)) return false;
  const { platforms, locations } = policy;
  if (platforms !== null && (!platforms.includePlatforms.some((p) => p === 'all' || p === signIn.platform) || platforms.excludePlatforms.includes(signIn.platform))) return false;
  if (locations !== null && (!locationListed(locations.includeLocations, signIn) || locationListed(locations.excludeLocations, signIn))) return false;
  if (policy.signInRiskLevels.length > 0 && !policy.signInRiskLevels.includes(signIn.signInRisk)) return false;
  if (policy.userRiskLevels.length > 0 && !policy.userRiskLevels.includes(signIn.userRisk)) return false;
  return true;
}

type ControlResult = 'met' | 'unmet' | 'mfa' | 'mfaUnsatisfiable';

function controlResult(control: string, signIn: SignInContext): ControlResult {
  switch (control) {
    case 'mfa':
      return signIn.methodModes.some((mode) => secondFactors.includes(mode)) ? 'mfa' : 'mfaUnsatisfiable';
    case 'compliantDevice':
      return signIn.compliantDevice ? 'met' : 'unmet';
    case 'domainJoinedDevice':
      return signIn.domainJoinedDevice ? 'met' : 'unmet';
    default:
      // approved/compliant client apps, password change, risk remediation and controls Graph adds later: the sandbox's
      // sign-ins never meet them
      return 'unmet';
  }
}

function strengthResult(strength: AuthenticationStrengthPolicy | undefined, signIn: SignInContext): ControlResult {
  if (strength === undefined) return 'unmet';
  const met = strength.allowedCombinations.some((combination) => combination.split(',').every((mode) => signIn.methodModes.includes(mode.trim())));
  return met ? 'mfa' : 'mfaUnsatisfiable';
}

/**
 * One policy and one sign-in, as Conditional Access treats them (docs/graph-behaviour.md#conditional-access): only an
 * `enabled` policy is enforced (report-only is logged, never enforced); it applies when its users, apps, client apps,
 * platforms, locations and risk levels all select the sign-in (any exclusion wins); `block` blocks; with `OR` one
 * control met is enough (so a compliant device meets `mfa` OR `compliantDevice` with no prompt), with `AND` every
 * control must be met; MFA, or an authentication strength, is met by the user's methods per its `allowedCombinations`.
 */
export function policyOutcome(policy: ConditionalAccessPolicy, subject: PolicySubject, signIn: SignInContext, strengthById: (id: string) => AuthenticationStrengthPolicy | undefined): CaOutcome {
  if (policy.state !== 'enabled' || !selects(policy, subject, signIn)) return 'notApplied';
  if (policy.builtInControls.includes('block')) return 'blocked';
  const results = policy.builtInControls.map((control) => controlResult(control, signIn));
  if (policy.authenticationStrengthId !== null) results.push(strengthResult(strengthById(policy.authenticationStrengthId), signIn));
  if (results.length === 0) return 'granted';
  if (policy.grantOperator === 'OR') {
    if (results.includes('met')) return 'granted';
    if (results.includes('mfa')) return 'mfa';
    return results.includes('mfaUnsatisfiable') ? 'mfaUnsatisfiable' : 'blocked';
  }
  if (results.includes('unmet')) return 'blocked';
  if (results.includes('mfaUnsatisfiable')) return 'mfaUnsatisfiable';
  return results.includes('mfa') ? 'mfa' : 'granted';
}

const severity: readonly CaOutcome[] = ['notApplied', 'granted', 'mfa', 'mfaUnsatisfiable', 'blocked'];

/** Every enforced policy that applies must be met: the sign-in's outcome is the hardest of them. */
export function caOutcome(policies: readonly ConditionalAccessPolicy[], subject: PolicySubject, signIn: SignInContext, strengthById: (id: string) => AuthenticationStrengthPolicy | undefined): CaOutcome {
  let worst: CaOutcome = 'notApplied';
  for (const policy of policies) {
    const outcome = policyOutcome(policy, subject, signIn, strengthById);
    if (severity.indexOf(outcome) > severity.indexOf(worst)) worst = outcome;
  }
  return worst;
}
