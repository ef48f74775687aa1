import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, requestBody, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { isGraphPhoneNumber } from '../tenant/isGraphPhoneNumber.js';
import { requireUser } from './requireUser.js';
import { phoneTypes, type PhoneMethod, type PhoneType } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'users/{userId}/authentication/phoneMethods';
const item = `${collection}/{methodId}`;

const render = (method: PhoneMethod): Record<string, unknown> => ({
  id: method.id,
  phoneNumber: method.phoneNumber,
  phoneType: method.phoneType,
  smsSignInState: method.smsSignInState,
});

function requireMethod(context: RequestContext, userId: string): PhoneMethod {
  const methodId = routeParam(context, 'methodId');
  const method = context.tenant.phoneMethods(userId).find((candidate) => candidate.id === methodId.toLowerCase());
  if (method === undefined) throw graphErrors.resourceNotFound(methodId);
  context.audit.detail.phoneType = method.phoneType;
  return method;
}

function phoneNumberOf(body: Record<string, unknown>): string {
  const phoneNumber = body.phoneNumber;
  if (typeof phoneNumber !== 'string' || !isGraphPhoneNumber(phoneNumber)) throw graphErrors.invalidPhoneNumber();
  return phoneNumber;
}

/**
 * Phone authentication methods (docs/graph-behaviour.md#phone-methods): one method per type with Graph's fixed ids,
 * `mobile` before `alternateMobile`, numbers only in `+{CC} {number}[x{ext}]` form; no deleting a mobile beside an
 * alternate mobile, nor the user's default MFA method. Separate from the user's `mobilePhone` property.
 */
export const phoneMethodRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'phoneMethods.list',
    versions: both,
    permissions: graphPermissions.readPhoneMethods,
    handle: (context) => {
      const user = requireUser(context);
      return {
        status: 200,
        body: {
          '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/phoneMethods`),
          value: context.tenant.phoneMethods(user.id).map(render),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: collection,
    versions: both,
    permissions: graphPermissions.writePhoneMethods,
    operation: 'phoneMethods.create',
    handle: (context) => {
      const user = requireUser(context);
      const body = requestBody(context);
      const phoneType = body.phoneType;
      if (typeof phoneType !== 'string' || !(phoneTypes as readonly string[]).includes(phoneType)) throw graphErrors.invalidPhoneType();
      context.audit.detail.phoneType = phoneType;
      const phoneNumber = phoneNumberOf(body);
      const result = context.tenant.addPhoneMethod(user.id, phoneType as PhoneType, phoneNumber);
      if (!result.ok) throw result.reason === 'alreadyExists' ? graphErrors.phoneTypeExists(phoneType) : graphErrors.mobileRequired();
      return {
        status: 201,
        headers: { Location: `${context.origin}/${context.version}/users/${user.id}/authentication/phoneMethods/${result.method.id}` },
        body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/phoneMethods/$entity`), ...render(result.method) },
      };
    },
  },
  {
    method: 'GET',
    pattern: item,
    operation: 'phoneMethods.read',
    versions: both,
    permissions: graphPermissions.readPhoneMethods,
    handle: (context) => {
      const user = requireUser(context);
      const method = requireMethod(context, user.id);
      return {
        status: 200,
        body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/phoneMethods/$entity`), ...render(method) },
      };
    },
  },
  {
    method: 'PATCH',
    pattern: item,
    versions: both,
    permissions: graphPermissions.writePhoneMethods,
    operation: 'phoneMethods.update',
    handle: (context) => {
      const user = requireUser(context);
      const method = requireMethod(context, user.id);
      const body = requestBody(context);
      if (body.phoneType !== undefined && body.phoneType !== method.phoneType) throw graphErrors.phoneTypeImmutable();
      if (body.phoneNumber !== undefined) context.tenant.updatePhoneMethod(user.id, method.id, phoneNumberOf(body));
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    pattern: item,
    versions: both,
    permissions: graphPermissions.writePhoneMethods,
    operation: 'phoneMethods.delete',
    handle: (context) => {
      const user = requireUser(context);
      const method = requireMethod(context, user.id);
      const result = context.tenant.deletePhoneMethod(user.id, method.id);
      if (!result.ok) {
        context.audit.detail.refused = result.reason;
        throw result.reason === 'alternateMobilePresent' ? graphErrors.mobileHasAlternate() : result.reason === 'defaultMethod' ? graphErrors.phoneIsDefaultMethod() : graphErrors.resourceNotFound(method.id);
      }
      return { status: 204 };
    },
  },
];
