import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { requestBody, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { guidPattern } from '../tenant/tenantModel.js';
import { requireGroup } from './requireGroup.js';
import type { AddMembersResult } from '../tenant/tenantState.js';

const both = ['v1.0', 'beta'] as const;
/** `https://graph.microsoft.com/v1.0/directoryObjects/{id}` (any host, either version, `users/` accepted too). */
const referencePattern = /^https?:\/\/[^/]+\/(?:v1\.0|beta)\/(?:directoryObjects|users)\/([^/?#]+)$/i;

/** The object id an `@odata.id` URL points at: 400 when the URL or the id is malformed. */
function memberIdOf(reference: unknown): string {
  const match = typeof reference === 'string' ? referencePattern.exec(reference.trim()) : null;
  if (match?.[1] === undefined) throw graphErrors.invalidMemberReference();
  const id = decodeURIComponent(match[1]);
  if (!guidPattern.test(id)) throw graphErrors.invalidObjectId(id);
  return id.toLowerCase();
}

function failure(result: Extract<AddMembersResult, { ok: false }>): Error {
  return result.reason === 'notFound' ? graphErrors.resourceNotFound(result.id) : graphErrors.alreadyMember();
}

/** The user a membership write names, once known: recorded for the journal (entry userId and detail). */
function audit(context: RequestContext, groupId: string, memberId: string): void {
  const user = context.tenant.findUser(memberId);
  context.audit.detail.groupId = groupId;
  if (user !== undefined) {
    context.audit.userId = user.id;
    context.audit.detail.userId = user.id;
  }
}

/**
 * Group membership writes (docs/graph-behaviour.md#groups-and-membership), for the `conditionalAccessGroup` strategy.
 * Adding to or removing from a group never changes anyone's per-user MFA state. `POST members/$ref` adds one user
 * (`groups.addMember`); `DELETE members/{id}/$ref` removes one (`groups.removeMember`). `PATCH groups/{id}` (Graph's
 * `members@odata.bind`, up to 20 at once) is not modelled: the rollout adds members one by one, so it answers 400.
 */
export const groupWriteRoutes: readonly GraphRoute[] = [
  {
    method: 'POST',
    pattern: 'groups/{groupId}/members/$ref',
    versions: both,
    permissions: graphPermissions.writeGroupMembers,
    operation: 'groups.addMember',
    handle: (context) => {
      const group = requireGroup(context);
      context.audit.detail.groupId = group.id;
      const memberId = memberIdOf(requestBody(context)['@odata.id']);
      audit(context, group.id, memberId);
      const result = context.tenant.addGroupMembers(group.id, [memberId]);
      if (!result.ok) throw failure(result);
      return { status: 204 };
    },
  },
  {
    method: 'PATCH',
    pattern: 'groups/{groupId}',
    versions: both,
    permissions: graphPermissions.writeGroupMembers,
    operation: 'groups.update',
    handle: (context) => {
      context.audit.detail.groupId = requireGroup(context).id;
      throw graphErrors.notModelled("PATCH groups/{id} (members@odata.bind); add members one by one with POST groups/{id}/members/$ref");
    },
  },
  {
    method: 'DELETE',
    pattern: 'groups/{groupId}/members/{userId}/$ref',
    versions: both,
    permissions: graphPermissions.writeGroupMembers,
    operation: 'groups.removeMember',
    handle: (context) => {
      const group = requireGroup(context);
      context.audit.detail.groupId = group.id;
      const memberId = routeParam(context, 'userId');
      if (!guidPattern.test(memberId)) throw graphErrors.invalidObjectId(memberId);
      audit(context, group.id, memberId);
      if (!context.tenant.removeGroupMember(group.id, memberId)) throw graphErrors.resourceNotFound(memberId);
      return { status: 204 };
    },
  },
];
