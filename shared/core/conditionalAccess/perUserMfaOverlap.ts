import type { CaPolicy } from './caPolicy.js';
import { caPoliciesBlade, type CaProblem } from './caProblem.js';
import { policyShape, requiresMfaEverywhere, mfaCoverage } from './mfaCoverage.js';
import { preflightSubject, type DirectoryFacts } from './preflightSubject.js';

/** The policy targets the rollout's own phishing-resistant group and nobody else (by user, role or guest type). */
export function targetsOnlyGroup(policy: CaPolicy, groupId: string | undefined): boolean {
  const own = groupId?.toLowerCase();
  const { users } = policy;
  return own !== undefined && users.includeUsers.length === 0 && users.includeRoles.length === 0 && users.includeGuestTypes.length === 0 && users.includeGroups.every((id) => id.toLowerCase() === own);
}

export interface OverlapFacts extends DirectoryFacts {
  readonly policies: readonly CaPolicy[];
  readonly rolloutUserIds: ReadonlySet<string>;
}

/**
 * Strategy `perUserMfa`: the enabled policies that already require MFA everywhere (docs/graph-behaviour.md#conditional-access)
 * of users of this rollout. Microsoft advises against mixing per-user MFA with Conditional Access: a warning naming the
 * policies and how many users overlap, blocking unless MFA_ACK_CA_OVERLAP acknowledges it. A policy on one app, one
 * client type or with an OR alternative to MFA does not count, nor does a policy on the rollout's own
 * phishing-resistant group alone (`ownGroupId`: putting users with a passkey under it is the journey's last step).
 * Users for whom it cannot be told (roles or groups not read) are a separate warning.
 */
export function perUserMfaOverlap(facts: OverlapFacts, acknowledged: boolean, ownGroupId?: string): CaProblem[] {
  const subjects = [...facts.rolloutUserIds].map((userId) => preflightSubject(userId, facts));
  const overlapping: string[] = [];
  const unknown: string[] = [];
  for (const policy of facts.policies) {
    if (policy.state !== 'enabled' || targetsOnlyGroup(policy, ownGroupId)) continue;
    const shape = policyShape(policy);
    if (shape.scopeGaps.length > 0 || shape.grant.kind !== 'mfa') continue;
    let users = 0;
    let unsure = 0;
    for (const subject of subjects) {
      const required = requiresMfaEverywhere(mfaCoverage(policy, subject, shape));
      if (required === true) users += 1;
      if (required === 'unknown') unsure += 1;
    }
    if (users > 0) overlapping.push(`'${policy.displayName}' (${users} user(s))`);
    if (unsure > 0) unknown.push(`'${policy.displayName}' (${unsure} user(s))`);
  }
  const problems: CaProblem[] = [];
  if (overlapping.length > 0) {
    const message = `enabled Conditional Access policies already require MFA for users of this rollout: ${overlapping.join(', ')}; Microsoft advises against mixing per-user MFA with Conditional Access`;
    problems.push({
      code: 'perUserMfaOverlap', severity: acknowledged ? 'warning' : 'blocking', policy: null,
      message: acknowledged ? `${message} (acknowledged by MFA_ACK_CA_OVERLAP)` : message,
      fix: 'Move to MFA_STRATEGY=conditionalAccessGroup, or set MFA_ACK_CA_OVERLAP=true to go ahead anyway',
    });
  }
  if (unknown.length > 0) {
    problems.push({
      code: 'overlapUnknown', severity: 'warning', policy: null,
      message: `it could not be told whether these enabled Conditional Access policies already require MFA of some users of this rollout (they name roles or groups that were not read): ${unknown.join(', ')}`,
      fix: `${caPoliciesBlade}: check the roles and groups these policies include and exclude`,
    });
  }
  return problems;
}
