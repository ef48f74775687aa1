const methods = 'Entra admin center > Protection > Authentication methods';
const setup = 'or run `mfa-rollout setup-passkeys --apply`';

/**
 * Every problem the tenant posture can name, with where an administrator changes it. The severity depends on the
 * settings (decideTenantPosture says which); the code and the fix do not.
 */
export const postureProblems = {
  securityDefaultsOn: { fix: 'Entra admin center > Identity > Overview > Properties > Manage security defaults > Disabled (after Conditional Access policies replace them)' },
  groupNotFound: { fix: 'The app setting named in the message: the object id of an existing group' },
  phoneTrackRetired: { fix: 'App setting MFA_TARGET_METHOD=passkey (or authenticator); MFA_SMS_DELIVERY=customerManaged only once a telephony provider is configured and the users are migrated to it' },
  smsVoiceOff: { fix: `${methods} > Policies > SMS (and Voice call) > Enable and target: include the rollout's users` },
  smsVoicePartial: { fix: `${methods} > Policies > SMS (and Voice call) > Enable and target: include the users named as not allowed, or leave them to the Temporary Access Pass path` },
  smsSignInOn: { fix: `${methods} > Policies > SMS > Enable and target > each target > Use for sign-in: off (or MFA_ACK_SMS_SIGN_IN=true to accept it)` },
  phoneRetiredNotExcluded: { fix: `${methods} > Policies > SMS and Voice call > Enable and target > Exclude > Add groups: MFA_PHONE_RETIRED_GROUP_ID, ${setup}` },
  fido2Off: { fix: `${methods} > Policies > Passkey (FIDO2) > Enable and target: Enable, include MFA_CAMPAIGN_GROUP_ID, ${setup}` },
  fido2NoSelfService: { fix: `${methods} > Policies > Passkey (FIDO2) > Configure > Allow self-service set up: Yes, ${setup}` },
  fido2MissesCampaignGroup: { fix: `${methods} > Policies > Passkey (FIDO2) > Enable and target > Include > Add groups: MFA_CAMPAIGN_GROUP_ID (and take it out of Exclude), ${setup}` },
  fido2MissesUsers: { fix: `${methods} > Policies > Passkey (FIDO2) > Enable and target: include the users not allowed, or leave them to the Temporary Access Pass path` },
  authenticatorOff: { fix: `${methods} > Policies > Microsoft Authenticator > Enable and target: Enable, include MFA_CAMPAIGN_GROUP_ID` },
  authenticatorMissesCampaignGroup: { fix: `${methods} > Policies > Microsoft Authenticator > Enable and target > Include > Add groups: MFA_CAMPAIGN_GROUP_ID (and take it out of Exclude), ${setup}` },
  authenticatorPasswordlessOnly: { fix: `${methods} > Policies > Microsoft Authenticator > Enable and target > each target > Authentication mode: Any or Push (the campaign does not nudge passwordless-only users)` },
  campaignOff: { fix: `${methods} > Registration campaign > Edit > State: Enabled (waves) or Microsoft managed, ${setup}` },
  campaignMissesGroup: { fix: `${methods} > Registration campaign > Edit > Include: MFA_CAMPAIGN_GROUP_ID with the track's method, ${setup}` },
  campaignWrongMethod: { fix: `${methods} > Registration campaign > Edit > Authentication method: the track's (MFA_TARGET_METHOD), ${setup}` },
  campaignExcludesRollout: { fix: `${methods} > Registration campaign > Edit > Exclude: remove the groups that hold the rollout's users` },
  campaignIncludesEveryone: { fix: `${methods} > Registration campaign > Edit > Include: only MFA_CAMPAIGN_GROUP_ID, so the waves pace the nudges (or MFA_CAMPAIGN_MODE=microsoftManaged)` },
  campaignNotMicrosoftManaged: { fix: `${methods} > Registration campaign > Edit > State: Microsoft managed (or MFA_CAMPAIGN_MODE=waves)` },
  campaignMissesUsers: { fix: `${methods} > Registration campaign > Edit > Include: the rollout's users (all users or their groups)` },
  migrationIncomplete: { fix: `${methods} > Policies > Manage migration > Migration complete (after checking the legacy MFA and SSPR settings)` },
  policyNearSizeLimit: { fix: `${methods} > Policies: consolidate the groups each method and the campaign target (one group per method)` },
  methodConfigurationMissing: { fix: `${methods} > Policies: the method named in the message` },
  userTargetsIgnored: { fix: `${methods} > Policies > the method named > Enable and target: replace the user targets with a group` },
  tapOff: { fix: `${methods} > Policies > Temporary Access Pass > Enable and target (the helpdesk path for users without a usable phone)` },
} as const satisfies Record<string, { readonly fix: string }>;

export type PostureProblemCode = keyof typeof postureProblems;
