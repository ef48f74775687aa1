import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { authenticationStrengthProperties, type StrengthView } from '../render/authenticationStrengthProperties.js';
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
      const select = selectedProperties(context.query, authenticationStrengthProperties);
      const now = context.tenant.now();
      const value = context.tenant.authenticationStrengths().map((strength) => {
        const body = project(viewOf(context, strength), select, authenticationStrengthProperties, now);
        if (!select.includes('combinationConfigurations')) return body;
        const { combinationConfigurations, ...rest } = body;
        return { ...rest, 'combinationConfigurations@odata.context': viewOf(context, strength).combinationsContext, combinationConfigurations };
      });
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
      const select = selectedProperties(context.query, authenticationStrengthProperties);
      return {
        status: 200,
        body: { '@odata.context': `${context.origin}/${context.version}/$metadata#${collection}/$entity`, ...project(viewOf(context, strength), select, authenticationStrengthProperties, context.tenant.now()) },
      };
    },
  },
];
