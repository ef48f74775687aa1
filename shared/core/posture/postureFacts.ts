/**
 * What Graph says about the tenant's method posture, as the adapters read it: the Authentication methods policy
 * (docs/graph-behaviour.md#methods-policy-and-registration-campaign) and security defaults
 * (docs/graph-behaviour.md#security-defaults). Targets keep every property Graph sent, so that a change
 * (`setup-passkeys`) can write a target list back without losing what it does not know.
 */

/** An include or exclude target: a group id or `all_users` (or, from before user targets were removed, a user id). */
export interface PolicyTarget {
  readonly id: string;
  /** `group`, `user` (legacy) or a value the rollout does not know. */
  readonly targetType: string;
  /** Sms include targets: SMS is also a primary sign-in method (phone number and code) for them. */
  readonly isUsableForSignIn?: boolean;
  /** MicrosoftAuthenticator include targets: `any`, `push` or `deviceBasedPush` (passwordless only). */
  readonly authenticationMode?: string;
  /** Fido2 include targets: the passkey profiles that apply. */
  readonly allowedPasskeyProfiles?: readonly string[];
  /** Registration campaign include targets: `fido2` / `Fido2` / `microsoftAuthenticator` (compare without case). */
  readonly targetedAuthenticationMethod?: string;
  readonly [property: string]: unknown;
}

/** The id of the include target that means everyone. */
export const allUsersTarget = 'all_users';

export interface MethodConfigurationFacts {
  readonly enabled: boolean;
  readonly includeTargets: readonly PolicyTarget[];
  readonly excludeTargets: readonly PolicyTarget[];
}

export interface Fido2Facts extends MethodConfigurationFacts {
  /** "Allow self-service set up" (`isSelfServiceRegistrationAllowed`). */
  readonly selfServiceRegistration: boolean;
  readonly passkeyProfiles: number;
  /** The profile a new include target gets (null: the tenant has not opted into passkey profiles). */
  readonly defaultPasskeyProfile: string | null;
}

export interface TemporaryAccessPassFacts extends MethodConfigurationFacts {
  readonly defaultLifetimeInMinutes: number;
  readonly minimumLifetimeInMinutes: number;
  readonly maximumLifetimeInMinutes: number;
  readonly defaultLength: number;
  readonly isUsableOnce: boolean;
}

/** The five configurations the rollout reads; null when Graph's list has none (then the method counts as off). */
export interface MethodConfigurationsFacts {
  readonly sms: MethodConfigurationFacts | null;
  readonly voice: MethodConfigurationFacts | null;
  readonly fido2: Fido2Facts | null;
  readonly microsoftAuthenticator: MethodConfigurationFacts | null;
  readonly temporaryAccessPass: TemporaryAccessPassFacts | null;
}

export type MethodKey = keyof MethodConfigurationsFacts;

/** Graph's configuration ids (the path segment and `id`) and `@odata.type`s of the five. */
export const methodConfigurationIds: Readonly<Record<MethodKey, { readonly id: string; readonly odataType: string }>> = {
  sms: { id: 'Sms', odataType: '#microsoft.graph.smsAuthenticationMethodConfiguration' },
  voice: { id: 'Voice', odataType: '#microsoft.graph.voiceAuthenticationMethodConfiguration' },
  fido2: { id: 'Fido2', odataType: '#microsoft.graph.fido2AuthenticationMethodConfiguration' },
  microsoftAuthenticator: { id: 'MicrosoftAuthenticator', odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration' },
  temporaryAccessPass: { id: 'TemporaryAccessPass', odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration' },
};

/** `default` is the admin center's "Microsoft managed"; `unknown` stands for any value the rollout does not know. */
export type CampaignState = 'default' | 'enabled' | 'disabled' | 'unknown';

export interface CampaignFacts {
  readonly state: CampaignState;
  readonly snoozeDurationInDays: number;
  /** Registration required after 3 snoozes; null when Graph does not say (v1.0 documents it only in beta). */
  readonly enforceRegistrationAfterAllowedSnoozes: boolean | null;
  readonly includeTargets: readonly PolicyTarget[];
  readonly excludeTargets: readonly PolicyTarget[];
}

/** Graph's `policyMigrationState` (on the wire `preMigration`), or `unknown`. */
export type PolicyMigrationState = 'preMigration' | 'migrationInProgress' | 'migrationComplete' | 'unknown';

export interface MethodsPolicyFacts {
  readonly policyMigrationState: PolicyMigrationState;
  /** Bytes of the GET answer: Graph refuses to save the policy beyond 20 KB serialized. */
  readonly serializedBytes: number;
  readonly methods: MethodConfigurationsFacts;
  readonly campaign: CampaignFacts;
}

export interface SecurityDefaultsFacts {
  readonly isEnabled: boolean;
}
