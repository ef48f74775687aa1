import type { Config } from '../config/configSchema.js';
import type { CaPolicy } from './conditionalAccess/caPolicy.js';
import type { CaProblem } from './conditionalAccess/caProblem.js';
import { checkGroupPolicies, mfaGroupPurpose, phishingResistantGroupPurpose, type GroupPurpose } from './conditionalAccess/checkGroupPolicies.js';
import { perUserMfaOverlap } from './conditionalAccess/perUserMfaOverlap.js';
import type { DirectoryFacts } from './conditionalAccess/preflightSubject.js';

/** The settings the preflight reads. `phishingResistantGroupId` is MFA_PHISHING_RESISTANT_GROUP_ID (optional). */
export type CaPreflightSettings = Pick<Config, 'strategy' | 'caGroupId' | 'acknowledgeCaOverlap'> & { readonly phishingResistantGroupId?: string | undefined };

/** What the shell read for the preflight (ids of users, groups and roles in lower case). */
export interface PreflightFacts extends DirectoryFacts {
  readonly policies: readonly CaPolicy[];
  /** Object ids of the users the rollout may enrol (present, not excluded). */
  readonly rolloutUserIds: ReadonlySet<string>;
  /** The break-glass accounts, resolved to object ids where the directory knows them. */
  readonly breakGlass: readonly { readonly name: string; readonly id: string | null }[];
  /** Strategy `conditionalAccessGroup`: the MFA_CA_GROUP_ID group exists. */
  readonly caGroupExists: boolean;
  /** MFA_PHISHING_RESISTANT_GROUP_ID, when set: the group exists. */
  readonly phishingResistantGroupExists: boolean;
  /** Security defaults are on (docs/graph-behaviour.md#security-defaults); null when this run did not read them. */
  readonly securityDefaultsEnabled: boolean | null;
}

export type PreflightResult =
  | { readonly ok: true; readonly warnings: readonly string[]; readonly problems: readonly CaProblem[] }
  | { readonly ok: false; readonly refusal: string; readonly warnings: readonly string[]; readonly problems: readonly CaProblem[] };

const securityDefaultsFix = 'Entra admin center > Identity > Overview > Properties > Manage security defaults: Disabled (Conditional Access policies replace them)';

function groupProblems(purpose: GroupPurpose, exists: boolean, facts: PreflightFacts): CaProblem[] {
  if (!exists) {
    return [{
      code: 'groupMissing', severity: 'blocking', policy: null,
      message: `the group ${purpose.setting} (${purpose.groupId}) does not exist`,
      fix: `Set ${purpose.setting} to the object id of an existing group (Entra admin center > Groups > All groups)`,
    }];
  }
  return checkGroupPolicies(purpose, facts);
}

const line = (problem: CaProblem): string => `${problem.message} (fix: ${problem.fix})`;

/**
 * Before a night writes anything, the Conditional Access checks (pure: the shell reads the policies, group members
 * and role holders, this decides), each finding a named problem with the admin-center setting to change:
 * - `perUserMfa`: enabled policies that already require MFA everywhere for users of this rollout (perUserMfaOverlap).
 * - `conditionalAccessGroup`: the group exists, and a policy that includes it really requires MFA an SMS phone
 *   satisfies, for all cloud apps and client apps, excluding every break-glass account (checkGroupPolicies).
 * - MFA_PHISHING_RESISTANT_GROUP_ID set: the group exists, and an enabled policy on it grants the built-in
 *   Phishing-resistant MFA strength (not OR another control), for all cloud apps, excluding every break-glass account.
 * - Security defaults on: no Conditional Access policy applies while they are, so both of the last two are refused.
 * Report-only policies pass with a loud warning.
 */
export function caPreflight(facts: PreflightFacts, settings: CaPreflightSettings): PreflightResult {
  const problems: CaProblem[] = [];
  if (settings.strategy === 'perUserMfa') problems.push(...perUserMfaOverlap(facts, settings.acknowledgeCaOverlap, settings.phishingResistantGroupId));
  const purposes: { purpose: GroupPurpose; exists: boolean }[] = [];
  if (settings.strategy === 'conditionalAccessGroup') purposes.push({ purpose: mfaGroupPurpose(settings.caGroupId ?? ''), exists: facts.caGroupExists });
  if (settings.phishingResistantGroupId !== undefined) purposes.push({ purpose: phishingResistantGroupPurpose(settings.phishingResistantGroupId), exists: facts.phishingResistantGroupExists });
  if (purposes.length > 0 && facts.securityDefaultsEnabled === true) {
    problems.push({
      code: 'securityDefaultsOn', severity: 'blocking', policy: null,
      message: `security defaults are on, and no Conditional Access policy applies while they are: ${purposes.map(({ purpose }) => purpose.setting).join(' and ')} cannot work`,
      fix: securityDefaultsFix,
    });
  } else {
    for (const { purpose, exists } of purposes) problems.push(...groupProblems(purpose, exists, facts));
  }
  const warnings = problems.filter((problem) => problem.severity === 'warning').map(line);
  const blocking = problems.filter((problem) => problem.severity === 'blocking');
  if (blocking.length === 0) return { ok: true, warnings, problems };
  return { ok: false, refusal: blocking.map(line).join('; '), warnings, problems };
}
