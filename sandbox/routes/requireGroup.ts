import { graphErrors } from '../http/graphErrors.js';
import { routeParam, type RequestContext } from '../http/graphRoute.js';
import { guidPattern, type SandboxGroup } from '../tenant/tenantModel.js';

/** The group named by the `{groupId}` segment: 400 when it is not a GUID, 404 when there is no such group. */
export function requireGroup(context: RequestContext): SandboxGroup {
  const id = routeParam(context, 'groupId');
  if (!guidPattern.test(id)) throw graphErrors.invalidObjectId(id);
  const group = context.tenant.findGroup(id);
  if (group === undefined) throw graphErrors.resourceNotFound(id);
  return group;
}
