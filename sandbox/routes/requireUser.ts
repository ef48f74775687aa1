import { graphErrors } from '../http/graphErrors.js';
import { routeParam, type RequestContext } from '../http/graphRoute.js';
import type { SandboxUser } from '../tenant/tenantModel.js';

/** The user named by the `{userId}` segment (object id or UPN); records it for the journal; 404 when unknown. */
export function requireUser(context: RequestContext): SandboxUser {
  const idOrUpn = routeParam(context, 'userId');
  const user = context.tenant.findUser(idOrUpn);
  if (user === undefined) throw graphErrors.resourceNotFound(idOrUpn);
  context.audit.userId = user.id;
  return user;
}
