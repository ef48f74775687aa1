import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { requestBody, routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { guidPattern } from '../tenant/tenantModel.js';
import { requireGroup } from './requireGroup.js';
import type { AddMembersResult } from '../tenant/tenantState.js';

const both = ['v1.0', 'beta'] as const;
const bindProperty = 'members@odata.bind';
/** Graph takes at most 20 link changes in one request. */
export const maxLinkChanges = 20;
/** `https://graph.microsoft.com/v1.0/directoryObjects/{id}` (any host, either version, `users/` accepted too). */
const referencePattern = /^https?:\/\/[^/]+\/(?:v1\.0|beta)\/(?:directoryObjects|users)\/([^/?#]+)$/i;

/** The object id an `@odata.id` / `members@odata.bind` URL points at: 400 when the URL or the id is malformed. */
function memberIdOf(reference: unknown, property: '@odata.id' | typeof bindProperty): string {
  const match = typeof reference === 'string' ? referencePattern.exec(reference.trim()) : null;
  if (match?.[1] === undefined) throw graphErrors.invalidMemberReference(property);
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
 * Group membership writes (graph-notes §6), for the `conditionalAccessGroup` strategy. Adding to or removing from a
 * group never changes anyone's per-user MFA state. `POST members/$ref` adds one user (journal `group.addMember`);
 * `PATCH groups/{id}` with `members@odata.bind` adds up to 20, all or nothing, and journals one `group.addMember` entry
 * per user added besides its own `group.update` entry; `DELETE members/{id}/$ref` removes one (`group.removeMember`).
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
      const memberId = memberIdOf(requestBody(context)['@odata.id'], '@odata.id');
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
      const group = requireGroup(context);
      context.audit.detail.groupId = group.id;
      const body = requestBody(context);
      const unsupported = Object.keys(body).find((key) => key !== bindProperty);
      if (unsupported !== undefined) throw graphErrors.unsupportedGroupUpdate(unsupported);
      const references = body[bindProperty] ?? [];
      if (!Array.isArray(references)) throw graphErrors.invalidMemberReference(bindProperty);
      if (references.length > maxLinkChanges) throw graphErrors.tooManyLinkChanges();
      const memberIds = references.map((reference) => memberIdOf(reference, bindProperty));
      context.audit.detail.memberCount = memberIds.length;
      const result = context.tenant.addGroupMembers(group.id, memberIds);
      if (!result.ok) throw failure(result);
      for (const userId of result.added) {
        context.tenant.journal.append({
          method: context.request.method,
          path: context.request.url.pathname,
          userId,
          operation: 'groups.addMember',
          status: 204,
          requestId: context.request.requestId,
          detail: { groupId: group.id, userId },
        });
      }
      return { status: 204 };
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
