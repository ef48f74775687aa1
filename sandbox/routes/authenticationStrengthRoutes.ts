import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { authenticationStrengthProperties, renderStrength, type StrengthView } from '../render/authenticationStrengthProperties.js';
import { project, selectedProperties } from '../render/propertySet.js';
import type { AuthenticationStrengthPolicy } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'policies/authenticationStrengthPolicies';

function viewOf(context: RequestContext, strength: AuthenticationStrengthPolicy): StrengthView {
  return { strength, combinationsContext: `${context.origin}/${context.version}/$metadata#${collection}('${strength.id}')/combinationConfigurations` };
}

function refuseFilter(context: RequestContext): void {
  if (context.query.has('$filter')) throw graphErrors.notModelled(`$filter on ${collection}`);
}

/** The whole strength as Graph writes it, or only the `$select`ed properties. */
function render(context: RequestContext, strength: AuthenticationStrengthPolicy): Record<string, unknown> {
  const view = viewOf(context, strength);
  const now = context.tenant.now();
  return context.query.has('$select') ? project(view, selectedProperties(context.query, authenticationStrengthProperties), authenticationStrengthProperties, now) : renderStrength(view, now);
}

/**
 * The tenant's authentication strengths (docs/graph-behaviour.md#authentication-strengths): the three built-ins and
 * the custom ones of the Conditional Access scenario in force. Read only; `$select` works, `$filter` is not modelled.
 */
export const authenticationStrengthRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'authenticationStrengths.list',
    versions: both,
    permissions: graphPermissions.readAuthenticationStrengths,
    queryOptions: ['$select', '$filter'],
    handle: (context) => {
      refuseFilter(context);
      const value = context.tenant.authenticationStrengths().map((strength) => render(context, strength));
      return { status: 200, body: { '@odata.context': `${context.origin}/${context.version}/$metadata#${collection}`, value } };
    },
  },
  {
    method: 'GET',
    pattern: `${collection}/{strengthId}`,
    operation: 'authenticationStrengths.read',
    versions: both,
    permissions: graphPermissions.readAuthenticationStrengths,
    queryOptions: ['$select'],
    handle: (context) => {
      const id = routeParam(context, 'strengthId');
      const strength = context.tenant.authenticationStrengths().find((candidate) => candidate.id === id.toLowerCase());
      if (strength === undefined) throw graphErrors.resourceNotFound(id);
      return { status: 200, body: { '@odata.context': `${context.origin}/${context.version}/$metadata#${collection}/$entity`, ...render(context, strength) } };
    },
  },
];
