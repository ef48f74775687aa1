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
  /** Least is Policy.Read.AuthenticationMethod; Policy.Read.All (held for Conditional Access anyway) also reads them. */
  readAuthenticationStrengths: 'Policy.Read.All',
  readRegistrationReport: 'AuditLog.Read.All',
  readSecurityDefaults: 'Policy.Read.All',
  writeMethodsPolicy: 'Policy.ReadWrite.AuthenticationMethod',
  readSignIns: 'AuditLog.Read.All',
  sendMail: 'Mail.Send',
  readRoleAssignments: 'RoleManagement.Read.Directory',
  /**
   * The Authentication methods policy and its configurations (the TAP policy): Policy.Read.All, which every
   * configuration already holds for the Conditional Access preflight (least on its own: Policy.Read.AuthenticationMethod).
   */
  readMethodsPolicy: 'Policy.Read.All',
  /** `mfa-rollout issue-tap` only: creating a Temporary Access Pass (least privileged; UserAuthenticationMethod.ReadWrite.All also does). */
  writeTemporaryAccessPass: 'UserAuthMethod-TAP.ReadWrite.All',
} as const;

/**
 * Exactly the permissions a configuration needs, no more. The passkey and authenticator tracks add users to the
 * journey's groups (campaign, phishing-resistant, phone retired); `setupPasskeys` is for the identity that runs
 * `mfa-rollout setup-passkeys --apply` (it writes the methods policy), which the nightly job never needs.
 */
export function permissionsFor(config: Pick<Config, 'strategy' | 'noticeMailbox' | 'noticeDays' | 'targetMethod'>, options: { readonly setupPasskeys?: boolean } = {}): string[] {
  const needed = new Set<string>([
    graphPermissions.readOrganization,
    graphPermissions.readUsers,
    graphPermissions.readGroupMembers,
    graphPermissions.writePhoneMethods, // also grants reading them
    graphPermissions.readRegistrationReport,
    graphPermissions.readRoleAssignments, // the break-glass check: who holds Global Administrator and the other privileged roles
    graphPermissions.readSecurityDefaults, // also reads the methods policy and the Conditional Access policies
  ]);
  if (config.strategy === 'perUserMfa') {
    needed.add(graphPermissions.writePerUserMfa); // also grants reading the state
    needed.add(graphPermissions.readConditionalAccess); // preflight: CA policies that already require MFA (and their strengths)
  } else {
    needed.add(graphPermissions.writeGroupMembers);
    needed.add(graphPermissions.readConditionalAccess);
  }
  if (config.targetMethod !== 'phone') needed.add(graphPermissions.writeGroupMembers);
  if (config.noticeMailbox !== undefined && config.noticeDays > 0) needed.add(graphPermissions.sendMail);
  if (options.setupPasskeys === true) needed.add(graphPermissions.writeMethodsPolicy);
  return [...needed].sort();
}

/**
 * What `mfa-rollout issue-tap` needs, and nothing the night needs besides (a helpdesk identity can hold only these):
 * the users and their group memberships (User.Read.All and GroupMember.Read.All, which checkMemberGroups needs
 * together), the TAP policy, and creating the pass.
 */
export function permissionsForIssueTap(): string[] {
  return [graphPermissions.readUsers, graphPermissions.readGroupMembers, graphPermissions.readMethodsPolicy, graphPermissions.writeTemporaryAccessPass].sort();
}
