import { z } from 'zod';
import type { RoleHolding } from '../../core/assessBreakGlass.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const assignmentSchema = z.object({
  principalId: z.string().min(1),
  roleDefinitionId: z.string().min(1),
  principal: z.object({ '@odata.type': z.string().optional() }).passthrough().nullable().optional(),
});

const principalTypes: Readonly<Record<string, RoleHolding['principalType']>> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
  '#microsoft.graph.servicePrincipal': 'servicePrincipal',
};

/**
 * The tenant's active assignments of the given directory roles (`GET /roleManagement/directory/roleAssignments`,
 * v1.0, `$filter=roleDefinitionId in (…)` and `$expand=principal` for the principal's type, both documented). Only
 * the type and id of the principal are read: a user's UPN and sync state come from `/users/{id}` with `$select`
 * (see docs/graph-behaviour.md#directory-roles). PIM-eligible assignments are not active and not listed.
 */
export async function readRoleAssignments(gateway: GraphGateway, roleIds: readonly string[]): Promise<RoleHolding[]> {
  const filter = `roleDefinitionId in (${roleIds.map((id) => `'${id}'`).join(',')})`;
  const holdings: RoleHolding[] = [];
  const call = {
    operation: 'roleAssignments.list',
    method: 'GET' as const,
    version: 'v1.0' as const,
    path: `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(filter)}&$expand=principal`,
    permission: graphPermissions.readRoleAssignments,
  };
  for await (const page of gateway.pages(call)) {
    for (const item of page) {
      const assignment = assignmentSchema.safeParse(item);
      if (!assignment.success) continue; // an entry without a principal or role says nothing about anyone
      const type = assignment.data.principal?.['@odata.type'];
      holdings.push({
        roleId: assignment.data.roleDefinitionId,
        principalId: assignment.data.principalId,
        principalType: type === undefined ? 'user' : (principalTypes[type] ?? 'other'),
      });
    }
  }
  return holdings;
}
