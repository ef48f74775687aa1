/**
 * Higher Microsoft Graph application permissions that include a permission the rollout needs: holding any of them
 * satisfies the needed one for every call the rollout makes with it.
 *
 * Source: the "Permissions" table ("Least privileged permissions" / "Higher privileged permissions", application
 * row) of each Microsoft Graph API the rollout calls with the needed permission, in the Microsoft Graph REST API
 * reference (learn.microsoft.com/graph/api/<api>#permissions), with the permission names of the Microsoft Graph
 * permissions reference (learn.microsoft.com/graph/permissions-reference). A permission a page lists as higher for
 * only some of the calls is left out, and so is anything no page lists: a missing entry only makes the check
 * stricter (the night is held and asks for the least-privileged permission), never looser.
 */
export const permissionIncludedBy: Readonly<Record<string, readonly string[]>> = {
  // GET /organization
  'Organization.Read.All': ['Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // GET /users (list, and one user's mobilePhone)
  'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  // GET /groups/{id}, GET /groups/{id}/transitiveMembers
  'GroupMember.Read.All': ['Group.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
  // POST /groups/{id}/members/$ref, DELETE /groups/{id}/members/{id}/$ref
  'GroupMember.ReadWrite.All': ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  // GET /users/{id}/authentication/methods and phoneMethods, POST/PATCH/DELETE phoneMethods: nothing higher
  'UserAuthenticationMethod.ReadWrite.All': [],
  // GET/PATCH /beta/users/{id}/authentication/requirements: the only permission for the write
  'Policy.ReadWrite.AuthenticationMethod': [],
  // GET /identity/conditionalAccess/policies (the per-user state it also reads is covered by the write permission above)
  'Policy.Read.All': ['Policy.ReadWrite.ConditionalAccess'],
  // GET /reports/authenticationMethods/userRegistrationDetails
  'AuditLog.Read.All': [],
  // POST /users/{id}/sendMail
  'Mail.Send': [],
  // POST /users/{id}/authentication/temporaryAccessPassMethods (mfa-rollout issue-tap)
  'UserAuthMethod-TAP.ReadWrite.All': ['UserAuthenticationMethod.ReadWrite.All'],
  // GET /roleManagement/directory/roleAssignments
  'RoleManagement.Read.Directory': ['RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'],
};

export interface MissingPermission {
  /** The least-privileged permission to grant. */
  readonly permission: string;
  /** Higher permissions that would also do (none of them is granted either). */
  readonly includedBy: readonly string[];
}

/**
 * The needed permissions that the granted ones (an access token's `roles` claim) do not cover, exactly or through
 * a higher permission of `permissionIncludedBy`, in the order of `needed`. Names compare exactly, as Graph's do.
 */
export function missingPermissions(needed: readonly string[], granted: readonly string[]): MissingPermission[] {
  const held = new Set(granted);
  return needed
    .filter((permission) => !held.has(permission) && !(permissionIncludedBy[permission] ?? []).some((higher) => held.has(higher)))
    .map((permission) => ({ permission, includedBy: permissionIncludedBy[permission] ?? [] }));
}
