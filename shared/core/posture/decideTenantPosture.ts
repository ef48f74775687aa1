import type { MethodTargets } from '../journey/methodAvailability.js';
import { allowsGroup, groupIdsOf, hasUserTargets, methodTargetsOf } from './methodTargetsOf.js';
import { methodConfigurationIds, type MethodConfigurationFacts, type MethodKey, type PolicyTarget } from './postureFacts.js';
import { postureProblems, type PostureProblemCode } from './postureProblems.js';
import type { CampaignPosture, MethodPosture, PostureInput, PostureProblem, PostureSettings, ProblemSeverity, RolloutMembership, TapPolicy, TenantPosture } from './postureTypes.js';
import { rolloutReach, type RolloutReach } from './rolloutReach.js';
import { smsCalendar } from './smsCalendar.js';

/** From this size on the policy is "near" Graph's 20 KB limit: a few more targets may not be saved. */
export const policySizeWarningBytes = 16 * 1024;

const methodKeys: readonly MethodKey[] = ['sms', 'voice', 'fido2', 'microsoftAuthenticator', 'temporaryAccessPass'];
const campaignMethodOf = { passkey: 'fido2', authenticator: 'microsoftauthenticator' } as const;
const nudgeOf = (method: string | undefined): 'passkey' | 'authenticator' | null =>
  method?.toLowerCase() === 'fido2' ? 'passkey' : method?.toLowerCase() === 'microsoftauthenticator' ? 'authenticator' : null;
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const listOf = (ids: readonly string[]): string => (ids.length === 0 ? 'nobody' : ids.join(', '));

/**
 * The tenant's method posture for this rollout tonight, decided from what Graph said (the Authentication methods
 * policy and security defaults), the settings and the clock: the targets the journey decides availability with,
 * the campaign as configured and what it nudges, the TAP policy, the SMS calendar, the groups the roster refresh must
 * read, and every problem, each with its severity and the admin-center setting to change:
 *
 * - security defaults on: Conditional Access (strategy conditionalAccessGroup, the phishing-resistant step) is
 *   impossible (blocking); otherwise a warning;
 * - SMS and voice off for the rollout while the phone bridge is open: blocking on the phone track, a warning on the
 *   others (users without the target method go the Temporary Access Pass path); some users left out: a warning;
 * - SMS usable for sign-in for the rollout's users while phones are pre-registered: blocking unless
 *   MFA_ACK_SMS_SIGN_IN (a pre-registered mobile would quietly become a sign-in credential);
 * - the Sms or Voice configuration not excluding the phone-retired group while phones are retired: blocking;
 * - passkey track: Fido2 off, without self-service set-up, or not including the campaign group: blocking;
 *   authenticator track: Authenticator off or not including the campaign group: blocking;
 * - the campaign wrong for the mode (`waves`: enabled, the campaign group included with the track's method, nothing
 *   of the rollout's excluded; `microsoftManaged`: not disabled, nudging the track's method, reaching the rollout):
 *   blocking;
 * - the phone track on or after Microsoft's retirement date: blocking;
 * - migration not complete, the policy near 20 KB, a configuration missing, user targets, TAP off: warnings;
 * - a group a setting names that the tenant does not have: blocking.
 */
