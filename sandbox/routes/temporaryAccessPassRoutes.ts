import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { renderTemporaryAccessPass } from '../render/authenticationMethodProperties.js';
import { requireUser } from './requireUser.js';
import type { CreatePassRequest, TemporaryAccessPass } from '../tenant/temporaryAccessPasses.js';
import type { SandboxUser } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'users/{userId}/authentication/temporaryAccessPassMethods';
const item = `${collection}/{methodId}`;
const type = 'temporaryAccessPassAuthenticationMethod';

/** An external guest: `userType` Guest and a home tenant elsewhere (`#EXT#` in the UPN). Internal guests may hold a pass. */
const isExternalGuest = (user: SandboxUser): boolean => user.userType === 'Guest' && user.userPrincipalName.includes('#EXT#');

/** The create body: every property optional; anything else is refused as Graph refuses an undeclared property. */
function passRequest(context: RequestContext): CreatePassRequest {
  if (context.body === undefined) return {};
  if (typeof context.body !== 'object' || context.body === null || Array.isArray(context.body)) throw graphErrors.malformedJson();
  const body = context.body as Record<string, unknown>;
  const request: { -readonly [K in keyof CreatePassRequest]: CreatePassRequest[K] } = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === '@odata.type') continue;
    if (name === 'startDateTime') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw graphErrors.invalidPayloadValue(name, 'expected a date and time (ISO 8601)');
      request.startDateTime = value;
    } else if (name === 'lifetimeInMinutes') {
      if (!Number.isInteger(value)) throw graphErrors.invalidPayloadValue(name, 'expected a whole number of minutes');
      request.lifetimeInMinutes = value as number;
    } else if (name === 'isUsableOnce') {
      if (typeof value !== 'boolean') throw graphErrors.invalidPayloadValue(name, 'expected true or false');
      request.isUsableOnce = value;
    } else {
      throw graphErrors.unknownPayloadProperty(name, type);
    }
  }
  return request;
}

function render(context: RequestContext, user: SandboxUser, pass: TemporaryAccessPass, value: string | null): Record<string, unknown> {
  const usability = context.tenant.temporaryAccessPasses.usability(pass, context.tenant.methodAllowedFor(user.id, 'TemporaryAccessPass'));
  return renderTemporaryAccessPass(pass, usability, value);
}

function requirePass(context: RequestContext, user: SandboxUser): TemporaryAccessPass {
  const methodId = routeParam(context, 'methodId');
  const pass = context.tenant.temporaryAccessPasses.get(user.id);
  if (pass === undefined || pass.id !== methodId.toLowerCase()) throw graphErrors.resourceNotFound(methodId);
  return pass;
}

/**
 * Temporary Access Passes (docs/graph-behaviour.md#temporary-access-pass): `POST` creates one (201, the only answer
 * that carries the pass), replacing any pass the user had; `GET` lists (at most one) and reads it with
 * `temporaryAccessPass: null`; `DELETE` removes it. Refused for external guests, outside the TAP policy (the
 * observed "Converged UserCredentialPolicy" answer, or with issuance `anyone` created unusable), and for a lifetime
 * outside 10–43,200 minutes or the policy's bounds; the policy's one-time setting wins over the request. The journal
 * gets the lifetime and the one-time flag, never the pass.
 */
export const temporaryAccessPassRoutes: readonly GraphRoute[] = [
  {
    method: 'POST',
    pattern: collection,
    operation: 'temporaryAccessPassMethods.create',
    versions: both,
    permissions: graphPermissions.writeTemporaryAccessPasses,
    handle: (context) => {
      const user = requireUser(context);
      const request = passRequest(context);
      const { tenant } = context;
      const result = tenant.temporaryAccessPasses.create(
        { userId: user.id, isExternalGuest: isExternalGuest(user), allowedByPolicy: tenant.methodAllowedFor(user.id, 'TemporaryAccessPass') },
        request,
        tenant.methodsPolicy().authenticationMethodConfigurations.TemporaryAccessPass,
      );
      if (!result.ok) {
        context.audit.detail.refusal = result.reason;
        switch (result.reason) {
          case 'externalGuest':
            throw graphErrors.tapExternalGuest();
          case 'notAllowedByPolicy':
            throw graphErrors.tapNotAllowedByPolicy();
          case 'lifetimeOutOfRange':
            throw graphErrors.tapLifetimeOutOfRange();
          case 'lifetimeOutOfPolicy':
            throw graphErrors.tapLifetimeOutOfPolicy(result.bounds?.min ?? 0, result.bounds?.max ?? 0);
        }
      }
      Object.assign(context.audit.detail, { lifetimeInMinutes: result.pass.lifetimeInMinutes, isUsableOnce: result.pass.isUsableOnce, replaced: result.replaced, replacedUsable: result.replacedUsable });
      return {
        status: 201,
        headers: { Location: `${context.origin}/${context.version}/users/${user.id}/authentication/temporaryAccessPassMethods/${result.pass.id}` },
        body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`), ...render(context, user, result.pass, result.temporaryAccessPass) },
      };
    },
  },
  {
    method: 'GET',
    pattern: collection,
    operation: 'temporaryAccessPassMethods.list',
    versions: both,
    permissions: graphPermissions.readTemporaryAccessPasses,
    handle: (context) => {
      const user = requireUser(context);
      const pass = context.tenant.temporaryAccessPasses.get(user.id);
      return {
        status: 200,
        body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/temporaryAccessPassMethods`), value: pass === undefined ? [] : [render(context, user, pass, null)] },
      };
    },
  },
  {
    method: 'GET',
    pattern: item,
    operation: 'temporaryAccessPassMethods.read',
    versions: both,
    permissions: graphPermissions.readTemporaryAccessPasses,
    handle: () => {
      throw graphErrors.notModelled('GET of one Temporary Access Pass by id (the rollout lists them)');
    },
  },
  {
    method: 'DELETE',
    pattern: item,
    operation: 'temporaryAccessPassMethods.delete',
    versions: both,
    permissions: graphPermissions.writeTemporaryAccessPasses,
    handle: (context) => {
      const user = requireUser(context);
      const pass = requirePass(context, user);
      context.tenant.temporaryAccessPasses.delete(user.id, pass.id);
      return { status: 204 };
    },
  },
];
