/**
 * A Conditional Access policy as the rollout reads it (docs/graph-behaviour.md#conditional-access): plain facts from
 * Graph, nothing decided. Ids are as Graph sends them; compare them ignoring case.
 */
export type CaPolicyState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** `conditions.users`: object ids, or `All` / `None` / `GuestsOrExternalUsers` in the user lists; role template ids. */
export interface CaUsers {
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  /** `includeGuestsOrExternalUsers.guestOrExternalUserTypes` split on commas (`internalGuest`, `b2bCollaborationGuest`, …); empty when null. */
  readonly includeGuestTypes: readonly string[];
  readonly excludeGuestTypes: readonly string[];
}

/** `conditions.applications`: `All`, `None`, `Office365`, `MicrosoftAdminPortals` or app ids; user actions; authentication contexts. */
export interface CaApplications {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly includeUserActions: readonly string[];
  readonly includeAuthenticationContexts: readonly string[];
}

/** An authentication strength as Graph expands it in `grantControls` (docs/graph-behaviour.md#authentication-strengths). */
export interface CaAuthenticationStrength {
  readonly id: string;
  readonly displayName: string;
  /** `builtIn`, `custom` (or a value Graph adds later). */
  readonly policyType: string;
  /** `mfa` when the strength grants an MFA claim, `none` when it may not. */
  readonly requirementsSatisfied: string;
  /** Each entry a comma-separated combination of authentication method modes, e.g. `password,sms` or `fido2`. */
  readonly allowedCombinations: readonly string[];
}

export interface CaGrantControls {
  /** `AND`: every control is needed; `OR`: any one of them satisfies the policy. */
  readonly operator: 'AND' | 'OR';
  /** `mfa`, `block`, `compliantDevice`, `domainJoinedDevice`, … and values Graph adds later (`unknownFutureValue`). */
  readonly builtInControls: readonly string[];
  readonly termsOfUse: readonly string[];
  readonly customAuthenticationFactors: readonly string[];
  readonly authenticationStrength: CaAuthenticationStrength | null;
}

export interface CaPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly state: CaPolicyState;
  readonly users: CaUsers;
  readonly applications: CaApplications;
  /** `all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `easSupported`, `other`. */
  readonly clientAppTypes: readonly string[];
  readonly platforms: { readonly include: readonly string[]; readonly exclude: readonly string[] } | null;
  readonly locations: { readonly include: readonly string[]; readonly exclude: readonly string[] } | null;
  readonly signInRiskLevels: readonly string[];
  readonly userRiskLevels: readonly string[];
  /** Other conditions that are set (`devices`, `insiderRiskLevels`, `authenticationFlows`, `clientApplications`, …), by name. */
  readonly otherConditions: readonly string[];
  /** null: the policy has no grant controls (session controls only). */
  readonly grantControls: CaGrantControls | null;
}

/** The ids of the built-in authentication strengths: the same in every tenant (docs/graph-behaviour.md#authentication-strengths). */
export const builtInStrengthIds = {
  multifactorAuthentication: '00000000-0000-0000-0000-000000000002',
  passwordlessMfa: '00000000-0000-0000-0000-000000000003',
  phishingResistantMfa: '00000000-0000-0000-0000-000000000004',
} as const;
