import type { Config } from '../../config/configSchema.js';

/**
 * The Microsoft Graph application permissions each kind of call needs: the single source for error
 * messages, README and the script that grants them to the managed identity.
 */
export const graphPermissions = {
  readOrganization: 'Organization.Read.All',
  readUsers: 'User.Read.All',
  readGroupMembers: 'GroupMember.Read.All',
  readAuthMethods: 'UserAuthenticationMethod.Read.All',
  writePhoneMethods: 'UserAuthenticationMethod.ReadWrite.All',
  readPerUserMfa: 'Policy.Read.All',
  writePerUserMfa: 'Policy.ReadWrite.AuthenticationMethod',
  writeGroupMembers: 'GroupMember.ReadWrite.All',
  readConditionalAccess: 'Policy.Read.All',
  readRegistrationReport: 'AuditLog.Read.All',
  readSignIns: 'AuditLog.Read.All',
  sendMail: 'Mail.Send',
} as const;

/** Exactly the permissions a configuration needs, no more. */
export function permissionsFor(config: Pick<Config, 'strategy' | 'noticeMailbox' | 'noticeDays'>): string[] {
  const needed = new Set<string>([
    graphPermissions.readOrganization,
    graphPermissions.readUsers,
    graphPermissions.readGroupMembers,
    graphPermissions.writePhoneMethods, // also grants reading them
    graphPermissions.readRegistrationReport,
  ]);
  if (config.strategy === 'perUserMfa') {
    needed.add(graphPermissions.writePerUserMfa); // also grants reading the state
    needed.add(graphPermissions.readConditionalAccess); // preflight: CA policies that already require MFA
  } else {
    needed.add(graphPermissions.writeGroupMembers);
    needed.add(graphPermissions.readConditionalAccess);
  }
  if (config.noticeMailbox !== undefined && config.noticeDays > 0) needed.add(graphPermissions.sendMail);
  return [...needed].sort();
}
