import type { CaPolicy } from './caPolicy.js';
import { grantVerdict, type GrantVerdict } from './grantVerdict.js';
import { policyScopeGaps, type ScopeGap } from './policyScopeGaps.js';
import { policyTargets, type CaSubject, type Known, type Targeting } from './policyTargets.js';

/** What one policy does about MFA for one user: who it targets, which sign-ins it leaves out, what it grants. */
export interface MfaCoverage {
  readonly policy: CaPolicy;
  readonly targeting: Targeting;
  readonly scopeGaps: readonly ScopeGap[];
  readonly grant: GrantVerdict;
}

/** The parts of a coverage that do not depend on the user, worked out once per policy. */
export interface PolicyShape {
  readonly scopeGaps: readonly ScopeGap[];
  readonly grant: GrantVerdict;
}

export function policyShape(policy: CaPolicy): PolicyShape {
  return { scopeGaps: policyScopeGaps(policy), grant: grantVerdict(policy.grantControls) };
}

export function mfaCoverage(policy: CaPolicy, subject: CaSubject, shape: PolicyShape = policyShape(policy)): MfaCoverage {
  return { policy, targeting: policyTargets(policy.users, subject), ...shape };
}

/**
 * The policy makes the user do MFA at every sign-in (any app, any modern client, any device, anywhere): it is enforced
 * (`enabled`; report-only prompts nobody), applies to the user, leaves no sign-in out and its grant demands MFA.
 */
export function requiresMfaEverywhere(coverage: MfaCoverage): Known {
  if (coverage.policy.state !== 'enabled' || coverage.scopeGaps.length > 0 || coverage.grant.kind !== 'mfa') return false;
  return coverage.targeting.applies;
}
