import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, type GraphRoute } from '../http/graphRoute.js';
import { organizationProperties } from '../render/organizationProperties.js';
import { project, selectedProperties } from '../render/propertySet.js';

const both = ['v1.0', 'beta'] as const;

/** `GET /organization` (a one-element collection); `GET /organization/{tenantId}`, which the rollout never sends, is refused as not modelled. */
export const organizationRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: 'organization',
    operation: 'organization.read',
    versions: both,
    permissions: graphPermissions.readOrganization,
    queryOptions: ['$select'],
    handle: (context) => {
      const select = selectedProperties(context.query, organizationProperties);
      return {
        status: 200,
        body: {
          '@odata.context': metadataUrl(context, 'organization', select),
          value: [project(context.tenant, select, organizationProperties, context.tenant.now())],
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: 'organization/{organizationId}',
    operation: 'organization.readById',
    versions: both,
    permissions: graphPermissions.readOrganization,
    queryOptions: ['$select'],
    handle: () => {
      throw graphErrors.notModelled('GET organization/{id} (the rollout reads GET organization)');
    },
  },
];
