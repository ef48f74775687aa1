/**
 * The tenant's Authentication methods policy and security defaults, as the sandbox holds them: Graph's own property
 * names and shapes (docs/graph-behaviour.md#methods-policy-and-registration-campaign, #security-defaults), so that
 * rendering an answer is a copy plus annotations, and the serialized size the 20 KB limit applies to is the size of
 * this data.
 */

/** The method configurations the sandbox models (read and PATCH); the policy's other built-in methods are read-only. */
export const modelledMethodIds = ['Sms', 'Voice', 'Fido2', 'MicrosoftAuthenticator', 'TemporaryAccessPass'] as const;
export type ModelledMethodId = (typeof modelledMethodIds)[number];

/** Built-in configurations Graph lists that the rollout never reads: served as they are, never written. */
export const readOnlyMethodIds = ['SoftwareOath', 'HardwareOath', 'Email', 'X509Certificate'] as const;
export type ReadOnlyMethodId = (typeof readOnlyMethodIds)[number];

/**
 * The fixed state of each read-only configuration, for all users. Hardware OATH is on: the generated tenant issued
 * tokens to some users (category `hardwareOathOnly`), which only work while the policy enables the method.
 */
export const readOnlyMethodStates: Readonly<Record<ReadOnlyMethodId, 'enabled' | 'disabled'>> = {
  SoftwareOath: 'disabled',
  HardwareOath: 'enabled',
  Email: 'disabled',
  X509Certificate: 'disabled',
};

/** `@odata.type` of each modelled configuration (a PATCH must name it). */
export const methodConfigurationTypes: Readonly<Record<ModelledMethodId, string>> = {
  Sms: '#microsoft.graph.smsAuthenticationMethodConfiguration',
  Voice: '#microsoft.graph.voiceAuthenticationMethodConfiguration',
  Fido2: '#microsoft.graph.fido2AuthenticationMethodConfiguration',
  MicrosoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
  TemporaryAccessPass: '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
};

/** The id an include target uses for everyone. */
export const allUsers = 'all_users';

/** What Graph refuses to save: the policy serialized over 20 KB, more than 3 passkey profiles (the default included). */
export const methodsPolicyLimits = {
  maxSerializedBytes: 20 * 1024,
  maxPasskeyProfiles: 3,
  snoozeDays: { min: 0, max: 14 },
  tapLifetimeMinutes: { min: 10, max: 43_200 },
  tapLength: { min: 8, max: 48 },
} as const;

export type TargetType = 'group' | 'user';

export interface ExcludeTarget {
  readonly id: string;
  readonly targetType: TargetType;
}

export interface IncludeTarget extends ExcludeTarget {
  readonly isRegistrationRequired: boolean;
}

/** `isUsableForSignIn`: SMS as a primary sign-in method (phone number + code), not only as a second factor. */
export interface SmsIncludeTarget extends IncludeTarget {
  readonly isUsableForSignIn: boolean;
}

export interface Fido2IncludeTarget extends IncludeTarget {
  /** Ids of passkey profiles whose rules the targeted users' passkeys must meet. */
  readonly allowedPasskeyProfiles: readonly string[];
}

export type AuthenticationMode = 'any' | 'deviceBasedPush' | 'push';

export interface AuthenticatorIncludeTarget extends IncludeTarget {
  readonly authenticationMode: AuthenticationMode;
}

export interface KeyRestrictions {
  readonly isEnforced: boolean;
  readonly enforcementType: 'allow' | 'block';
  readonly aaGuids: readonly string[];
}

export interface PasskeyProfile {
  readonly id: string;
  readonly name: string;
  readonly passkeyTypes: 'deviceBound' | 'synced' | 'deviceBound,synced';
  readonly attestationEnforcement: 'disabled' | 'registrationOnly';
  readonly keyRestrictions: KeyRestrictions;
}

interface ConfigurationBase<Id extends ModelledMethodId, Include extends IncludeTarget> {
  readonly id: Id;
  readonly state: 'enabled' | 'disabled';
  readonly includeTargets: readonly Include[];
  readonly excludeTargets: readonly ExcludeTarget[];
}

export type SmsConfiguration = ConfigurationBase<'Sms', SmsIncludeTarget>;

export interface VoiceConfiguration extends ConfigurationBase<'Voice', IncludeTarget> {
  readonly isOfficePhoneAllowed: boolean;
}

