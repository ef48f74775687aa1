/** Shapes of the sandbox tenant's data. Graph's JSON is rendered from these by the route handlers. */

/** Why a generated user is in the tenant: what the rollout is expected to do with them. Kept out of Graph answers. */
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

/** Authentication methods other than password and phone, which the sandbox only reads. */
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
      readonly aaGuid: string;
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
  };
  readonly users: readonly ManifestUser[];
  readonly counts: Readonly<Record<UserCategory, number>>;
}
