import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import type { GraphRoute, RequestContext } from '../http/graphRoute.js';
import { roleAssignmentFilter } from './roleAssignmentFilter.js';
import type { SandboxRoleAssignment, SandboxUser } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;

/** `$expand`: the sandbox models `principal` only (Graph also expands roleDefinition and directoryScope). */
function expandsPrincipal(context: RequestContext): boolean {
  const raw = context.query.get('$expand');
  if (raw === null || raw.trim() === '') return false;
  if (raw.trim().toLowerCase() !== 'principal') throw graphErrors.unsupportedQueryOption(`$expand=${raw.trim()}`);
  return true;
}

/**
 * The expanded principal as the documented example shows it (a directoryObject: `@odata.type`, id, accountEnabled,
 * displayName, imAddresses, mail, mailNickname, userType). Deliberately no more: what the rollout needs beyond the
 * type and id it reads from `/users/{id}` with `$select`, so it never relies on an expansion's property set.
 */
function renderPrincipal(user: SandboxUser | undefined, principalId: string): Record<string, unknown> {
  if (user === undefined) return { '@odata.type': '#microsoft.graph.directoryObject', id: principalId };
  return {
    '@odata.type': '#microsoft.graph.user',
    id: user.id,
    accountEnabled: user.accountEnabled,
    displayName: user.displayName,
    imAddresses: [],
    mail: user.mail,
    mailNickname: user.userPrincipalName.slice(0, user.userPrincipalName.indexOf('@')),
    userType: user.userType,
  };
}

function renderAssignment(context: RequestContext, assignment: SandboxRoleAssignment, expand: boolean): Record<string, unknown> {
  return {
    id: assignment.id,
    principalId: assignment.principalId,
    directoryScopeId: assignment.directoryScopeId,
    appScopeId: null,
    roleDefinitionId: assignment.roleDefinitionId,
    ...(expand ? { principal: renderPrincipal(context.tenant.findUser(assignment.principalId), assignment.principalId) } : {}),
  };
}

/**
 * `GET roleManagement/directory/roleAssignments` (list unifiedRoleAssignments, directory provider): the tenant's active
 * role assignments, `$filter` on roleDefinitionId / principalId / directoryScopeId (`eq`, `in`), `$expand=principal`.
 * Least-privileged application permission: RoleManagement.Read.Directory (403 Authorization_RequestDenied without
 * any of the documented ones). One page: the tenant holds a handful of assignments.
 */
export const roleAssignmentRoutes: readonly GraphRoute[] = [
  {
    operation: 'roleAssignments.list',
    method: 'GET',
    pattern: 'roleManagement/directory/roleAssignments',
    versions: both,
    permissions: graphPermissions.readRoleAssignments,
    queryOptions: ['$filter', '$expand'],
    handle: (context) => {
      const filter = roleAssignmentFilter(context.query.get('$filter'));
      const expand = expandsPrincipal(context);
      const value = context.tenant.roleAssignments().filter(filter).map((assignment) => renderAssignment(context, assignment, expand));
      return {
        status: 200,
        body: { '@odata.context': `${context.origin}/${context.version}/$metadata#roleManagement/directory/roleAssignments${expand ? '(principal())' : ''}`, value },
      };
    },
  },
];
