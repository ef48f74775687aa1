import type { CaGrantControls } from './caPolicy.js';

/** The policy's grant controls in a few words, e.g. `mfa OR compliantDevice`, `authentication strength 'Passwordless MFA'`. */
export function describeGrant(grant: CaGrantControls | null): string {
  if (grant === null) return 'no grant controls';
  const parts = [
    ...grant.builtInControls,
    ...(grant.authenticationStrength === null ? [] : [`authentication strength '${grant.authenticationStrength.displayName}'`]),
    ...grant.termsOfUse.map(() => 'terms of use'),
    ...grant.customAuthenticationFactors.map(() => 'a custom control'),
  ];
  return parts.length === 0 ? 'no grant controls' : parts.join(` ${grant.operator} `);
}
