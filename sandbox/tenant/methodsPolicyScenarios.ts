import {
  allUsers,
  type MethodsPolicy,
  type MethodsPolicyScenario,
  type PasskeyProfile,
  type RegistrationCampaign,
  type SecurityDefaults,
} from './methodsPolicyModel.js';

/** The groups the scenarios point at: fixed per generated tenant. */
export interface MethodsPolicyScenarioIds {
  /** A group none of the rollout's users is in (the exclusion group): SMS "for a group that leaves them out". */
  readonly outsideGroupId: string;
  /** Some other group of the tenant (a ring): the campaign "targeting another group". */
  readonly otherGroupId: string;
}

/** The one passkey profile Microsoft created on 1 September 2026 for users enabled for SMS or voice: every type allowed. */
export const defaultPasskeyProfileId = '00000000-0000-0000-0000-000000000001';

const defaultProfile: PasskeyProfile = {
  id: defaultPasskeyProfileId,
  name: 'Default passkey profile',
  passkeyTypes: 'deviceBound,synced',
  attestationEnforcement: 'disabled',
  keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
};

const microsoftManagedCampaign: RegistrationCampaign = {
  state: 'default',
  snoozeDurationInDays: 1,
  enforceRegistrationAfterAllowedSnoozes: false,
  includeTargets: [{ id: allUsers, targetType: 'group', targetedAuthenticationMethod: 'fido2' }],
  excludeTargets: [],
};

const featureTarget = { includeTarget: { targetType: 'group', id: allUsers }, excludeTarget: { targetType: 'group', id: '00000000-0000-0000-0000-000000000000' } };

/**
 * The tenant after Microsoft's changes of 1 September 2026 (docs/graph-behaviour.md#sms-and-voice-retirement): SMS
 * enabled for all users (as a second factor, not for sign-in), voice off, passkeys (Fido2) enabled for all users with
 * self-service set-up in one profile that allows every passkey type, Microsoft Authenticator and the Temporary Access
 * Pass enabled for all users, and the registration campaign Microsoft managed, targeting passkeys with unlimited
 * snoozes. Migration from the legacy MFA and SSPR policies is complete.
 */
function defaultPolicy(now: string): MethodsPolicy {
  return {
    lastModifiedDateTime: now,
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: microsoftManagedCampaign },
    systemCredentialPreferences: { state: 'default', excludeTargets: [], includeTargets: [{ id: allUsers, targetType: 'group' }] },
    reportSuspiciousActivitySettings: { state: 'default', voiceReportingCode: 0, includeTarget: { id: allUsers, targetType: 'group' } },
    microsoftAuthenticatorPlatformSettings: { enableCompanionAppAllowedState: { state: 'default', ...featureTarget } },
    optOutSettings: null,
    authenticationMethodConfigurations: {
      Sms: { id: 'Sms', state: 'enabled', excludeTargets: [], includeTargets: [{ id: allUsers, targetType: 'group', isRegistrationRequired: false, isUsableForSignIn: false }] },
      Voice: { id: 'Voice', state: 'disabled', isOfficePhoneAllowed: false, excludeTargets: [], includeTargets: [{ id: allUsers, targetType: 'group', isRegistrationRequired: false }] },
      Fido2: {
        id: 'Fido2',
        state: 'enabled',
        isSelfServiceRegistrationAllowed: true,
        isAttestationEnforced: false,
        keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
        defaultPasskeyProfile: defaultPasskeyProfileId,
        passkeyProfiles: [defaultProfile],
        excludeTargets: [],
        includeTargets: [{ id: allUsers, targetType: 'group', isRegistrationRequired: false, allowedPasskeyProfiles: [defaultPasskeyProfileId] }],
      },
      MicrosoftAuthenticator: {
        id: 'MicrosoftAuthenticator',
        state: 'enabled',
        isSoftwareOathEnabled: false,
        featureSettings: {
          displayAppInformationRequiredState: { state: 'default', ...featureTarget },
          displayLocationInformationRequiredState: { state: 'default', ...featureTarget },
        },
        excludeTargets: [],
        includeTargets: [{ id: allUsers, targetType: 'group', isRegistrationRequired: false, authenticationMode: 'any' }],
      },
      TemporaryAccessPass: {
        id: 'TemporaryAccessPass',
        state: 'enabled',
        defaultLifetimeInMinutes: 60,
        defaultLength: 8,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        isUsableOnce: false,
        excludeTargets: [],
        includeTargets: [{ id: allUsers, targetType: 'group', isRegistrationRequired: false }],
      },
    },
  };
}

