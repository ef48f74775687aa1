import type { PropertySet } from './propertySet.js';
import type { AuthenticationStrengthPolicy } from '../tenant/tenantModel.js';

/** One strength and the URL its `combinationConfigurations@odata.context` names (it depends on where it is rendered). */
export interface StrengthView {
  readonly strength: AuthenticationStrengthPolicy;
  /** e.g. `https://…/v1.0/$metadata#policies/authenticationStrengthPolicies('…')/combinationConfigurations`. */
  readonly combinationsContext: string;
}

/**
 * Graph's `authenticationStrengthPolicy` in the property order of the v1.0 list example
 * (docs/graph-behaviour.md#authentication-strengths); `combinationConfigurations` is always empty in the sandbox.
 */
export const authenticationStrengthProperties: PropertySet<StrengthView> = {
  typeName: 'authenticationStrengthPolicy',
  getters: {
    id: ({ strength }) => strength.id,
    createdDateTime: ({ strength }) => strength.createdDateTime,
    modifiedDateTime: ({ strength }) => strength.modifiedDateTime,
    displayName: ({ strength }) => strength.displayName,
    description: ({ strength }) => strength.description,
    policyType: ({ strength }) => strength.policyType,
    requirementsSatisfied: ({ strength }) => strength.requirementsSatisfied,
    allowedCombinations: ({ strength }) => [...strength.allowedCombinations],
    combinationConfigurations: () => [],
  },
  defaults: ['id', 'createdDateTime', 'modifiedDateTime', 'displayName', 'description', 'policyType', 'requirementsSatisfied', 'allowedCombinations', 'combinationConfigurations'],
};

/** A strength as Graph writes it inside an answer: every default property, the combinations' context before them. */
export function renderStrength(view: StrengthView, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of authenticationStrengthProperties.defaults) {
    if (name === 'combinationConfigurations') out['combinationConfigurations@odata.context'] = view.combinationsContext;
    out[name] = authenticationStrengthProperties.getters[name]?.(view, now) ?? null;
  }
  return out;
}
