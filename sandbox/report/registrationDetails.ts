import type { RegistrationSnapshot, SandboxUser } from '../tenant/tenantModel.js';

/** One row of the registration report: the user (identity fields are live) and their visible entry. */
export interface RegistrationRow {
  readonly user: SandboxUser;
  readonly entry: RegistrationSnapshot;
  readonly isAdmin: boolean;
}

/** The boolean fields `$filter` takes with `eq` (documented "Supports $filter (eq)"; isAdmin as in beta). */
export const registrationBooleans: Readonly<Record<string, (row: RegistrationRow) => boolean>> = {
  isAdmin: (row) => row.isAdmin,
  isMfaCapable: (row) => row.entry.isMfaCapable,
  isMfaRegistered: (row) => row.entry.isMfaRegistered,
  isPasswordlessCapable: (row) => row.entry.isPasswordlessCapable,
  isSsprCapable: () => false,
  isSsprEnabled: () => false,
  isSsprRegistered: (row) => row.entry.isSsprRegistered,
  isSystemPreferredAuthenticationMethodEnabled: () => true,
};

/** The string fields `$filter` takes with `eq` and `startsWith`, and `$orderby` takes. */
export const registrationStrings: Readonly<Record<string, (row: RegistrationRow) => string>> = {
  userPrincipalName: (row) => row.user.userPrincipalName,
  userDisplayName: (row) => row.user.displayName,
};

/** The collection fields `$filter` takes with `any(x: x eq '…')`. */
export const registrationLists: Readonly<Record<string, (row: RegistrationRow) => readonly string[]>> = {
  methodsRegistered: (row) => row.entry.methodsRegistered,
  systemPreferredAuthenticationMethods: (row) => row.entry.systemPreferredAuthenticationMethods,
};

/** A `userRegistrationDetails` object as v1.0 returns it (docs/graph-behaviour.md#registration-report). */
export function renderRegistrationDetails(row: RegistrationRow): Record<string, unknown> {
  const { user, entry } = row;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: user.userType === 'Guest' ? 'guest' : 'member',
    isAdmin: row.isAdmin,
    isSsprRegistered: entry.isSsprRegistered,
    isSsprEnabled: false,
    isSsprCapable: false,
    isMfaRegistered: entry.isMfaRegistered,
    isMfaCapable: entry.isMfaCapable,
    isPasswordlessCapable: entry.isPasswordlessCapable,
    lastUpdatedDateTime: new Date(entry.computedAtMs).toISOString(),
    methodsRegistered: [...entry.methodsRegistered],
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: [...entry.systemPreferredAuthenticationMethods],
    userPreferredMethodForSecondaryAuthentication: entry.userPreferredMethodForSecondaryAuthentication,
  };
}
