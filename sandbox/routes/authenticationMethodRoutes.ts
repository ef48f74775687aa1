import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, type GraphRoute } from '../http/graphRoute.js';
import { listedOn, renderOtherMethod, renderTemporaryAccessPass } from '../render/authenticationMethodProperties.js';
import { requireUser } from './requireUser.js';
import { passwordMethodId } from '../tenant/tenantModel.js';

/**
 * `GET /users/{id}/authentication/methods` (docs/graph-behaviour.md#authentication-methods-list): password always, then
 * phones, then Authenticator, passkeys and (on beta only) hardware OATH tokens, then a Temporary Access Pass without
 * its value.
 */
export const authenticationMethodRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: 'users/{userId}/authentication/methods',
    operation: 'methods.list',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.readAuthenticationMethods,
    handle: (context) => {
      const user = requireUser(context);
      const { tenant } = context;
      const pass = tenant.temporaryAccessPasses.get(user.id);
      const value = [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: passwordMethodId, password: null, createdDateTime: user.createdDateTime },
        ...tenant.phoneMethods(user.id).map((method) => ({
          '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
          id: method.id,
          phoneNumber: method.phoneNumber,
          phoneType: method.phoneType,
          smsSignInState: method.smsSignInState,
        })),
        ...tenant.otherMethods(user.id).filter((method) => listedOn(method, context.version)).map(renderOtherMethod),
        ...(pass === undefined ? [] : [renderTemporaryAccessPass(pass, tenant.temporaryAccessPasses.usability(pass, tenant.methodAllowedFor(user.id, 'TemporaryAccessPass')), null)]),
      ];
      return { status: 200, body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/methods`), value } };
    },
  },
];
