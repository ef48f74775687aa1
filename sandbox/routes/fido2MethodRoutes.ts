import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { renderPasskey } from '../render/authenticationMethodProperties.js';
import { requireUser } from './requireUser.js';
import type { OtherAuthenticationMethod } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'users/{userId}/authentication/fido2Methods';
const item = `${collection}/{methodId}`;

type Passkey = Extract<OtherAuthenticationMethod, { kind: 'fido2' }>;

const passkeysOf = (context: RequestContext, userId: string): Passkey[] =>
  context.tenant.otherMethods(userId).filter((method): method is Passkey => method.kind === 'fido2');

function requirePasskey(context: RequestContext, userId: string): Passkey {
  const methodId = routeParam(context, 'methodId');
  const passkey = passkeysOf(context, userId).find((candidate) => candidate.id === methodId.toLowerCase());
  if (passkey === undefined) throw graphErrors.resourceNotFound(methodId);
  context.audit.detail.passkeyType = passkey.passkeyType;
  return passkey;
}

/**
 * A user's passkeys (`fido2AuthenticationMethod`, docs/graph-behaviour.md#passkeys): list, get and delete, v1.0 and
 * beta, with `passkeyType`. Reading takes `UserAuthMethod-Passkey.Read.All` (or a higher permission), deleting
 * `UserAuthMethod-Passkey.ReadWrite.All` or `UserAuthenticationMethod.ReadWrite.All`. Creating one (WebAuthn
 * `creationOptions` and `POST`) is not modelled: users register passkeys themselves (the admin API stands in).
 */
export const fido2MethodRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'fido2Methods.list',
    versions: both,
    permissions: graphPermissions.readPasskeys,
    handle: (context) => {
      const user = requireUser(context);
      return {
        status: 200,
        body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/fido2Methods`), value: passkeysOf(context, user.id).map(renderPasskey) },
      };
    },
  },
  {
    method: 'GET',
    pattern: item,
    operation: 'fido2Methods.read',
    versions: both,
    permissions: graphPermissions.readPasskeys,
    handle: (context) => {
      const user = requireUser(context);
      const passkey = requirePasskey(context, user.id);
      return { status: 200, body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/fido2Methods/$entity`), ...renderPasskey(passkey) } };
    },
  },
  {
    method: 'DELETE',
    pattern: item,
    operation: 'fido2Methods.delete',
    versions: both,
    permissions: graphPermissions.writePasskeys,
    handle: (context) => {
      const user = requireUser(context);
      const passkey = requirePasskey(context, user.id);
      context.tenant.deleteOtherMethod(user.id, passkey.id);
      return { status: 204 };
    },
  },
];
