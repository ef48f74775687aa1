import type { CaPolicy } from './caPolicy.js';

/** Why a policy leaves some of a user's sign-ins out, whoever the user is. */
export type ScopeGap =
  /** Not every cloud app: a list of apps, user actions or authentication contexts instead of `All`, or apps excluded. */
  | { readonly kind: 'applications'; readonly include: readonly string[]; readonly exclude: readonly string[] }
  /** Not every client app type (`all`, or both `browser` and `mobileAppsAndDesktopClients`). */
  | { readonly kind: 'clientAppTypes'; readonly clientAppTypes: readonly string[] }
  /** Conditions that limit the policy to some sign-ins: platforms, locations, risk levels, device filters, … */
  | { readonly kind: 'conditions'; readonly names: readonly string[] };

/**
 * The parts of a policy's conditions that leave sign-ins out (docs/graph-behaviour.md#conditional-access): a policy
 * requires MFA "everywhere" only if it covers all cloud apps with no exclusion, every modern client (browser and
 * mobile/desktop apps; legacy clients cannot do MFA at all), and no condition narrows it.
 */
export function policyScopeGaps(policy: CaPolicy): ScopeGap[] {
  const gaps: ScopeGap[] = [];
  const { applications, clientAppTypes } = policy;
  if (!applications.include.includes('All') || applications.exclude.length > 0) {
    gaps.push({
      kind: 'applications',
      include: [...applications.include, ...applications.includeUserActions, ...applications.includeAuthenticationContexts],
      exclude: applications.exclude,
    });
  }
  // An empty list is read as "not configured", which the admin center shows as all client apps.
  const allClients = clientAppTypes.length === 0 || clientAppTypes.includes('all') || (clientAppTypes.includes('browser') && clientAppTypes.includes('mobileAppsAndDesktopClients'));
  if (!allClients) gaps.push({ kind: 'clientAppTypes', clientAppTypes });
  const narrowing: string[] = [];
  if (policy.platforms !== null && (!policy.platforms.include.includes('all') || policy.platforms.exclude.length > 0)) narrowing.push('platforms');
  if (policy.locations !== null && (!policy.locations.include.includes('All') || policy.locations.exclude.length > 0)) narrowing.push('locations');
  if (policy.signInRiskLevels.length > 0) narrowing.push('signInRiskLevels');
  if (policy.userRiskLevels.length > 0) narrowing.push('userRiskLevels');
  narrowing.push(...policy.otherConditions);
  if (narrowing.length > 0) gaps.push({ kind: 'conditions', names: narrowing });
  return gaps;
}
