import { globalAdministratorRoleId, privilegedRoleName, privilegedRoles } from './privilegedRoles.js';

/** What Graph says about one account (`GET /users/{id|upn}`): no phone number, nothing else. */
export interface AccountFacts {
  readonly id: string;
  readonly upn: string;
  readonly enabled: boolean;
  readonly guest: boolean;
  /** Never synced from on-premises (`onPremisesSyncEnabled` null or false). */
  readonly cloudOnly: boolean;
}

/** One active role assignment: which privileged role, held by which principal. */
export interface RoleHolding {
  readonly roleId: string;
  readonly principalId: string;
  readonly principalType: 'user' | 'group' | 'servicePrincipal' | 'other';
}

export interface BreakGlassInput {
  /** Each MFA_BREAK_GLASS entry as written, and the account it names (null: Graph knows no such user). */
  readonly entries: readonly { readonly entry: string; readonly account: AccountFacts | null }[];
  /** The privileged role assignments and their user holders' facts, or why they could not be read. */
  readonly roles:
    | { readonly read: true; readonly holdings: readonly RoleHolding[]; readonly accounts: ReadonlyMap<string, AccountFacts> }
    | { readonly read: false; readonly errorCode: string; readonly message: string };
  /** MFA_ALLOW_CLOUD_ONLY: whether the rollout enrols the cloud-only accounts it shows. */
  readonly enrolsCloudOnly: boolean;
  /** Accounts listed by name at most (all are counted). */
  readonly listLimit: number;
}

export interface PrivilegedAccount {
  readonly id: string;
  readonly upn: string;
  /** Role names, in the order of the privileged-role table. */
  readonly roles: readonly string[];
}

/**
 * The break-glass check of one night, as plain data (persisted as the Posture table's `breakGlass` section, version 1):
 * whether every MFA_BREAK_GLASS entry names a user, whether one of them is a Global Administrator, and the cloud-only
 * privileged accounts that are not in the list.
 */
export interface BreakGlassPosture {
  readonly version: 1;
  readonly entries: readonly { readonly entry: string; readonly account: AccountFacts | null; readonly roles: readonly string[] | null }[];
  /** Entries that name no user: the run refuses to start while there is one. */
  readonly unresolved: readonly string[];
  /** null: the role assignments could not be read, so nobody knows. */
  readonly listedGlobalAdministrator: boolean | null;
  readonly privileged:
    | {
        readonly read: true;
        /** Cloud-only users holding a privileged role who are not in MFA_BREAK_GLASS (at most `listLimit`, by UPN). */
        readonly unlistedCloudOnly: readonly PrivilegedAccount[];
        readonly unlistedCloudOnlyCount: number;
        /** Synced users holding a privileged role: enrolled like everyone else. */
        readonly syncedCount: number;
        /** Role-assignable groups and service principals holding a privileged role (their members are not expanded). */
        readonly otherPrincipals: number;
      }
    | { readonly read: false; readonly errorCode: string; readonly message: string };
  readonly enrolsCloudOnly: boolean;
  /** Plain sentences for the plan and the report; `refused` and `warning` go in the banner, `note` in the section. */
  readonly warnings: readonly BreakGlassWarning[];
}

export interface BreakGlassWarning {
  /** `refused`: the run does not start; `warning`: no listed Global Administrator, or the roles unknown; `note`: the rest. */
  readonly level: 'refused' | 'warning' | 'note';
  readonly text: string;
}

export const noGlobalAdministratorWarning =
  'No MFA_BREAK_GLASS account holds Global Administrator. Microsoft\'s emergency-access guidance: two or more cloud-only accounts with a permanent Global Administrator assignment, excluded from MFA enforcement like these are; fix the list or the accounts\' roles before the first night.';

/**
 * Pure: resolves nothing itself. Decides which entries did not resolve, whether a listed account is a Global
 * Administrator, which privileged cloud-only accounts are unlisted, and what to warn about.
 */
