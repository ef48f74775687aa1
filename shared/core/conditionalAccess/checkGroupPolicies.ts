import { builtInStrengthIds, type CaPolicy } from './caPolicy.js';
import { caPoliciesBlade, policyBlade, type CaProblem } from './caProblem.js';
import { describeGrant } from './describeGrant.js';
import type { GrantVerdict } from './grantVerdict.js';
import { policyShape, type PolicyShape } from './mfaCoverage.js';
import { groupMemberSubject, preflightSubject, type DirectoryFacts } from './preflightSubject.js';
import { anyOf, policyTargets } from './policyTargets.js';
import { scopeProblems } from './scopeProblems.js';

/** What a group the rollout adds users to must be covered by, and how a policy's grant is judged for it. */
export interface GroupPurpose {
  /** The setting that names the group, e.g. `MFA_CA_GROUP_ID`. */
  readonly setting: string;
  readonly groupId: string;
  /** What a policy on the group must demand, in words (`MFA an SMS phone satisfies`). */
  readonly demand: string;
  /** The grant the admin center should show, for the fix of a missing policy. */
  readonly grantFix: string;
  grantProblems(policy: CaPolicy, grant: GrantVerdict): CaProblem[];
}

export interface GroupPolicyFacts extends DirectoryFacts {
  readonly policies: readonly CaPolicy[];
  readonly rolloutUserIds: ReadonlySet<string>;
  /** The break-glass accounts, resolved to object ids where the directory knows them. */
  readonly breakGlass: readonly { readonly name: string; readonly id: string | null }[];
}

const named = (policy: CaPolicy) => ({ id: policy.id, displayName: policy.displayName });

/** MFA_CA_GROUP_ID: the policy must demand MFA that the SMS phone the rollout pre-registers satisfies. */
export function mfaGroupPurpose(groupId: string): GroupPurpose {
  return {
    setting: 'MFA_CA_GROUP_ID',
    groupId,
    demand: 'MFA (that an SMS phone satisfies)',
    grantFix: 'Grant: Grant access, Require multifactor authentication',
    grantProblems: (policy, grant) => {
      const blade = policyBlade(policy);
      if (grant.kind !== 'mfa') {
        const why = grant.kind === 'withoutMfa' ? `: it is met without MFA by ${grant.alternatives.join(' or ')}` : grant.kind === 'block' ? ': it blocks access' : ': it demands nothing';
        return [{
          code: 'grantWithoutMfa', severity: 'blocking', policy: named(policy),
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) grants ${describeGrant(policy.grantControls)}, which does not require MFA${why}`,
          fix: `${blade} > Grant: Grant access with Require multifactor authentication only, or with "Require all the selected controls" when there are others`,
        }];
      }
      if (!grant.smsPhoneSatisfies) {
        return [{
          code: 'strengthNotSatisfiedBySms', severity: 'blocking', policy: named(policy),
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) requires the authentication strength '${grant.strength?.displayName ?? ''}', which the SMS phone the rollout registers does not satisfy: users would be blocked or made to register another method`,
          fix: `${blade} > Grant: Require multifactor authentication, or the built-in authentication strength "Multifactor authentication" (or a custom one that allows Password + SMS)`,
        }];
      }
      return [];
    },
  };
}

