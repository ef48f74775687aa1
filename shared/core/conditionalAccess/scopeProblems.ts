import type { CaPolicy } from './caPolicy.js';
import { policyBlade, type CaProblem } from './caProblem.js';
import type { ScopeGap } from './policyScopeGaps.js';

const listed = (values: readonly string[]): string => (values.length === 0 ? 'none' : values.join(', '));

/** One blocking problem per way the policy leaves sign-ins out, each with the admin-center setting to change. */
export function scopeProblems(policy: CaPolicy, gaps: readonly ScopeGap[]): CaProblem[] {
  const named = { id: policy.id, displayName: policy.displayName };
  const blade = policyBlade(policy);
  return gaps.map((gap): CaProblem => {
    switch (gap.kind) {
      case 'applications':
        return {
          code: 'applicationsLimited', severity: 'blocking', policy: named,
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) does not cover all cloud apps (includes: ${listed(gap.include)}; excludes: ${listed(gap.exclude)}): sign-ins to other apps are not asked for MFA`,
          fix: `${blade} > Target resources: include All resources (formerly "All cloud apps") and exclude none`,
        };
      case 'clientAppTypes':
        return {
          code: 'clientAppsLimited', severity: 'blocking', policy: named,
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) covers only the client apps ${listed(gap.clientAppTypes)}: sign-ins from other clients are not asked for MFA`,
          fix: `${blade} > Conditions > Client apps: Not configured (all client apps), or both Browser and Mobile apps and desktop clients`,
        };
      case 'conditions':
        return {
          code: 'conditionsNarrow', severity: 'blocking', policy: named,
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) applies only to some sign-ins (conditions: ${gap.names.join(', ')})`,
          fix: `${blade} > Conditions: set ${gap.names.join(', ')} to Not configured`,
        };
    }
  });
}
