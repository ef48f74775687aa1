import { z } from 'zod';
import type { CaAuthenticationStrength } from '../../core/conditionalAccess/caPolicy.js';
import { RolloutError } from '../../errors/RolloutError.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** An `authenticationStrengthPolicy` as Graph lists it or expands it in a policy's grant controls. */
export const strengthSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  policyType: z.string().nullable().optional(),
  requirementsSatisfied: z.string().nullable().optional(),
  allowedCombinations: z.array(z.string()).nullable().optional(),
});

/** A strength with its combinations, or null when Graph sent only the reference (`{"id": …}`). */
export function toCaStrength(strength: z.output<typeof strengthSchema>): CaAuthenticationStrength | null {
  if (strength.allowedCombinations === undefined || strength.allowedCombinations === null) return null;
  return {
    id: strength.id,
    displayName: strength.displayName ?? '',
    policyType: strength.policyType ?? '',
    requirementsSatisfied: strength.requirementsSatisfied ?? '',
    allowedCombinations: strength.allowedCombinations,
  };
}

/**
 * The tenant's authentication strengths, built-in and custom (`GET /policies/authenticationStrengthPolicies`, v1.0;
 * docs/graph-behaviour.md#authentication-strengths), keyed by lower-case id. Read only when a Conditional Access
 * policy refers to a strength without expanding it.
 */
export async function readAuthenticationStrengths(gateway: GraphGateway): Promise<Map<string, CaAuthenticationStrength>> {
  const strengths = new Map<string, CaAuthenticationStrength>();
  for await (const page of gateway.pages({ operation: 'authenticationStrengths.list', method: 'GET', version: 'v1.0', path: '/policies/authenticationStrengthPolicies', permission: graphPermissions.readAuthenticationStrengths })) {
    for (const [index, item] of page.entries()) {
      const parsed = strengthSchema.safeParse(item);
      const strength = parsed.success ? toCaStrength(parsed.data) : null;
      if (strength === null) {
        const field = parsed.success ? 'allowedCombinations' : parsed.error.issues[0]?.path.join('.') || 'body';
        throw new RolloutError('GRAPH_MALFORMED_RESPONSE', `authenticationStrengths.list: entry ${index + 1} of a page has an unexpected '${field}'`);
      }
      strengths.set(strength.id.toLowerCase(), strength);
    }
  }
  return strengths;
}
