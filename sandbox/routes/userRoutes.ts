import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, type GraphRoute } from '../http/graphRoute.js';
import { pageOf } from '../http/pageOf.js';
import { project, selectedProperties } from '../render/propertySet.js';
import { requireUser } from './requireUser.js';
import type { SandboxUser } from '../tenant/tenantModel.js';
import { userProperties } from '../render/userProperties.js';

const both = ['v1.0', 'beta'] as const;

/** `GET /users` (paged, `$select`, `$top`; `$count` is not modelled) and `GET /users/{id | UPN}`. */
export const userRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: 'users',
    operation: 'users.list',
    versions: both,
    permissions: graphPermissions.readUsers,
    queryOptions: ['$select', '$top', '$skiptoken'],
    handle: (context) => {
      const select = selectedProperties(context.query, userProperties);
      const now = context.tenant.now();
      const users = context.tenant.users;
      return pageOf(context, {
        collection: 'users',
        total: users.length,
        contextUrl: metadataUrl(context, 'users', select),
        render: (index) => project(users[index] as SandboxUser, select, userProperties, now),
      });
    },
  },
  {
    method: 'GET',
    pattern: 'users/{userId}',
    operation: 'users.read',
    versions: both,
    permissions: graphPermissions.readUsers,
    queryOptions: ['$select'],
    handle: (context) => {
      const user = requireUser(context);
      const select = selectedProperties(context.query, userProperties);
      return {
        status: 200,
        body: { '@odata.context': metadataUrl(context, 'users/$entity', select), ...project(user, select, userProperties, context.tenant.now()) },
      };
    },
  },
];
