import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { requestBody, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { guidPattern } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const maxGroupIds = 20;

/**
 * `checkMemberGroups` (docs/graph-behaviour.md#groups-and-membership): which of up to 20 given groups the object is a
 * transitive member of. A POST that changes nothing; Graph meters it as a write all the same. An id that names no
 * group is simply not in the answer; an id that is no GUID is refused.
 */
function checkMemberGroups(segment: 'users' | 'directoryObjects', operation: string): GraphRoute {
  const param = segment === 'users' ? 'userId' : 'objectId';
  return {
    method: 'POST',
    pattern: `${segment}/{${param}}/checkMemberGroups`,
    operation,
    versions: both,
    permissions: graphPermissions.checkUserMemberGroups,
    handle: (context: RequestContext) => {
      const idOrUpn = routeParam(context, param);
      const user = segment === 'users' || guidPattern.test(idOrUpn) ? context.tenant.findUser(idOrUpn) : undefined;
      if (user === undefined) throw graphErrors.resourceNotFound(idOrUpn);
      context.audit.userId = user.id;
      const { groupIds } = requestBody(context);
      if (!Array.isArray(groupIds) || !groupIds.every((id) => typeof id === 'string')) throw graphErrors.invalidPayloadValue('groupIds', 'expected a list of group ids');
      if (groupIds.length > maxGroupIds) throw graphErrors.tooManyGroupIds();
      const invalid = (groupIds as string[]).find((id) => !guidPattern.test(id));
      if (invalid !== undefined) throw graphErrors.invalidObjectId(invalid);
      context.audit.detail.groups = groupIds.length;
      const value = [...new Set((groupIds as string[]).map((id) => id.toLowerCase()))].filter((id) => context.tenant.findGroup(id) !== undefined && context.tenant.isGroupMember(id, user.id));
      return { status: 200, body: { '@odata.context': `${context.origin}/${context.version}/$metadata#Collection(Edm.String)`, value } };
    },
  };
}

export const memberGroupRoutes: readonly GraphRoute[] = [checkMemberGroups('users', 'users.checkMemberGroups'), checkMemberGroups('directoryObjects', 'directoryObjects.checkMemberGroups')];
