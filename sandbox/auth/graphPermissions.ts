/**
 * Which Graph application permissions open which endpoint: any one entry of a list grants access, an entry being one
 * permission or a set of permissions that must all be held (Microsoft documents "User.Read.All and
 * GroupMember.Read.All" for some calls). The first entry is the least-privileged one Microsoft documents; the others
 * are the higher permissions it also accepts.
 */
export const graphPermissions = {
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readOrganization: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroups: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroupMembers: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readPhoneMethods: ['UserAuthMethod-Phone.Read.All', 'UserAuthenticationMethod.Read.All', 'UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  writePhoneMethods: ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  readAuthenticationMethods: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  readPasskeys: ['UserAuthMethod-Passkey.Read.All', 'UserAuthenticationMethod.Read.All', 'UserAuthMethod-Passkey.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  writePasskeys: ['UserAuthMethod-Passkey.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  // the create page names the read permission as least privileged, a generator slip: a pass needs a write permission
  readTemporaryAccessPasses: ['UserAuthMethod-TAP.Read.All', 'UserAuthenticationMethod.Read.All', 'UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  writeTemporaryAccessPasses: ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  /** `checkMemberGroups` of a user: both permissions of a pair, or Directory.Read.All. */
  checkUserMemberGroups: [['User.Read.All', 'GroupMember.Read.All'], ['User.Read.All', 'Group.Read.All'], 'Directory.Read.All'],
  readRequirements: ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
  writeRequirements: ['Policy.ReadWrite.AuthenticationMethod'],
  writeGroupMembers: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  readConditionalAccess: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
  readAuthenticationStrengths: ['Policy.Read.AuthenticationMethod', 'Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod', 'Policy.ReadWrite.ConditionalAccess'],
  readRegistrationReport: ['AuditLog.Read.All'],
  readMethodsPolicy: ['Policy.Read.AuthenticationMethod', 'Policy.ReadWrite.AuthenticationMethod', 'Policy.Read.All'],
  writeMethodsPolicy: ['Policy.ReadWrite.AuthenticationMethod'],
  readSecurityDefaults: ['Policy.Read.All', 'Policy.ReadWrite.SecurityDefaults'],
  writeSecurityDefaults: ['Policy.ReadWrite.SecurityDefaults', 'Policy.ReadWrite.ConditionalAccess'],
  /** The v1.0 page adds Directory.Read.All for a known licence-check issue (docs/graph-behaviour.md#sign-in-activity); the sandbox asks for AuditLog.Read.All. */
  readSignIns: ['AuditLog.Read.All'],
  sendMail: ['Mail.Send'],
  readRoleAssignments: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All'],
} as const satisfies Record<string, readonly (string | readonly string[])[]>;

/** What the sandbox's app registration is consented to unless told otherwise: enough for every endpoint. */
export const defaultAppRoles: readonly string[] = [
  'User.Read.All',
  'Organization.Read.All',
  'GroupMember.Read.All',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'Policy.Read.All',
  'Policy.ReadWrite.AuthenticationMethod',
  'GroupMember.ReadWrite.All',
  'AuditLog.Read.All',
  'Mail.Send',
  'RoleManagement.Read.Directory',
];
