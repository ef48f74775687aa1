/** Shapes of the sandbox tenant's data. Graph's JSON is rendered from these by the route handlers. */

/**
 * Why a generated user is in the tenant: what the rollout is expected to do with them. Kept out of Graph answers.
 * `passkeyDeviceBound`: a valid synced mobile and a device-bound passkey (a security key or Microsoft Authenticator);
 * `passkeySynced`: no mobile, a synced passkey; `hardwareOathOnly`: no mobile, only a hardware OATH token, which
 * Graph lists on beta only.
 */
export const userCategories = [
  'ready',
  'readyNational',
  'missingMobile',
  'invalidMobile',
  'landline',
  'mobileWithExtension',
  'cloudOnly',
  'noLongerSynced',
  'guest',
  'disabled',
  'breakGlass',
  'serviceAccount',
  'hasPhoneMethod',
  'phoneConflict',
  'alreadyEnforced',
  'authenticatorOnly',
  'exclusionGroupMember',
  'passkeyDeviceBound',
  'passkeySynced',
  'hardwareOathOnly',
] as const;

export type UserCategory = (typeof userCategories)[number];

export const phoneTypes = ['mobile', 'alternateMobile', 'office'] as const;
export type PhoneType = (typeof phoneTypes)[number];

/** Graph gives each phone type one fixed method id (phoneAuthenticationMethod resource). */
export const phoneMethodIds: Readonly<Record<PhoneType, string>> = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
};

/** The fixed id Graph gives every user's password method. */
export const passwordMethodId = '28c10230-6103-485e-b985-444c60001490';

export const perUserMfaStates = ['disabled', 'enabled', 'enforced'] as const;
export type PerUserMfaState = (typeof perUserMfaStates)[number];

export interface SandboxUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly mail: string | null;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  readonly mobilePhone: string | null;
  readonly businessPhones: readonly string[];
  department: string | null;
  readonly jobTitle: string | null;
  readonly officeLocation: string | null;
  readonly preferredLanguage: string | null;
  readonly usageLocation: string | null;
  readonly companyName: string | null;
  readonly createdDateTime: string;
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesImmutableId: string | null;
  /** Age of the user's last sync relative to the sandbox clock (null when never synced); rendered as onPremisesLastSyncDateTime. */
  readonly lastSyncAgeMinutes: number | null;
  readonly category: UserCategory;
}

export interface PhoneMethod {
  readonly id: string;
  readonly phoneType: PhoneType;
  phoneNumber: string;
  readonly smsSignInState: string;
}

/** How a passkey is kept (`fido2AuthenticationMethod.passkeyType`, v1.0): on one device, or synced by a provider. */
export type PasskeyType = 'deviceBound' | 'synced';

/**
 * Authentication methods other than password and phone. Users register them (the admin API stands in for that),
 * Graph lists and deletes them; the hardware OATH token is listed on beta only (docs/graph-behaviour.md#authentication-methods-list).
 */
export type OtherAuthenticationMethod =
  | {
      readonly kind: 'microsoftAuthenticator';
      readonly id: string;
      readonly displayName: string;
      readonly deviceTag: string;
      readonly phoneAppVersion: string;
      readonly createdDateTime: string;
    }
  | {
      readonly kind: 'fido2';
      readonly id: string;
      readonly displayName: string;
      readonly model: string;
      /** The authenticator's model id: a security key, Microsoft Authenticator, or a synced-passkey provider (see passkeyAuthenticators). */
      readonly aaGuid: string;
      readonly passkeyType: PasskeyType;
      readonly attestationLevel: 'attested' | 'notAttested';
      readonly createdDateTime: string;
    }
  | {
      readonly kind: 'hardwareOath';
      readonly id: string;
      readonly createdDateTime: string;
    };

export interface SandboxGroup {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly mailNickname: string;
  readonly createdDateTime: string;
  readonly memberIds: string[];
}

export interface VerifiedDomain {
  readonly name: string;
  readonly type: 'Managed' | 'Federated';
  readonly isDefault: boolean;
  readonly isInitial: boolean;
  readonly capabilities: string;
}

export interface SandboxOrganization {
  readonly id: string;
  readonly displayName: string;
  readonly countryLetterCode: string;
  readonly createdDateTime: string;
  readonly verifiedDomains: readonly VerifiedDomain[];
}

/** What the tenant's directory sync looks like from /organization. */
export interface DirectorySyncSetting {
  onPremisesSyncEnabled: boolean | null;
  /** Either a fixed time, or an age relative to the sandbox clock (sync keeps running). */
  lastSync: { fixed: string | null } | { ageMinutes: number };
}

