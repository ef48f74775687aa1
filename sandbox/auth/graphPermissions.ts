/**
 * Which Graph application permissions open which endpoint: any one permission of a list grants access. The first
 * entry is the least-privileged one Microsoft documents; the others are the higher permissions it also accepts.
 */
export const graphPermissions = {
  readUsers: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readOrganization: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroups: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readGroupMembers: ['GroupMember.Read.All', 'Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  readPhoneMethods: ['UserAuthMethod-Phone.Read.All', 'UserAuthenticationMethod.Read.All', 'UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  writePhoneMethods: ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
  readAuthenticationMethods: ['UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All'],
  readRequirements: ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
  writeRequirements: ['Policy.ReadWrite.AuthenticationMethod'],
  writeGroupMembers: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  readConditionalAccess: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
  readRegistrationReport: ['AuditLog.Read.All'],
  /** The v1.0 page adds Directory.Read.All for a known licence-check issue (docs/graph-behaviour.md#sign-in-activity); the sandbox asks for AuditLog.Read.All. */
  readSignIns: ['AuditLog.Read.All'],
  sendMail: ['Mail.Send'],
} as const satisfies Record<string, readonly string[]>;

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
];
