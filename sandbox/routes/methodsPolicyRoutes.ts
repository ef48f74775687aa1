import { graphPermissions } from '../auth/graphPermissions.js';
import { graphErrors } from '../http/graphErrors.js';
import { requestBody, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { readOnlyConfigurations, renderConfiguration, renderMethodsPolicy, type RenderTarget } from '../render/methodsPolicyProperties.js';
import { modelledMethodIds, type ModelledMethodId } from '../tenant/methodsPolicyModel.js';
import type { PolicyWriteResult } from '../tenant/methodsPolicyState.js';
import { parseConfigurationPatch, parseMethodsPolicyPatch } from './parseMethodsPolicyPatch.js';

const both = ['v1.0', 'beta'] as const;
const policy = 'policies/authenticationMethodsPolicy';
const configuration = `${policy}/authenticationMethodConfigurations/{configurationId}`;

const targetOf = (context: RequestContext): RenderTarget => ({ origin: context.origin, version: context.version });

/** The refusal a write that broke one of Graph's limits gets; nothing of it was applied. */
function refuseUnlessApplied(result: PolicyWriteResult): void {
  if (result.ok) return;
  switch (result.reason) {
    case 'tooLarge':
      throw graphErrors.policyTooLarge(result.bytes);
    case 'tooManyPasskeyProfiles':
      throw graphErrors.tooManyPasskeyProfiles();
    case 'unknownPasskeyProfile':
      throw graphErrors.unknownPasskeyProfile(result.id);
    case 'mixedCampaignMethods':
      throw graphErrors.campaignMixedMethods();
    case 'unknownTarget':
      throw graphErrors.unknownTarget(result.id);
    case 'tapLifetimeOrder':
      throw graphErrors.tapLifetimeOrder();
  }
}

/** The configuration the path names, matched without regard to case (`/fido2`, `/Fido2`): modelled, read only, or 404. */
function resolveConfiguration(context: RequestContext): { modelled: ModelledMethodId } | { readOnly: Readonly<Record<string, unknown>> } {
  const given = routeParam(context, 'configurationId');
  const modelled = modelledMethodIds.find((id) => id.toLowerCase() === given.toLowerCase());
  context.audit.detail.configurationId = modelled ?? given;
  if (modelled !== undefined) return { modelled };
  const readOnly = readOnlyConfigurations.find((candidate) => String(candidate.id).toLowerCase() === given.toLowerCase());
  if (readOnly === undefined) throw graphErrors.resourceNotFound(given);
  return { readOnly };
}

/**
 * The Authentication methods policy (docs/graph-behaviour.md#methods-policy-and-registration-campaign), v1.0 and beta:
 * GET with every configuration expanded (the built-in methods the sandbox does not model and one external method with
 * a GUID id included, read only); PATCH partial, answered 200 with the policy; a configuration's GET, and its PATCH
 * (`@odata.type` required) answered 204. Writes keep Graph's limits: 20 KB serialized, 3 passkey profiles, one
 * campaign method, TAP lifetimes in order, targets that exist. Read: `Policy.Read.AuthenticationMethod` or higher;
 * write: `Policy.ReadWrite.AuthenticationMethod`.
 */
export const methodsPolicyRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: policy,
    operation: 'methodsPolicy.read',
    versions: both,
    permissions: graphPermissions.readMethodsPolicy,
    handle: (context) => ({ status: 200, body: renderMethodsPolicy(context.tenant.methodsPolicy(), targetOf(context), true) }),
  },
  {
    method: 'PATCH',
    pattern: policy,
    operation: 'methodsPolicy.update',
    versions: both,
    permissions: graphPermissions.writeMethodsPolicy,
    handle: (context) => {
      const body = requestBody(context);
      const change = parseMethodsPolicyPatch(body, context.version);
      context.audit.detail.changed = Object.keys(change);
      refuseUnlessApplied(context.tenant.authenticationPolicies.updatePolicy(change));
      return { status: 200, body: renderMethodsPolicy(context.tenant.methodsPolicy(), targetOf(context), false) };
    },
  },
  {
    method: 'GET',
    pattern: configuration,
    operation: 'methodConfigurations.read',
    versions: both,
    permissions: graphPermissions.readMethodsPolicy,
    handle: (context) => {
      const found = resolveConfiguration(context);
      const body = 'modelled' in found ? renderConfiguration(context.tenant.methodsPolicy().authenticationMethodConfigurations[found.modelled], targetOf(context)) : found.readOnly;
      return { status: 200, body: { '@odata.context': `${context.origin}/${context.version}/$metadata#${policy}/authenticationMethodConfigurations/$entity`, ...body } };
    },
  },
  {
    method: 'PATCH',
    pattern: configuration,
    operation: 'methodConfigurations.update',
    versions: both,
    permissions: graphPermissions.writeMethodsPolicy,
    handle: (context) => {
      const found = resolveConfiguration(context);
      if (!('modelled' in found)) throw graphErrors.notModelled(`writes to the ${String(found.readOnly.id)} method configuration`);
      const change = parseConfigurationPatch(found.modelled, requestBody(context));
      context.audit.detail.changed = Object.keys(change);
      refuseUnlessApplied(context.tenant.authenticationPolicies.updateConfiguration(found.modelled, change));
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: configuration,
    operation: 'methodConfigurations.delete',
    versions: both,
    permissions: graphPermissions.writeMethodsPolicy,
    handle: () => {
      throw graphErrors.notModelled('DELETE of a method configuration (revert to its default); PATCH the properties instead');
    },
  },
];