export interface ManifestUser {
  readonly id: string;
  readonly upn: string;
  readonly category: UserCategory;
}

/** An active, tenant-wide directory role assignment (`roleManagement/directory/roleAssignments`); principals are users here. */
export interface SandboxRoleAssignment {
  readonly id: string;
  readonly principalId: string;
  /** The role's template id (what Graph puts in `roleDefinitionId` for a built-in role). */
  readonly roleDefinitionId: string;
  readonly directoryScopeId: '/';
}

/** Who holds which directory role, as the manifest tells tests. */
export interface ManifestRoleAssignment {
  readonly userId: string;
  readonly upn: string;
  readonly roleId: string;
  readonly roleName: string;
  /** The user is cloud-only (never synced from on-premises). */
  readonly cloudOnly: boolean;
}

export interface SandboxManifest {
  readonly tenantId: string;
  readonly seed: number;
  readonly size: number;
  readonly homeCountry: string;
  readonly breakGlass: readonly { id: string; upn: string }[];
  readonly groups: {
    readonly pilot: string;
    readonly exclusion: string;
    readonly rings: readonly { name: string; id: string }[];
    /** "MFA Required": empty at generation; the Conditional Access policy of the `default` scenario includes it. */
    readonly mfaRequired: string;
    /** "Passkey Campaign", empty: the registration campaign's and the Fido2 configuration's target once set up (MFA_CAMPAIGN_GROUP_ID). */
    readonly campaign: string;
    /** "Phishing-resistant MFA", empty (MFA_PHISHING_RESISTANT_GROUP_ID). */
    readonly phishingResistant: string;
    /** "Phone MFA Retired", empty: the Sms and Voice configurations exclude it once set up (MFA_PHONE_RETIRED_GROUP_ID). */
    readonly phoneRetired: string;
  };
  /** Ids of the Conditional Access policies the scenarios use (see conditionalAccessScenarios). */
  readonly conditionalAccess: {
    /** "Require MFA — rollout group": includes groups.mfaRequired, excludes both break-glass accounts. */
    readonly rolloutPolicyId: string;
    /** "Require MFA — all users": only present in the `allUsersMfa` scenario. */
    readonly allUsersPolicyId: string;
    /** "Require phishing-resistant MFA — passkey users": includes groups.phishingResistant, grants the built-in strength. */
    readonly phishingResistantPolicyId: string;
  };
  readonly users: readonly ManifestUser[];
  readonly counts: Readonly<Record<UserCategory, number>>;
  /**
   * Active directory role assignments: both break-glass accounts are Global Administrators (cloud-only,
   * onmicrosoft.com); the last cloud-only user is a Privileged Role Administrator; the last `ready` user outside the
   * pilot (synced) is a User Administrator and an Authentication Administrator. Empty roles are left out in tiny tenants.
   */
  readonly roleAssignments: readonly ManifestRoleAssignment[];
}

/** The Entra role template id of Global Administrator; the break-glass accounts hold it. */
export const globalAdministratorRoleId = '62e90394-69f5-4237-9190-012177145e10';

export const conditionalAccessStates = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] as const;
export type ConditionalAccessState = (typeof conditionalAccessStates)[number];

/**
 * The `conditions.users` of a Conditional Access policy: object ids, or `All` / `None` / `GuestsOrExternalUsers`; role
 * template ids; guest kinds as Graph's comma-separated `guestOrExternalUserTypes` (null: not configured).
 */
export interface ConditionalAccessUsers {
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  readonly includeGuestsOrExternalUsers: string | null;
  readonly excludeGuestsOrExternalUsers: string | null;
}

/** A Conditional Access policy as far as the sandbox models it: who and what it targets, what it grants; read only over Graph. */
export interface ConditionalAccessPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly state: ConditionalAccessState;
  readonly createdDateTime: string;
  readonly modifiedDateTime: string | null;
  readonly users: ConditionalAccessUsers;
  /** `All`, `None`, `Office365` or app ids. */
  readonly includeApplications: readonly string[];
  readonly excludeApplications: readonly string[];
  /** `all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `easSupported`, `other`. */
  readonly clientAppTypes: readonly string[];
  /** null: any platform. Values `all`, `android`, `iOS`, `windows`, `macOS`, `linux`. */
  readonly platforms: { readonly includePlatforms: readonly string[]; readonly excludePlatforms: readonly string[] } | null;
  /** null: anywhere. `All`, `AllTrusted` or named location ids. */
  readonly locations: { readonly includeLocations: readonly string[]; readonly excludeLocations: readonly string[] } | null;
  readonly signInRiskLevels: readonly string[];
  readonly userRiskLevels: readonly string[];
  /** `grantControls.builtInControls`, e.g. `['mfa']`, `['block']`, `['compliantDevice', 'domainJoinedDevice']`. */
  readonly builtInControls: readonly string[];
  readonly grantOperator: 'OR' | 'AND';
  /** `grantControls.authenticationStrength`: the id of a built-in or custom strength, or null. */
  readonly authenticationStrengthId: string | null;
}

