import { globalAdministratorRoleId } from './tenantModel.js';

/** Role template ids of the built-in Entra roles the generated tenant assigns (entra-docs permissions-reference). */
export const directoryRoleIds = {
  globalAdministrator: globalAdministratorRoleId,
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
} as const;

export const directoryRoleNames: Readonly<Record<string, string>> = {
  [directoryRoleIds.globalAdministrator]: 'Global Administrator',
  [directoryRoleIds.privilegedRoleAdministrator]: 'Privileged Role Administrator',
  [directoryRoleIds.userAdministrator]: 'User Administrator',
  [directoryRoleIds.authenticationAdministrator]: 'Authentication Administrator',
};

/** A GUID's 16 bytes in .NET order (the first three groups little-endian), as Graph encodes ids built from GUIDs. */
function guidBytes(guid: string): Buffer {
  const hex = Buffer.from(guid.replace(/-/g, ''), 'hex');
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32LE(hex.readUInt32BE(0), 0);
  bytes.writeUInt16LE(hex.readUInt16BE(4), 4);
  bytes.writeUInt16LE(hex.readUInt16BE(6), 6);
  hex.copy(bytes, 8, 8);
  return bytes;
}

/**
 * The id Graph gives a tenant-wide directory role assignment: base64url of the role definition's and the principal's
 * GUID bytes, then `-1` (the documented example `lAPpYvVpN0KRkAEhdxReEMmO4KwRqtpKkUWt3wOYIz4-1` is Global
 * Administrator for principal ace08ec9-…). Deterministic, so the seed draws no random numbers for it.
 */
export function roleAssignmentId(roleDefinitionId: string, principalId: string): string {
  return `${Buffer.concat([guidBytes(roleDefinitionId), guidBytes(principalId)]).toString('base64url')}-1`;
}
