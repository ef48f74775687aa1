import { z } from 'zod';
import { RolloutError } from '../../errors/RolloutError.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** The tenant's directory-sync facts from `GET /organization`. */
export interface OrganizationSync {
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesLastSyncDateTime: string | null;
}

/** A user as `GET /users` with the rollout's `$select` returns it. The phone stays in memory only. */
export interface GraphUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  readonly mobilePhone: string | null;
  readonly department: string | null;
  readonly mail: string | null;
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesLastSyncDateTime: string | null;
}

/** A user entry Graph sent that could not be read: reported by id and field, skipped. */
export interface MalformedUser {
  readonly id: string;
  readonly field: string;
}

const organizationSchema = z.object({
  value: z
    .array(
      z.object({
        onPremisesSyncEnabled: z.boolean().nullable().optional().transform((value) => value ?? null),
        onPremisesLastSyncDateTime: z.string().nullable().optional().transform((value) => value ?? null),
      }),
    )
    .min(1, 'expected one organization'),
});

const userSchema = z.object({
  id: z.string().min(1),
  userPrincipalName: z.string().min(1),
  accountEnabled: z.boolean().nullable().transform((value) => value ?? false),
  userType: z.string().nullable().transform((value) => (value?.toLowerCase() === 'guest' ? 'Guest' : 'Member') as 'Member' | 'Guest'),
  mobilePhone: z.string().nullable().optional().transform((value) => value ?? null),
  department: z.string().nullable().optional().transform((value) => value ?? null),
  mail: z.string().nullable().optional().transform((value) => (value === undefined || value === null || value.trim() === '' ? null : value.trim())),
  onPremisesSyncEnabled: z.boolean().nullable().optional().transform((value) => value ?? null),
  onPremisesLastSyncDateTime: z.string().nullable().optional().transform((value) => value ?? null),
});

export const userSelect = 'id,userPrincipalName,accountEnabled,userType,mobilePhone,department,mail,onPremisesSyncEnabled,onPremisesLastSyncDateTime';

export async function readOrganization(gateway: GraphGateway): Promise<OrganizationSync> {
  const answer = await gateway.send({ operation: 'organization.read', method: 'GET', version: 'v1.0', path: '/organization?$select=id,onPremisesSyncEnabled,onPremisesLastSyncDateTime', permission: graphPermissions.readOrganization });
  const organization = readAnswer('organization.read', answer, organizationSchema).value[0];
  if (organization === undefined) throw new RolloutError('GRAPH_MALFORMED_RESPONSE', 'organization.read: no organization in the answer');
  return organization;
}

/** Streams the tenant's users page by page; memory holds one page, whatever the tenant size. */
export async function* streamUsers(gateway: GraphGateway, pageSize: number): AsyncGenerator<{ users: GraphUser[]; malformed: MalformedUser[] }> {
  for await (const page of gateway.pages({ operation: 'users.list', method: 'GET', version: 'v1.0', path: `/users?$select=${userSelect}&$top=${pageSize}`, permission: graphPermissions.readUsers })) {
    const users: GraphUser[] = [];
    const malformed: MalformedUser[] = [];
    for (const item of page) {
      const parsed = userSchema.safeParse(item);
      if (parsed.success) users.push(parsed.data);
      else {
        const id = typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : 'unknown';
        malformed.push({ id, field: parsed.error.issues[0]?.path.join('.') || 'entry' });
      }
    }
    yield { users, malformed };
  }
}

/** Ids of the users that are direct or nested members of a group. */
export async function readGroupMemberIds(gateway: GraphGateway, groupId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const memberSchema = z.object({ id: z.string().min(1), '@odata.type': z.string().optional() });
  for await (const page of gateway.pages({ operation: 'groups.listTransitiveMembers', method: 'GET', version: 'v1.0', path: `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`, permission: graphPermissions.readGroupMembers })) {
    for (const item of page) {
      const member = memberSchema.safeParse(item);
      if (member.success && (member.data['@odata.type'] === undefined || member.data['@odata.type'] === '#microsoft.graph.user')) ids.add(member.data.id);
    }
  }
  return ids;
}