export interface Fido2Configuration extends ConfigurationBase<'Fido2', Fido2IncludeTarget> {
  /** "Allow self-service set up": without it users cannot register passkeys and the passkey campaign nudges nobody. */
  readonly isSelfServiceRegistrationAllowed: boolean;
  readonly isAttestationEnforced: boolean;
  readonly keyRestrictions: KeyRestrictions;
  readonly defaultPasskeyProfile: string | null;
  readonly passkeyProfiles: readonly PasskeyProfile[];
}

export interface MicrosoftAuthenticatorConfiguration extends ConfigurationBase<'MicrosoftAuthenticator', AuthenticatorIncludeTarget> {
  readonly isSoftwareOathEnabled: boolean;
  /** `displayAppInformationRequiredState` and the others: kept as written, never interpreted. */
  readonly featureSettings: Readonly<Record<string, unknown>>;
}

export interface TemporaryAccessPassConfiguration extends ConfigurationBase<'TemporaryAccessPass', IncludeTarget> {
  readonly defaultLifetimeInMinutes: number;
  readonly defaultLength: number;
  readonly minimumLifetimeInMinutes: number;
  readonly maximumLifetimeInMinutes: number;
  readonly isUsableOnce: boolean;
}

export interface MethodConfigurations {
  readonly Sms: SmsConfiguration;
  readonly Voice: VoiceConfiguration;
  readonly Fido2: Fido2Configuration;
  readonly MicrosoftAuthenticator: MicrosoftAuthenticatorConfiguration;
  readonly TemporaryAccessPass: TemporaryAccessPassConfiguration;
}

export type MethodConfiguration = MethodConfigurations[ModelledMethodId];

export interface CampaignIncludeTarget extends ExcludeTarget {
  /** As written: `fido2`, `Fido2` or `microsoftAuthenticator` (Graph compares it without regard to case). */
  readonly targetedAuthenticationMethod: string;
}

/** `registrationEnforcement.authenticationMethodsRegistrationCampaign`; `default` is the admin center's "Microsoft managed". */
export interface RegistrationCampaign {
  readonly state: 'default' | 'enabled' | 'disabled';
  readonly snoozeDurationInDays: number;
  /** false: unlimited snoozes; true: registration required after 3. */
  readonly enforceRegistrationAfterAllowedSnoozes: boolean;
  readonly includeTargets: readonly CampaignIncludeTarget[];
  readonly excludeTargets: readonly ExcludeTarget[];
}

export type PolicyMigrationState = 'preMigration' | 'migrationInProgress' | 'migrationComplete';

/** The tenant-wide policy (`/policies/authenticationMethodsPolicy`), without the read-only built-in configurations. */
export interface MethodsPolicy {
  readonly lastModifiedDateTime: string;
  readonly policyVersion: string;
  readonly policyMigrationState: PolicyMigrationState;
  readonly registrationEnforcement: { readonly authenticationMethodsRegistrationCampaign: RegistrationCampaign };
  /** Returned on v1.0 and beta; kept as written. */
  readonly systemCredentialPreferences: Readonly<Record<string, unknown>>;
  readonly reportSuspiciousActivitySettings: Readonly<Record<string, unknown>>;
  /** beta only. */
  readonly microsoftAuthenticatorPlatformSettings: Readonly<Record<string, unknown>>;
  /** beta only, and only once written (`passkeyDynamicMigration: true` opts out of the September 2026 changes). */
  readonly optOutSettings: { readonly passkeyDynamicMigration: boolean } | null;
  readonly authenticationMethodConfigurations: MethodConfigurations;
}

/** `/policies/identitySecurityDefaultsEnforcementPolicy`: only `isEnabled` can change. */
export interface SecurityDefaults {
  readonly isEnabled: boolean;
}

/**
 * Named states of the policy the admin API can switch to: `default` is the tenant as Microsoft left it after
 * 1 September 2026; each other one is a way the rollout's preflight must refuse to go on.
 */
export const methodsPolicyScenarios = [
  'default',
  'smsDisabled',
  'smsForOtherGroup',
  'fido2Disabled',
  'fido2NoSelfService',
  'campaignDisabled',
  'campaignOtherGroup',
  'campaignAuthenticator',
  'smsSignInUsable',
  'securityDefaultsOn',
  'migrationInProgress',
  'tapDisabled',
] as const;
export type MethodsPolicyScenario = (typeof methodsPolicyScenarios)[number];
