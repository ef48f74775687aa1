/** Every reason the Conditional Access preflight can give, by name. */
export const caProblemCodes = [
  'securityDefaultsOn',
  'groupMissing',
  'noPolicyForGroup',
  'policyDisabled',
  'policyReportOnly',
  'groupExcluded',
  'grantWithoutMfa',
  'strengthNotSatisfiedBySms',
  'notPhishingResistantStrength',
  'phishingResistantWithAlternative',
  'applicationsLimited',
  'clientAppsLimited',
  'conditionsNarrow',
  'breakGlassNotExcluded',
  'breakGlassExclusionUnknown',
  'usersExcludedFromPolicy',
  'perUserMfaOverlap',
  'overlapUnknown',
] as const;

export type CaProblemCode = (typeof caProblemCodes)[number];

/** One finding of the Conditional Access preflight: `blocking` holds the night, `warning` is shown. */
export interface CaProblem {
  readonly code: CaProblemCode;
  readonly severity: 'blocking' | 'warning';
  /** The policy at fault, when there is one. */
  readonly policy: { readonly id: string; readonly displayName: string } | null;
  /** What is wrong, naming the policy, group or accounts (never a phone number). */
  readonly message: string;
  /** What to change, in the Entra admin center's words. */
  readonly fix: string;
}

/** Where the admin center keeps Conditional Access policies. */
export const caPoliciesBlade = 'Entra admin center > Protection > Conditional Access > Policies';

/** The admin center's path to one policy's page. */
export function policyBlade(policy: { readonly displayName: string }): string {
  return `${caPoliciesBlade} > '${policy.displayName}'`;
}