/** An `authenticationStrengthPolicy` (docs/graph-behaviour.md#authentication-strengths). */
export interface AuthenticationStrengthPolicy {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly policyType: 'builtIn' | 'custom';
  readonly requirementsSatisfied: 'none' | 'mfa';
  /** Comma-separated combinations of authentication method modes, e.g. `password,sms`, `fido2`. */
  readonly allowedCombinations: readonly string[];
  readonly createdDateTime: string;
  readonly modifiedDateTime: string;
}

/**
 * Named policy sets the admin API can switch to. `default` is the generated tenant's; each other one changes one thing
 * of it in a way the rollout's preflight must notice (or, for `allUsersMfa` and `none`, changes the whole set).
 */
export const conditionalAccessScenarios = [
  'default',
  'reportOnly',
  'disabled',
  'missingBreakGlassExclusion',
  'noMfaGrant',
  'mfaOrCompliantDevice',
  'oneApp',
  'excludedApp',
  'browserOnly',
  'trustedLocationsExcluded',
  'breakGlassExcludedByRole',
  'mfaStrength',
  'passwordlessStrength',
  'customStrengthWithSms',
  'customStrengthWithoutSms',
  'allUsersMfa',
  'phishingResistantMissing',
  'phishingResistantReportOnly',
  'phishingResistantDisabled',
  'phishingResistantWrongStrength',
  'phishingResistantOrCompliantDevice',
  'phishingResistantOneApp',
  'phishingResistantMissingBreakGlassExclusion',
  'none',
] as const;
export type ConditionalAccessScenario = (typeof conditionalAccessScenarios)[number];

/**
 * What the authentication-methods registration report says about one user at one moment (userRegistrationDetails,
 * docs/graph-behaviour.md#registration-report). Identity fields (UPN, display name, user type, isAdmin) are read live; these are the computed ones.
 */
export interface RegistrationSnapshot {
  /** When the entry was computed (sandbox clock, ms): at generation or at a sign-in. */
  readonly computedAtMs: number;
  readonly methodsRegistered: readonly string[];
  readonly isMfaRegistered: boolean;
  readonly isMfaCapable: boolean;
  readonly isPasswordlessCapable: boolean;
  readonly isSsprRegistered: boolean;
  readonly systemPreferredAuthenticationMethods: readonly string[];
  readonly userPreferredMethodForSecondaryAuthentication: string;
}

/** How the registration report behaves; the admin API changes it. */
export interface RegistrationReportSettings {
  /** Sandbox-clock minutes between a sign-in recomputing an entry and the report showing it (default 60). */
  lagMinutes: number;
  /** false: the tenant has no Entra ID P1/P2, and the report answers 403 (default true). */
  licensed: boolean;
  /** Graph's reports limit: 5 requests per 10 s per app and tenant (default true). */
  throttled: boolean;
  /** Entries per page of the list; the report takes no `$top` (default 100, 1–999). */
  pageSize: number;
}

/** How the Conditional Access policies behave; the admin API changes it. */
export interface ConditionalAccessSettings {
  /** The named policy set in force, or `custom` after the admin API set policies one by one. */
  scenario: ConditionalAccessScenario | 'custom';
  /** Graph's Conditional Access limit: 1 request per second per tenant, 429 without Retry-After (default true). */
  throttled: boolean;
  /**
   * true (default): a policy's `authenticationStrength` comes back expanded, as observed; false: only `{"id"}`, the
   * shape a create sends (docs/graph-behaviour.md#conditional-access), so that the product's lookup is exercised.
   */
  expandStrength: boolean;
}

/** An object id as Graph writes it: a GUID in 8-4-4-4-12 hex form (either case). */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Graph's timestamp form: ISO 8601 in UTC, whole seconds (`2026-03-01T11:40:00Z`). */
export function graphDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
