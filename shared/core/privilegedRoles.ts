/** Template id of Global Administrator: what Microsoft's emergency-access guidance has the break-glass accounts hold. */
export const globalAdministratorRoleId = '62e90394-69f5-4237-9190-012177145e10';

/**
 * The directory roles whose holders the rollout shows before it touches anyone: roles that can change who is an
 * administrator, how users authenticate, Conditional Access, or any user (Microsoft marks each privileged in the
 * built-in roles reference), plus the Exchange and SharePoint administrators. Template ids from entra-docs
 * `permissions-reference.md` (the `roleDefinitionId` of a built-in role's assignment).
 */
export const privilegedRoles: readonly { readonly id: string; readonly name: string }[] = [
  { id: globalAdministratorRoleId, name: 'Global Administrator' },
  { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', name: 'Privileged Role Administrator' },
  { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', name: 'Privileged Authentication Administrator' },
  { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator' },
  { id: '0526716b-113d-4c15-b2c8-68e3c22b9f80', name: 'Authentication Policy Administrator' },
  { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', name: 'Security Administrator' },
  { id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', name: 'Conditional Access Administrator' },
  { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' },
  { id: '29232cdf-9323-42fd-ade2-1d097af3e4de', name: 'Exchange Administrator' },
  { id: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', name: 'SharePoint Administrator' },
];

const names = new Map(privilegedRoles.map((role) => [role.id.toLowerCase(), role.name]));

/** A privileged role's name, or its id for one the table does not know. */
export function privilegedRoleName(roleId: string): string {
  return names.get(roleId.toLowerCase()) ?? roleId;
}