/** MFA_PHISHING_RESISTANT_GROUP_ID: the policy must demand the built-in Phishing-resistant MFA strength, with no alternative. */
export function phishingResistantGroupPurpose(groupId: string): GroupPurpose {
  return {
    setting: 'MFA_PHISHING_RESISTANT_GROUP_ID',
    groupId,
    demand: 'the built-in Phishing-resistant MFA authentication strength',
    grantFix: 'Grant: Grant access, Require authentication strength: Phishing-resistant MFA',
    grantProblems: (policy, grant) => {
      const blade = policyBlade(policy);
      const strength = policy.grantControls?.authenticationStrength ?? null;
      const isPhishingResistant = strength !== null && strength.id.toLowerCase() === builtInStrengthIds.phishingResistantMfa && strength.policyType === 'builtIn';
      if (isPhishingResistant && grant.kind === 'mfa') return [];
      if (isPhishingResistant && grant.kind === 'withoutMfa') {
        return [{
          code: 'phishingResistantWithAlternative', severity: 'blocking', policy: named(policy),
          message: `Conditional Access policy '${policy.displayName}' (${policy.id}) grants ${describeGrant(policy.grantControls)}: ${grant.alternatives.join(' or ')} alone satisfies it, so phishing-resistant MFA is not enforced`,
          fix: `${blade} > Grant: Require authentication strength "Phishing-resistant MFA" with no other control, or "Require all the selected controls"`,
        }];
      }
      return [{
        code: 'notPhishingResistantStrength', severity: 'blocking', policy: named(policy),
        message: `Conditional Access policy '${policy.displayName}' (${policy.id}) grants ${describeGrant(policy.grantControls)}, not the built-in Phishing-resistant MFA authentication strength`,
        fix: `${blade} > Grant: Require authentication strength, and pick the built-in "Phishing-resistant MFA"`,
      }];
    },
  };
}

interface Candidate {
  readonly policy: CaPolicy;
  readonly shape: PolicyShape;
  /** Why the policy does not enforce what the group needs (report-only is not among them). */
  readonly issues: readonly CaProblem[];
  readonly breakGlass: readonly CaProblem[];
}

function breakGlassProblems(policy: CaPolicy, purpose: GroupPurpose, facts: GroupPolicyFacts): CaProblem[] {
  const exposed: string[] = [];
  const unknown: string[] = [];
  for (const account of facts.breakGlass) {
    if (account.id === null) {
      exposed.push(`${account.name} (not found in the directory)`);
      continue;
    }
    // as if someone had put the account in the group: only an exclusion keeps it out
    const excluded = policyTargets(policy.users, preflightSubject(account.id, facts, purpose.groupId)).excluded;
    if (excluded === false) exposed.push(account.name);
    if (excluded === 'unknown') unknown.push(account.name);
  }
  const problems: CaProblem[] = [];
  const blade = policyBlade(policy);
  if (exposed.length > 0) {
    problems.push({
      code: 'breakGlassNotExcluded', severity: 'blocking', policy: named(policy),
      message: `Conditional Access policy '${policy.displayName}' (${policy.id}) does not exclude the break-glass account(s) ${exposed.join(', ')}`,
      fix: `${blade} > Users > Exclude > Users and groups: add ${exposed.join(', ')} (and check MFA_BREAK_GLASS)`,
    });
  }
  if (unknown.length > 0) {
    problems.push({
      code: 'breakGlassExclusionUnknown', severity: 'blocking', policy: named(policy),
      message: `Conditional Access policy '${policy.displayName}' (${policy.id}) excludes the break-glass account(s) ${unknown.join(', ')} only through roles or groups that could not be read, so the exclusion cannot be confirmed`,
      fix: `${blade} > Users > Exclude > Users and groups: add ${unknown.join(', ')} by name`,
    });
  }
  return problems;
}

function judge(policy: CaPolicy, purpose: GroupPurpose, facts: GroupPolicyFacts): Candidate {
  const shape = policyShape(policy);
  const blade = policyBlade(policy);
  const issues: CaProblem[] = [];
  if (policy.state === 'disabled') {
    issues.push({
      code: 'policyDisabled', severity: 'blocking', policy: named(policy),
      message: `Conditional Access policy '${policy.displayName}' (${policy.id}) includes the group ${purpose.groupId} but is disabled`,
      fix: `${blade} > Enable policy: On`,
    });
  }
  const member = policyTargets(policy.users, groupMemberSubject(purpose.groupId));
  if (member.applies !== true) {
    issues.push({
      code: 'groupExcluded', severity: 'blocking', policy: named(policy),
      message: `Conditional Access policy '${policy.displayName}' (${policy.id}) includes the group ${purpose.groupId} and excludes its members again (by ${member.excludedBy.join(', ') || 'an exclusion'})`,
      fix: `${blade} > Users > Exclude: remove what excludes the group ${purpose.groupId}`,
    });
  }
  issues.push(...scopeProblems(policy, shape.scopeGaps), ...purpose.grantProblems(policy, shape.grant));
  const demandsSomething = policy.state !== 'disabled' && (shape.grant.kind === 'mfa' || shape.grant.kind === 'block');
  return { policy, shape, issues, breakGlass: demandsSomething ? breakGlassProblems(policy, purpose, facts) : [] };
}

