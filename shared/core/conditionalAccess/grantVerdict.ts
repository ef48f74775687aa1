import type { CaAuthenticationStrength, CaGrantControls } from './caPolicy.js';

/** What a policy's grant controls demand of a user it applies to. */
export type GrantVerdict =
  /** No grant controls (session controls only): nothing is demanded. */
  | { readonly kind: 'nothing' }
  | { readonly kind: 'block' }
  /** The policy can be met without MFA: by one of these alternatives (OR), or because it demands no MFA at all. */
  | { readonly kind: 'withoutMfa'; readonly alternatives: readonly string[] }
  /** MFA is demanded whatever else the user does. */
  | {
      readonly kind: 'mfa';
      /** The strength demanded, or null for the `mfa` control (any MFA method). */
      readonly strength: CaAuthenticationStrength | null;
      /** The user can meet it with the SMS phone the rollout pre-registers (and a password). */
      readonly smsPhoneSatisfies: boolean;
      /** Controls demanded besides MFA (AND), e.g. `compliantDevice`. */
      readonly alsoRequired: readonly string[];
    };

/** The modes a user with a password and a pre-registered SMS phone (federated or not) can combine. */
const smsPhoneModes = new Set(['password', 'federatedSingleFactor', 'sms']);

/**
 * Whether one of the strength's `allowedCombinations` is met with a password (or federated first factor) plus SMS.
 * `sms` alone is SMS *sign-in*, which pre-registering a mobile must not turn on (docs/graph-behaviour.md#phone-methods),
 * so it does not count.
 */
export function smsPhoneSatisfiesStrength(strength: CaAuthenticationStrength): boolean {
  return strength.allowedCombinations.some((combination) => {
    const modes = combination.split(',').map((mode) => mode.trim()).filter((mode) => mode !== '');
    return modes.includes('sms') && modes.length >= 2 && modes.every((mode) => smsPhoneModes.has(mode));
  });
}

/**
 * Reads grant controls as Conditional Access applies them (docs/graph-behaviour.md#conditional-access):
 * `block` blocks; with `OR` any one control satisfies the policy, so `mfa` OR `compliantDevice` is met by a compliant
 * device alone and demands no MFA; with `AND` (or a single control, which Graph stores as `OR`) every control is needed.
 * An MFA control is `mfa`, or an authentication strength whose `requirementsSatisfied` is `mfa`; a strength that
 * grants no MFA claim, terms of use, custom factors and every other built-in control (including ones Graph adds later)
 * are alternatives that do not involve MFA.
 */
export function grantVerdict(grant: CaGrantControls | null): GrantVerdict {
  if (grant === null) return { kind: 'nothing' };
  if (grant.builtInControls.includes('block')) return { kind: 'block' };
  const strength = grant.authenticationStrength;
  const strengthIsMfa = strength !== null && strength.requirementsSatisfied === 'mfa';
  const mfaControl = grant.builtInControls.includes('mfa');
  const others = [
    ...grant.builtInControls.filter((control) => control !== 'mfa'),
    ...grant.termsOfUse.map((id) => `termsOfUse ${id}`),
    ...grant.customAuthenticationFactors.map((id) => `customAuthenticationFactor ${id}`),
    ...(strength !== null && !strengthIsMfa ? [`authentication strength '${strength.displayName}' (requirementsSatisfied: ${strength.requirementsSatisfied})`] : []),
  ];
  if (!mfaControl && !strengthIsMfa) return others.length === 0 ? { kind: 'nothing' } : { kind: 'withoutMfa', alternatives: others };
  if (grant.operator === 'OR' && others.length > 0) return { kind: 'withoutMfa', alternatives: others };
  const demanded = strengthIsMfa ? strength : null;
  return { kind: 'mfa', strength: demanded, smsPhoneSatisfies: demanded === null || smsPhoneSatisfiesStrength(demanded), alsoRequired: others };
}
