/**
 * Which throttling regime a Graph route falls under (docs/graph-behaviour.md#throttling):
 *
 * - `directory`: the identity and access resources Microsoft lists (users, groups, organization, directory objects,
 *   directory roles, applications, service principals, devices, domains, subscribed SKUs, policyBase policies such
 *   as security defaults…): metered in resource units and writes, and the only answers that carry the identity
 *   throttling headers.
 * - `authenticationMethods`: `users/{id}/authentication/…` (phone and other methods, per-user MFA requirements,
 *   sign-in preferences). Not on that list: no headers; which quota they draw on is not documented (QuotaConfig's
 *   `authenticationMethodQuota` runs each reading).
 * - `own`: families with limits of their own, enforced by their routes (reports and sign-in logs 5 per 10 s,
 *   Conditional Access 1 per second, mail per mailbox), never the identity quotas.
 * - `undocumented`: anything else (the authentication-methods policy, role management…): no documented quota.
 */
export type QuotaFamily = 'directory' | 'authenticationMethods' | 'own' | 'undocumented';

const directoryRoots = new Set([
  'users',
  'groups',
  'organization',
  'directoryObjects',
  'directoryRoles',
  'directoryRoleTemplates',
  'applications',
  'servicePrincipals',
  'devices',
  'domains',
  'contacts',
  'contracts',
  'subscribedSkus',
  'oauth2PermissionGrants',
  'groupSettings',
  'groupSettingTemplates',
]);

/** policyBase-derived policies (identity list: "policyBase", token lifetime and issuance, home realm discovery…). */
const directoryPolicies = new Set(['identitySecurityDefaultsEnforcementPolicy', 'tokenLifetimePolicies', 'tokenIssuancePolicies', 'homeRealmDiscoveryPolicies', 'claimsMappingPolicies', 'activityBasedTimeoutPolicies']);

export function quotaFamilyOf(pattern: string): QuotaFamily {
  const segments = pattern.split('/');
  const [root = '', second = '', third = ''] = segments;
  if (root === 'users' && third === 'authentication') return 'authenticationMethods';
  if (root === 'users' && third === 'sendMail') return 'own';
  if (root === 'reports' || root === 'auditLogs') return 'own';
  if (root === 'identity' && second === 'conditionalAccess') return 'own';
  if (root === 'policies') return directoryPolicies.has(second) ? 'directory' : 'undocumented';
  return directoryRoots.has(root) ? 'directory' : 'undocumented';
}