/** Rollout users that a policy on the group would still leave out once they are in it (their own exclusions). */
function excludedUsers(enforcing: readonly Candidate[], purpose: GroupPurpose, facts: GroupPolicyFacts): CaProblem[] {
  let excluded = 0;
  let unknown = 0;
  for (const userId of facts.rolloutUserIds) {
    const subject = preflightSubject(userId, facts, purpose.groupId);
    const covered = anyOf(enforcing.map((candidate) => policyTargets(candidate.policy.users, subject).applies));
    if (covered === false) excluded += 1;
    if (covered === 'unknown') unknown += 1;
  }
  if (excluded === 0 && unknown === 0) return [];
  const names = enforcing.map((candidate) => `'${candidate.policy.displayName}'`).join(', ');
  const counts = [excluded > 0 ? `${excluded} are excluded` : '', unknown > 0 ? `for ${unknown} it could not be told (roles or groups not read)` : ''].filter((part) => part !== '').join('; ');
  return [{
    code: 'usersExcludedFromPolicy', severity: 'warning', policy: null,
    message: `of the users this rollout may add to ${purpose.setting} (${purpose.groupId}), ${counts} by the exclusions of ${names}: adding them to the group demands nothing of them`,
    fix: `${caPoliciesBlade} > ${names} > Users > Exclude: check the excluded users, groups and roles`,
  }];
}

/**
 * The policies that include the group must make its members do what the purpose demands: at least one not disabled,
 * applying to the group's members, covering all cloud apps and client apps with no narrowing condition, with the
 * grant the purpose wants (report-only such policies are a loud warning: nobody is prompted yet). Every policy on
 * the group that demands something must exclude every break-glass account, by a confirmed exclusion.
 */
export function checkGroupPolicies(purpose: GroupPurpose, facts: GroupPolicyFacts): CaProblem[] {
  const groupKey = purpose.groupId.toLowerCase();
  const candidates = facts.policies.filter((policy) => policy.users.includeGroups.some((id) => id.toLowerCase() === groupKey)).map((policy) => judge(policy, purpose, facts));
  if (candidates.length === 0) {
    return [{
      code: 'noPolicyForGroup', severity: 'blocking', policy: null,
      message: `no Conditional Access policy includes the group ${purpose.groupId} (${purpose.setting}) and requires ${purpose.demand}: adding users to it would require nothing`,
      fix: `${caPoliciesBlade} > New policy: Users > Include > Select users and groups: the group ${purpose.groupId}; Exclude: the break-glass accounts; Target resources: All resources; ${purpose.grantFix}; Enable policy: On`,
    }];
  }
  const breakGlass = candidates.flatMap((candidate) => candidate.breakGlass);
  const qualifying = candidates.filter((candidate) => candidate.issues.length === 0);
  if (qualifying.length === 0) return [...candidates.flatMap((candidate) => candidate.issues), ...breakGlass];
  const enforcing = qualifying.filter((candidate) => candidate.policy.state === 'enabled');
  const problems: CaProblem[] = [...breakGlass];
  if (enforcing.length === 0) {
    const names = qualifying.map((candidate) => `'${candidate.policy.displayName}'`).join(', ');
    const first = qualifying[0];
    problems.push({
      code: 'policyReportOnly', severity: 'warning', policy: first === undefined || qualifying.length > 1 ? null : named(first.policy),
      message: `REPORT-ONLY: the Conditional Access policies on the group ${purpose.groupId} (${purpose.setting}: ${names}) are in report-only mode: users added to the group are NOT asked for ${purpose.demand} until a policy is enabled`,
      fix: `${caPoliciesBlade} > ${names} > Enable policy: On`,
    });
  }
  problems.push(...excludedUsers(enforcing.length > 0 ? enforcing : qualifying, purpose, facts));
  return problems;
}
