import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, type GraphRoute } from '../http/graphRoute.js';
import { requireUser } from './requireUser.js';
import { passwordMethodId, type OtherAuthenticationMethod } from '../tenant/tenantModel.js';

const renderOther = (method: OtherAuthenticationMethod): Record<string, unknown> =>
  method.kind === 'microsoftAuthenticator'
    ? {
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        id: method.id,
        displayName: method.displayName,
        deviceTag: method.deviceTag,
        phoneAppVersion: method.phoneAppVersion,
        createdDateTime: method.createdDateTime,
      }
    : {
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
        id: method.id,
        displayName: method.displayName,
        model: method.model,
        aaGuid: method.aaGuid,
        attestationCertificates: [],
        attestationLevel: 'attested',
        createdDateTime: method.createdDateTime,
      };

/** `GET /users/{id}/authentication/methods`: password always, then phones, then Authenticator / FIDO2 methods. */
export const authenticationMethodRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: 'users/{userId}/authentication/methods',
    operation: 'methods.list',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.readAuthenticationMethods,
    handle: (context) => {
      const user = requireUser(context);
      const value = [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: passwordMethodId, password: null, createdDateTime: user.createdDateTime },
        ...context.tenant.phoneMethods(user.id).map((method) => ({
          '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
          id: method.id,
          phoneNumber: method.phoneNumber,
          phoneType: method.phoneType,
          smsSignInState: method.smsSignInState,
        })),
        ...context.tenant.otherMethods(user.id).map(renderOther),
      ];
      return { status: 200, body: { '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/methods`), value } };
    },
  },
];
