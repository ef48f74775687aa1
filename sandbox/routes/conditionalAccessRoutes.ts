import { conditionalAccessPolicyProperties, type PolicyView } from '../render/conditionalAccessPolicyProperties.js';
import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import type { GraphRoute, RequestContext } from '../http/graphRoute.js';
import { project, selectedProperties } from '../render/propertySet.js';
import type { ConditionalAccessPolicy } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'identity/conditionalAccess/policies';

/** Graph's Conditional Access limit: 1 request per second per tenant (all apps), answered 429 without Retry-After. */
function throttle(context: RequestContext): void {
  const { tenant } = context;
  if (tenant.conditionalAccessSettings().throttled && !tenant.limits.conditionalAccess.take(tenant.tenantId).ok) throw graphErrors.tooManyRequests({});
}

function contextUrl(context: RequestContext, select: readonly string[]): string {
  const selection = context.query.has('$select') ? `(${select.join(',')})` : '';
  return `${context.origin}/${context.version}/$metadata#${collection}${selection}`;
}

function viewOf(context: RequestContext, policy: ConditionalAccessPolicy): PolicyView {
  const { tenant } = context;
  const strength = policy.authenticationStrengthId === null ? null : (tenant.authenticationStrengths().find((candidate) => candidate.id === policy.authenticationStrengthId) ?? null);
  return { policy, strength, expandStrength: tenant.conditionalAccessSettings().expandStrength, policyContext: `${context.origin}/${context.version}/$metadata#${collection}('${policy.id}')` };
}

/**
 * Conditional Access policies, read only (docs/graph-behaviour.md#conditional-access): the policy set of the current
 * scenario (admin API `/_sandbox/conditionalAccess`), each strength expanded. `$select` works; the other query options
 * of the real list are not modelled.
 */
export const conditionalAccessRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'conditionalAccess.list',
    versions: both,
    permissions: graphPermissions.readConditionalAccess,
    queryOptions: ['$select'],
    handle: (context) => {
      throttle(context);
      const select = selectedProperties(context.query, conditionalAccessPolicyProperties);
      const now = context.tenant.now();
      return {
        status: 200,
        body: {
          '@odata.context': contextUrl(context, select),
          value: context.tenant.conditionalAccessPolicies().map((policy) => project(viewOf(context, policy), select, conditionalAccessPolicyProperties, now)),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: `${collection}/{policyId}`,
    operation: 'conditionalAccess.read',
    versions: both,
    permissions: graphPermissions.readConditionalAccess,
    queryOptions: ['$select'],
    handle: () => {
      throw graphErrors.notModelled('GET identity/conditionalAccess/policies/{id} (the rollout lists the policies)');
    },
  },
];