export function decideTenantPosture(input: PostureInput, settings: PostureSettings, now: Date): TenantPosture {
  const { methodsPolicy: policy, securityDefaults } = input;
  const problems: PostureProblem[] = [];
  const add = (code: PostureProblemCode, severity: ProblemSeverity, message: string): void => {
    problems.push({ code, severity, message, fix: postureProblems[code].fix });
  };
  const reach: RolloutReach | null = input.rollout === null ? null : rolloutReach(input.rollout);
  const rolloutUsers = input.rollout?.userIds.length ?? null;
  const targetsOf = Object.fromEntries(methodKeys.map((key) => [key, methodTargetsOf(policy.methods[key])])) as Record<MethodKey, MethodTargets>;
  const calendar = smsCalendar(settings, now);
  const track = settings.targetMethod;
  const onRegistrationTrack = track !== 'phone';
  const campaignGroup = settings.campaignGroupId?.toLowerCase();

  for (const missing of input.missingGroups) add('groupNotFound', 'blocking', `${missing.setting} names the group ${missing.groupId}, which the tenant does not have`);

  // Security defaults and Conditional Access cannot be on together (docs/graph-behaviour.md#security-defaults).
  if (securityDefaults.isEnabled) {
    const needsCa = [
      ...(settings.strategy === 'conditionalAccessGroup' ? ['MFA_STRATEGY=conditionalAccessGroup'] : []),
      ...(settings.phishingResistantGroupId !== undefined ? ['the phishing-resistant step (MFA_PHISHING_RESISTANT_GROUP_ID)'] : []),
    ];
    if (needsCa.length > 0) add('securityDefaultsOn', 'blocking', `security defaults are on, and Conditional Access policies cannot be used alongside them: ${needsCa.join(' and ')} is impossible`);
    else add('securityDefaultsOn', 'warning', 'security defaults are on: they prompt every user to register Microsoft Authenticator on their own, and per-user MFA states show disabled under them');
  }

  if (track === 'phone' && !calendar.bridgeOpen) {
    add('phoneTrackRetired', 'blocking', `MFA_TARGET_METHOD=phone while Microsoft's SMS and voice delivery is retired (since ${settings.smsRetirementDate}): a pre-registered phone makes nobody MFA-capable`);
  }

  // The phone bridge: SMS or voice must reach the users it is built for.
  if (calendar.bridgeOpen) {
    const phoneTargets = [targetsOf.sms, targetsOf.voice];
    // users the journey has already taken off SMS (the phone-retired group) need no bridge: they are not counted
    const bridgeRollout = input.rollout === null ? null : withoutPhoneRetired(input.rollout, settings);
    const reached = bridgeRollout === null ? null : rolloutReach(bridgeRollout)(...phoneTargets);
    const bridgeUsers = bridgeRollout?.userIds.length ?? null;
    const off = reached === 0 || phoneTargets.every((targets) => targets.state !== 'enabled' || (!targets.includesAllUsers && targets.includeGroupIds.length === 0));
    if (off) {
      const consequence = track === 'phone' ? 'no phone bridge is possible on the phone track' : 'nobody gets the phone bridge: users without the target method go the Temporary Access Pass path';
      add('smsVoiceOff', track === 'phone' ? 'blocking' : 'warning', `SMS and voice reach none of the rollout's users (SMS ${targetsOf.sms.state}, voice ${targetsOf.voice.state}): ${consequence}`);
    } else if (reached !== null && bridgeUsers !== null && reached < bridgeUsers) {
      add('smsVoicePartial', 'warning', `${bridgeUsers - reached} of ${bridgeUsers} rollout users are not allowed SMS or voice by the methods policy: they get no phone bridge`);
    }
    // Pre-registering a mobile would also make it a sign-in credential for them (graph-behaviour #phone-methods).
    const sms = policy.methods.sms;
    const signInTargets = sms?.enabled === true ? sms.includeTargets.filter((target) => target.isUsableForSignIn === true) : [];
    if (sms !== null && signInTargets.length > 0) {
      const signIn = methodTargetsOf({ ...sms, includeTargets: signInTargets });
      const signInReach = reach?.(signIn) ?? null;
      if (signInReach !== 0) {
        const who = signInReach === null ? `the targets ${listOf(signInTargets.map((target) => target.id))}` : `${signInReach} rollout user(s)`;
        const message = `SMS is usable for sign-in for ${who}: pre-registering their mobile would also let them sign in with phone number and code alone`;
        if (settings.acknowledgeSmsSignIn) add('smsSignInOn', 'warning', `${message} (acknowledged by MFA_ACK_SMS_SIGN_IN)`);
        else add('smsSignInOn', 'blocking', message);
      }
    }
  }

  if (onRegistrationTrack && settings.retirePhoneAfterPasskey && settings.phoneRetiredGroupId !== undefined) {
    const retired = settings.phoneRetiredGroupId.toLowerCase();
    const keeping = (['sms', 'voice'] as const).filter((key) => targetsOf[key].state === 'enabled' && !targetsOf[key].excludeGroupIds.includes(retired));
    if (keeping.length > 0) {
      add('phoneRetiredNotExcluded', 'blocking', `${keeping.map((key) => methodConfigurationIds[key].id).join(' and ')} ${keeping.length === 1 ? 'does' : 'do'} not exclude MFA_PHONE_RETIRED_GROUP_ID (${settings.phoneRetiredGroupId}): users put there would keep SMS and voice`);
    }
  }

  if (track === 'passkey') checkRegistrationMethod('fido2');
  if (track === 'authenticator') checkRegistrationMethod('microsoftAuthenticator');

  function checkRegistrationMethod(key: 'fido2' | 'microsoftAuthenticator'): void {
    const configuration = policy.methods[key];
    const name = key === 'fido2' ? 'Passkey (FIDO2)' : 'Microsoft Authenticator';
    const offCode = key === 'fido2' ? 'fido2Off' : 'authenticatorOff';
    if (configuration === null || !configuration.enabled) {
      add(offCode, 'blocking', configuration === null ? `Graph lists no ${name} configuration: nobody can register it` : `the ${name} method is disabled: nobody can register it`);
      return;
    }
    if (policy.methods.fido2 !== null && key === 'fido2' && !policy.methods.fido2.selfServiceRegistration) {
      add('fido2NoSelfService', 'blocking', 'Passkey (FIDO2) does not allow self-service set-up: users cannot register a passkey and the passkey campaign nudges nobody');
    }
    if (campaignGroup !== undefined && !allowsGroup(targetsOf[key], campaignGroup)) {
      add(key === 'fido2' ? 'fido2MissesCampaignGroup' : 'authenticatorMissesCampaignGroup', 'blocking', `the ${name} method does not include MFA_CAMPAIGN_GROUP_ID (${settings.campaignGroupId ?? ''}): the campaign group's users could not register it`);
    }
    const allowed = reach?.(targetsOf[key]) ?? null;
    if (key === 'fido2' && allowed !== null && rolloutUsers !== null && allowed < rolloutUsers) {
      add('fido2MissesUsers', 'warning', `${rolloutUsers - allowed} of ${rolloutUsers} rollout users are not allowed passkeys by the methods policy`);
    }
    if (key === 'microsoftAuthenticator') {
      const passwordlessOnly = configuration.includeTargets.filter((target) => target.authenticationMode?.toLowerCase() === 'devicebasedpush');
      if (passwordlessOnly.length > 0) add('authenticatorPasswordlessOnly', 'warning', `Authenticator targets ${listOf(passwordlessOnly.map((target) => target.id))} are passwordless only (deviceBasedPush): the Authenticator campaign does not nudge them`);
    }
  }

  const campaign = decideCampaign();

  function decideCampaign(): CampaignPosture {
    const facts = policy.campaign;
    const fido2 = policy.methods.fido2;
    const targetedMethods = [...new Set(facts.includeTargets.map((target) => nudgeOf(target.targetedAuthenticationMethod)))];
    const nudges =
      facts.state === 'enabled'
        ? (targetedMethods[0] ?? null)
        : facts.state === 'default'
          ? fido2?.enabled === true && fido2.selfServiceRegistration
            ? 'passkey'
            : 'authenticator'
          : null;
    const campaignTargets: MethodTargets = { ...methodTargetsOf({ enabled: facts.state === 'enabled' || facts.state === 'default', includeTargets: facts.includeTargets, excludeTargets: facts.excludeTargets }) };
    const included = reach?.(campaignTargets) ?? null;
    const posture: CampaignPosture = { ...facts, nudges, rolloutUsersIncluded: included };
    if (!onRegistrationTrack) return posture;
    const wanted = campaignMethodOf[track];
    const describe = describeCampaign(facts.state, facts.includeTargets);
    if (settings.campaignMode === 'waves') {
      if (facts.state !== 'enabled') add('campaignOff', 'blocking', `the registration campaign is ${describe}; MFA_CAMPAIGN_MODE=waves needs it enabled for MFA_CAMPAIGN_GROUP_ID`);
      const groupTarget = campaignGroup === undefined ? undefined : facts.includeTargets.find((target) => same(target.id, campaignGroup));
      if (groupTarget === undefined) add('campaignMissesGroup', 'blocking', `the registration campaign does not include MFA_CAMPAIGN_GROUP_ID (${settings.campaignGroupId ?? ''}); it targets ${listOf(facts.includeTargets.map((target) => target.id))}`);
      const wrong = facts.includeTargets.filter((target) => (target.targetedAuthenticationMethod ?? '').toLowerCase() !== wanted);
      if (wrong.length > 0) add('campaignWrongMethod', 'blocking', `the registration campaign targets ${wrong.map((target) => `${target.id} with ${target.targetedAuthenticationMethod ?? 'no method'}`).join(', ')}; MFA_TARGET_METHOD=${track} needs ${wanted === 'fido2' ? 'fido2 (passkeys)' : 'microsoftAuthenticator'}`);
      if (facts.includeTargets.some((target) => same(target.id, 'all_users'))) add('campaignIncludesEveryone', 'warning', 'the registration campaign includes all users: everyone is nudged at once, not wave by wave');
      checkCampaignExclusions(facts.excludeTargets);
    } else {
      if (facts.state === 'disabled' || facts.state === 'unknown') {
        add('campaignOff', 'blocking', `the registration campaign is ${describe}: nobody is nudged to register`);
        return posture;
      }
      if (facts.state === 'enabled') add('campaignNotMicrosoftManaged', 'warning', `the registration campaign is not Microsoft managed any more: it is ${describe}`);
      if (nudges !== null && nudges !== track) add('campaignWrongMethod', 'blocking', `the registration campaign nudges users to register ${nudges === 'passkey' ? 'a passkey' : 'Microsoft Authenticator'} (${describe}); MFA_TARGET_METHOD=${track}`);
      if (included === 0) add('campaignMissesUsers', 'blocking', `the registration campaign reaches none of the rollout's users (${describe})`);
      else if (included !== null && rolloutUsers !== null && included < rolloutUsers) add('campaignMissesUsers', 'warning', `the registration campaign leaves out ${rolloutUsers - included} of ${rolloutUsers} rollout users (${describe})`);
    }
    return posture;
  }

  function checkCampaignExclusions(excludeTargets: readonly PolicyTarget[]): void {
    const excluded = groupIdsOf(excludeTargets);
    if (campaignGroup !== undefined && excluded.includes(campaignGroup)) {
      add('campaignExcludesRollout', 'blocking', `the registration campaign excludes MFA_CAMPAIGN_GROUP_ID (${settings.campaignGroupId ?? ''}) itself`);
      return;
    }
    if (excluded.length === 0) return;
    if (reach === null) {
      add('campaignExcludesRollout', 'warning', `the registration campaign excludes ${listOf(excluded)}; whether they hold rollout users is not known until the roster is read`);
      return;
    }
    const hit = reach({ state: 'enabled', includesAllUsers: false, includeGroupIds: excluded, excludeGroupIds: [] });
    if (hit > 0) add('campaignExcludesRollout', 'blocking', `the registration campaign excludes ${listOf(excluded)}, which hold ${hit} rollout user(s): they would never be nudged`);
  }

  if (policy.policyMigrationState !== 'migrationComplete') {
    add('migrationIncomplete', 'warning', `the methods policy migration is ${policy.policyMigrationState}: the legacy MFA and SSPR policies may still enable methods the rollout does not see`);
  }
  if (policy.serializedBytes >= policySizeWarningBytes) {
    add('policyNearSizeLimit', 'warning', `the methods policy is ${(policy.serializedBytes / 1024).toFixed(1)} KB of the 20 KB Graph can save: more targets may be refused`);
  }
  for (const key of methodKeys) {
    const configuration: MethodConfigurationFacts | null = policy.methods[key];
    if (configuration === null) add('methodConfigurationMissing', 'warning', `Graph lists no ${methodConfigurationIds[key].id} configuration: it counts as disabled`);
    else if (hasUserTargets([...configuration.includeTargets, ...configuration.excludeTargets])) {
      add('userTargetsIgnored', 'warning', `the ${methodConfigurationIds[key].id} method targets individual users, which the rollout does not read: they count as not included`);
    }
  }
  const tap = policy.methods.temporaryAccessPass;
  if (onRegistrationTrack && (tap === null || !tap.enabled)) add('tapOff', 'warning', 'the Temporary Access Pass is off: users without a usable phone cannot be given one by the helpdesk');

  const methods = Object.fromEntries(
    methodKeys.map((key) => {
      const targets = targetsOf[key];
      const method: MethodPosture = {
        enabled: targets.state === 'enabled',
        present: policy.methods[key] !== null,
        includesAllUsers: targets.includesAllUsers,
        includeGroupIds: targets.includeGroupIds,
        excludeGroupIds: targets.excludeGroupIds,
        rolloutUsersAllowed: reach?.(targets) ?? null,
      };
      return [key, method];
    }),
  ) as Record<MethodKey, MethodPosture>;
  const { state: _tapState, ...tapTargets } = targetsOf.temporaryAccessPass;
  const temporaryAccessPass: TapPolicy | null =
    tap === null
      ? null
      : {
          ...tapTargets,
          enabled: tap.enabled,
          defaultLifetimeInMinutes: tap.defaultLifetimeInMinutes,
          minimumLifetimeInMinutes: tap.minimumLifetimeInMinutes,
          maximumLifetimeInMinutes: tap.maximumLifetimeInMinutes,
          defaultLength: tap.defaultLength,
          isUsableOnce: tap.isUsableOnce,
        };
  const membershipGroupIds = new Set<string>();
  for (const key of methodKeys) for (const id of [...targetsOf[key].includeGroupIds, ...targetsOf[key].excludeGroupIds]) membershipGroupIds.add(id);
  for (const id of [...groupIdsOf(policy.campaign.includeTargets), ...groupIdsOf(policy.campaign.excludeTargets)]) membershipGroupIds.add(id);
  for (const id of [settings.campaignGroupId, settings.phishingResistantGroupId, settings.phoneRetiredGroupId]) if (id !== undefined) membershipGroupIds.add(id.toLowerCase());

  const ordered = [...problems.filter((problem) => problem.severity === 'blocking'), ...problems.filter((problem) => problem.severity === 'warning')];
  return {
    decidedAt: now.toISOString(),
    targets: { sms: targetsOf.sms, voice: targetsOf.voice, fido2: targetsOf.fido2, microsoftAuthenticator: targetsOf.microsoftAuthenticator },
    methods,
    smsSignInTargetIds: policy.methods.sms?.includeTargets.filter((target) => target.isUsableForSignIn === true).map((target) => target.id) ?? [],
    fido2SelfServiceRegistration: policy.methods.fido2?.selfServiceRegistration ?? false,
    passkeyProfiles: policy.methods.fido2?.passkeyProfiles ?? 0,
    campaign,
    temporaryAccessPass,
    securityDefaults: securityDefaults.isEnabled,
    policyMigrationState: policy.policyMigrationState,
    policySizeBytes: policy.serializedBytes,
    sms: calendar,
    rolloutUsers,
    membershipGroupIds: [...membershipGroupIds].sort(),
    problems: ordered,
    blocked: ordered.some((problem) => problem.severity === 'blocking'),
  };
}

/** "Microsoft managed for all_users with fido2", "enabled for <group> with microsoftAuthenticator", "disabled". */
function describeCampaign(state: CampaignPosture['state'], includeTargets: readonly PolicyTarget[]): string {
  const stateText = state === 'default' ? 'Microsoft managed' : state === 'unknown' ? 'in a state the rollout does not know' : state;
  if (state === 'disabled' || includeTargets.length === 0) return stateText;
  const targets = includeTargets.map((target) => `${target.id} with ${target.targetedAuthenticationMethod ?? 'no method'}`).join(', ');
  return `${stateText} for ${targets}`;
}

/** The rollout's users less those in the phone-retired group (lower-case ids). */
function withoutPhoneRetired(rollout: RolloutMembership, settings: PostureSettings): RolloutMembership {
  const retiredGroup = settings.phoneRetiredGroupId?.toLowerCase();
  const retired = retiredGroup === undefined ? undefined : rollout.groupMembers.get(retiredGroup);
  if (retired === undefined || retired.size === 0) return rollout;
  return { userIds: rollout.userIds.filter((id) => !retired.has(id)), groupMembers: rollout.groupMembers };
}
