import { graphPermissions } from '../auth/graphPermissions.js';
import { metadataUrl, type GraphRoute } from '../http/graphRoute.js';
import { groupProperties } from '../render/groupProperties.js';
import { pageOf } from '../http/pageOf.js';
import { project, selectedProperties } from '../render/propertySet.js';
import { requireGroup } from './requireGroup.js';
import { userProperties } from '../render/userProperties.js';

const both = ['v1.0', 'beta'] as const;

/** Members and transitive members are the same here: the generated groups hold users only, no nested groups. */
function memberRoute(segment: 'members' | 'transitiveMembers'): GraphRoute {
  return {
    method: 'GET',
    pattern: `groups/{groupId}/${segment}`,
    operation: segment === 'members' ? 'groups.listMembers' : 'groups.listTransitiveMembers',
    versions: both,
    permissions: graphPermissions.readGroupMembers,
    queryOptions: ['$select', '$top', '$skiptoken'],
    handle: (context) => {
      const group = requireGroup(context);
      const select = selectedProperties(context.query, userProperties);
      const now = context.tenant.now();
      return pageOf(context, {
        collection: `groups/${group.id}/${segment}`,
        total: group.memberIds.length,
        contextUrl: metadataUrl(context, 'directoryObjects', select),
        render: (index) => {
          const user = context.tenant.findUser(group.memberIds[index] ?? '');
          return { '@odata.type': '#microsoft.graph.user', ...(user === undefined ? {} : project(user, select, userProperties, now)) };
        },
      });
    },
  };
}

/** `GET /groups/{id}`, `GET /groups/{id}/members`, `GET /groups/{id}/transitiveMembers`. */
export const groupRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: 'groups/{groupId}',
    operation: 'groups.read',
    versions: both,
    permissions: graphPermissions.readGroups,
    queryOptions: ['$select'],
    handle: (context) => {
      const group = requireGroup(context);
      const select = selectedProperties(context.query, groupProperties);
      return {
        status: 200,
        body: { '@odata.context': metadataUrl(context, 'groups/$entity', select), ...project(group, select, groupProperties, context.tenant.now()) },
      };
    },
  },
  memberRoute('members'),
  memberRoute('transitiveMembers'),
];