/**
 * The policy and security defaults of a named scenario (see methodsPolicyScenarios). Every scenario but `default`
 * changes one thing of the default tenant: the one thing the rollout's preflight must name.
 */
export function methodsPolicyScenario(scenario: MethodsPolicyScenario, ids: MethodsPolicyScenarioIds, now: string): { policy: MethodsPolicy; securityDefaults: SecurityDefaults } {
  const base = defaultPolicy(now);
  const configurations = base.authenticationMethodConfigurations;
  const campaign = base.registrationEnforcement.authenticationMethodsRegistrationCampaign;
  const withConfigurations = (change: Partial<MethodsPolicy['authenticationMethodConfigurations']>): MethodsPolicy => ({
    ...base,
    authenticationMethodConfigurations: { ...configurations, ...change },
  });
  const withCampaign = (change: Partial<RegistrationCampaign>): MethodsPolicy => ({
    ...base,
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: { ...campaign, ...change } },
  });
  const off = { isEnabled: false };
  switch (scenario) {
    case 'default':
      return { policy: base, securityDefaults: off };
    case 'smsDisabled':
      return { policy: withConfigurations({ Sms: { ...configurations.Sms, state: 'disabled' } }), securityDefaults: off };
    case 'smsForOtherGroup':
      return {
        policy: withConfigurations({ Sms: { ...configurations.Sms, includeTargets: [{ id: ids.outsideGroupId, targetType: 'group', isRegistrationRequired: false, isUsableForSignIn: false }] } }),
        securityDefaults: off,
      };
    case 'fido2Disabled':
      return { policy: withConfigurations({ Fido2: { ...configurations.Fido2, state: 'disabled' } }), securityDefaults: off };
    case 'fido2NoSelfService':
      return { policy: withConfigurations({ Fido2: { ...configurations.Fido2, isSelfServiceRegistrationAllowed: false } }), securityDefaults: off };
    case 'campaignDisabled':
      return { policy: withCampaign({ state: 'disabled' }), securityDefaults: off };
    case 'campaignOtherGroup':
      return { policy: withCampaign({ state: 'enabled', includeTargets: [{ id: ids.otherGroupId, targetType: 'group', targetedAuthenticationMethod: 'fido2' }] }), securityDefaults: off };
    case 'campaignAuthenticator':
      return {
        policy: withCampaign({ state: 'enabled', enforceRegistrationAfterAllowedSnoozes: true, includeTargets: [{ id: allUsers, targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }] }),
        securityDefaults: off,
      };
    case 'smsSignInUsable':
      return {
        policy: withConfigurations({ Sms: { ...configurations.Sms, includeTargets: configurations.Sms.includeTargets.map((target) => ({ ...target, isUsableForSignIn: true })) } }),
        securityDefaults: off,
      };
    case 'securityDefaultsOn':
      return { policy: base, securityDefaults: { isEnabled: true } };
    case 'migrationInProgress':
      return { policy: { ...base, policyMigrationState: 'migrationInProgress' }, securityDefaults: off };
    case 'tapDisabled':
      return { policy: withConfigurations({ TemporaryAccessPass: { ...configurations.TemporaryAccessPass, state: 'disabled' } }), securityDefaults: off };
  }
}