export function assessBreakGlass(input: BreakGlassInput): BreakGlassPosture {
  const listedIds = new Set(input.entries.flatMap((entry) => (entry.account === null ? [] : [entry.account.id.toLowerCase()])));
  const rolesByUser = new Map<string, Set<string>>();
  let otherPrincipals = 0;
  if (input.roles.read) {
    const others = new Set<string>();
    for (const holding of input.roles.holdings) {
      if (holding.principalType !== 'user') {
        others.add(holding.principalId.toLowerCase());
        continue;
      }
      const key = holding.principalId.toLowerCase();
      rolesByUser.set(key, (rolesByUser.get(key) ?? new Set()).add(holding.roleId.toLowerCase()));
    }
    otherPrincipals = others.size;
  }
  const roleNamesOf = (userId: string): string[] => {
    const held = rolesByUser.get(userId.toLowerCase()) ?? new Set<string>();
    return privilegedRoles.filter((role) => held.has(role.id)).map((role) => role.name)
      .concat([...held].filter((id) => !privilegedRoles.some((role) => role.id === id)).map(privilegedRoleName));
  };

  const entries = input.entries.map(({ entry, account }) => ({ entry, account, roles: account === null || !input.roles.read ? null : roleNamesOf(account.id) }));
  const unresolved = entries.filter((entry) => entry.account === null).map((entry) => entry.entry);
  const listedGlobalAdministrator = input.roles.read
    ? [...listedIds].some((id) => rolesByUser.get(id)?.has(globalAdministratorRoleId) === true)
    : null;

  const warnings: BreakGlassWarning[] = [];
  const loud = (text: string) => warnings.push({ level: 'warning', text });
  const note = (text: string) => warnings.push({ level: 'note', text });
  if (unresolved.length > 0) warnings.push({ level: 'refused', text: `MFA_BREAK_GLASS names no user for: ${unresolved.join(', ')}. The rollout refuses to run until every entry resolves.` });
  if (listedGlobalAdministrator === false) loud(noGlobalAdministratorWarning);
  if (!input.roles.read) loud(`The directory role assignments could not be read (${input.roles.errorCode}), so neither the privileged accounts nor whether a listed account is Global Administrator are known: grant RoleManagement.Read.Directory.`);
  const distinct = new Set(entries.flatMap((entry) => (entry.account === null ? [] : [entry.account.id.toLowerCase()])));
  if (distinct.size === 1) note('MFA_BREAK_GLASS lists one emergency-access account; Microsoft recommends two or more.');
  for (const { entry, account } of entries) {
    if (account === null) continue;
    const said = account.upn.toLowerCase() === entry.toLowerCase() ? account.upn : `${entry} (${account.upn})`;
    if (!account.cloudOnly) note(`MFA_BREAK_GLASS account ${said} is synced from on-premises AD; emergency-access accounts should be cloud-only.`);
    if (!account.enabled) note(`MFA_BREAK_GLASS account ${said} is disabled.`);
    if (account.guest) note(`MFA_BREAK_GLASS account ${said} is a guest.`);
  }

  if (!input.roles.read) {
    return { version: 1, entries, unresolved, listedGlobalAdministrator, privileged: { read: false, errorCode: input.roles.errorCode, message: input.roles.message }, enrolsCloudOnly: input.enrolsCloudOnly, warnings };
  }
  const unlisted: PrivilegedAccount[] = [];
  let syncedCount = 0;
  for (const userId of rolesByUser.keys()) {
    if (listedIds.has(userId)) continue;
    const account = input.roles.accounts.get(userId);
    if (account === undefined) continue; // deleted between the two reads
    if (!account.cloudOnly) {
      syncedCount += 1;
      continue;
    }
    unlisted.push({ id: account.id, upn: account.upn, roles: roleNamesOf(userId) });
  }
  unlisted.sort((a, b) => a.upn.localeCompare(b.upn));
  return {
    version: 1,
    entries,
    unresolved,
    listedGlobalAdministrator,
    privileged: { read: true, unlistedCloudOnly: unlisted.slice(0, input.listLimit), unlistedCloudOnlyCount: unlisted.length, syncedCount, otherPrincipals },
    enrolsCloudOnly: input.enrolsCloudOnly,
    warnings,
  };
}
