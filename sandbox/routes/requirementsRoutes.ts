import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, requestBody, type GraphRoute } from '../http/graphRoute.js';
import { requireUser } from './requireUser.js';
import { perUserMfaStates, type PerUserMfaState } from '../tenant/tenantModel.js';

const pattern = 'users/{userId}/authentication/requirements';

/**
 * Per-user MFA state, beta only (docs/graph-behaviour.md#per-user-mfa-state): under /v1.0 the path ends in Graph's "Resource not found for the
 * segment 'requirements'". `enabled` on a user with a registered strong method is stored as `enforced`.
 */
export const requirementsRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern,
    operation: 'requirements.read',
    versions: ['beta'],
    permissions: graphPermissions.readRequirements,
    handle: (context) => {
      const user = requireUser(context);
      return {
        status: 200,
        body: {
          '@odata.context': metadataUrl(context, `users('${user.id}')/authentication/requirements/$entity`),
          perUserMfaState: context.tenant.perUserMfaState(user.id),
        },
      };
    },
  },
  {
    method: 'PATCH',
    pattern,
    versions: ['beta'],
    permissions: graphPermissions.writeRequirements,
    operation: 'requirements.update',
    handle: (context) => {
      const user = requireUser(context);
      const requested = requestBody(context).perUserMfaState;
      if (typeof requested !== 'string' || !(perUserMfaStates as readonly string[]).includes(requested)) throw graphErrors.invalidMfaState();
      context.audit.detail.requested = requested;
      context.audit.detail.perUserMfaState = context.tenant.setPerUserMfaState(user.id, requested as PerUserMfaState);
      return { status: 204 };
    },
  },
];
