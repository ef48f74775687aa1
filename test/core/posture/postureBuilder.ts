import type { MethodsPolicyFacts, PolicyTarget } from '../../../shared/core/posture/postureFacts.js';
import type { PostureInput, PostureSettings } from '../../../shared/core/posture/postureTypes.js';
import { passkeyTrackSettings } from '../../../rehearsal/sandboxSettings.js';
import { testConfig } from '../../helpers/testConfig.js';

export const campaignGroup = 'c0000000-0000-4000-8000-00000000ca11';
export const phoneRetiredGroup = 'c0000000-0000-4000-8000-0000000000fe';
export const staffGroup = '5aff0000-0000-4000-8000-000000000001';
export const otherGroup = '07e40000-0000-4000-8000-000000000002';

export const everyone: PolicyTarget = { id: 'all_users', targetType: 'group', isRegistrationRequired: false };
export const group = (id: string, extra: Partial<PolicyTarget> = {}): PolicyTarget => ({ id, targetType: 'group', ...extra });

/**
 * The tenant as `setup-passkeys --apply` leaves it for the default settings (passkey track, waves): SMS for everyone
 * (not for sign-in) but the phone-retired group, Fido2 with self-service for everyone, the campaign enabled for the
 * campaign group with fido2, migration complete. `change` replaces parts of it.
 */
export function setUpPolicy(change: Partial<Omit<MethodsPolicyFacts, 'methods'>> & { methods?: Partial<MethodsPolicyFacts['methods']> } = {}): MethodsPolicyFacts {
  const base: MethodsPolicyFacts = {
    policyMigrationState: 'migrationComplete',
    serializedBytes: 4_200,
    methods: {
      sms: { enabled: true, includeTargets: [{ ...everyone, isUsableForSignIn: false }], excludeTargets: [group(phoneRetiredGroup)] },
      voice: { enabled: false, includeTargets: [everyone], excludeTargets: [] },
      fido2: { enabled: true, includeTargets: [{ ...everyone, allowedPasskeyProfiles: [] }], excludeTargets: [], selfServiceRegistration: true, passkeyProfiles: 1, defaultPasskeyProfile: '00000000-0000-0000-0000-000000000001' },
      microsoftAuthenticator: { enabled: true, includeTargets: [{ ...everyone, authenticationMode: 'any' }], excludeTargets: [] },
      temporaryAccessPass: {
        enabled: true,
        includeTargets: [everyone],
        excludeTargets: [],
        defaultLifetimeInMinutes: 60,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        defaultLength: 8,
        isUsableOnce: false,
      },
    },
    campaign: { state: 'enabled', snoozeDurationInDays: 1, enforceRegistrationAfterAllowedSnoozes: false, includeTargets: [group(campaignGroup, { targetedAuthenticationMethod: 'fido2' })], excludeTargets: [] },
  };
  return { ...base, ...change, methods: { ...base.methods, ...change.methods } };
}

/** Settings as the app would load them, with the test groups. */
export function postureSettings(env: Record<string, string> = {}): PostureSettings {
  return testConfig({ ...passkeyTrackSettings, MFA_CAMPAIGN_GROUP_ID: campaignGroup, MFA_PHONE_RETIRED_GROUP_ID: phoneRetiredGroup, ...env });
}

/** Ten rollout users u0..u9: u0-u4 in the staff group, u5 in the other group, nobody in the journey groups yet. */
export const rolloutUserIds = Array.from({ length: 10 }, (_, index) => `u${index}`);
export const rolloutMembership = {
  userIds: rolloutUserIds,
  groupMembers: new Map<string, ReadonlySet<string>>([
    [staffGroup, new Set(['u0', 'u1', 'u2', 'u3', 'u4'])],
    [otherGroup, new Set(['u5', 'outsider'])],
    [campaignGroup, new Set<string>()],
    [phoneRetiredGroup, new Set<string>()],
  ]),
};

export function postureInput(change: Partial<PostureInput> = {}): PostureInput {
  return { methodsPolicy: setUpPolicy(), securityDefaults: { isEnabled: false }, rollout: rolloutMembership, missingGroups: [], ...change };
}
