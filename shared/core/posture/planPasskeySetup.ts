import { allUsersTarget, type MethodConfigurationFacts, type MethodKey, type MethodsPolicyFacts, type PolicyTarget } from './postureFacts.js';
import type { PostureSettings } from './postureTypes.js';

/** What `setup-passkeys` writes: the registration campaign, or one method configuration. */
export type SetupTarget = 'campaign' | MethodKey;

/** One PATCH: the properties it writes, as they were and as they will be, in Graph's shapes (target lists whole). */
export interface SetupWrite {
  readonly target: SetupTarget;
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  /** One line per change, in plain words. */
  readonly changes: readonly string[];
}

export interface PasskeySetupPlan {
  /** In the order to write them: the method configurations first, then the campaign. */
  readonly writes: readonly SetupWrite[];
  /** What it leaves as it is, and why (an administrator's decision, or a flag it needs). */
  readonly left: readonly string[];
}

export interface PasskeySetupOptions {
  /** Allow a method to be enabled for all users (never done otherwise). */
  readonly allUsers: boolean;
  /** Make the campaign group the campaign's only include target (other targets are kept otherwise). */
  readonly campaignGroupOnly: boolean;
}

export type SetupSettings = Pick<PostureSettings, 'targetMethod' | 'campaignMode' | 'campaignGroupId' | 'phishingResistantGroupId' | 'retirePhoneAfterPasskey' | 'phoneRetiredGroupId'>;

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const isEveryone = (target: PolicyTarget): boolean => same(target.id, allUsersTarget);
const names = (targets: readonly PolicyTarget[]): string => targets.map((target) => target.id).join(', ');
const configurationNames: Readonly<Record<MethodKey, string>> = { sms: 'Sms', voice: 'Voice', fido2: 'Fido2', microsoftAuthenticator: 'MicrosoftAuthenticator', temporaryAccessPass: 'TemporaryAccessPass' };

/**
 * What `mfa-rollout setup-passkeys` writes so the tenant fits the settings (pure: the shell reads the policy, then
 * records the plan's before-state and makes its writes):
 *
 * - the target method's configuration (Fido2 on the passkey track, Microsoft Authenticator on the authenticator
 *   track): enabled, self-service set-up on (Fido2), the campaign group (and the phishing-resistant group) included
 *   unless all users already are, and taken out of the exclusions. A disabled method is enabled for the rollout's
 *   groups only; its old targets are enabled too only with `allUsers` (they may hold anyone);
 * - the registration campaign (`waves` mode): enabled, the campaign group included with the track's method, taken
 *   out of the exclusions; snooze settings kept; other include targets kept unless `campaignGroupOnly`, except that
 *   Graph takes one method at a time, so targets with another method stop the write unless `campaignGroupOnly`;
 *   in `microsoftManaged` mode the campaign is left as it is;
 * - the Sms and Voice configurations (enabled ones, while phones are retired): the phone-retired group excluded.
 *
 * Following Microsoft's one-group-per-method guidance it adds the rollout's groups and removes nothing else unless
 * asked, and it never widens a method to all users without `allUsers`.
 */
export function planPasskeySetup(policy: MethodsPolicyFacts, settings: SetupSettings, options: PasskeySetupOptions): PasskeySetupPlan {
  const writes: SetupWrite[] = [];
  const left: string[] = [];
  if (settings.targetMethod === 'phone') return { writes, left: ['MFA_TARGET_METHOD=phone: there is no passkey track to set up'] };

  const key = settings.targetMethod === 'passkey' ? 'fido2' : 'microsoftAuthenticator';
  const rolloutGroups = [settings.campaignGroupId, ...(key === 'fido2' ? [settings.phishingResistantGroupId] : [])].filter((id): id is string => id !== undefined);
  const method = planMethod(key, policy.methods[key], rolloutGroups, key === 'fido2' ? policy.methods.fido2?.defaultPasskeyProfile ?? null : null, options, left);
  if (method !== null) writes.push(method);

  if (settings.retirePhoneAfterPasskey && settings.phoneRetiredGroupId !== undefined) {
    for (const phone of ['sms', 'voice'] as const) {
      const configuration = policy.methods[phone];
      if (configuration === null || !configuration.enabled) continue;
      if (configuration.excludeTargets.some((target) => same(target.id, settings.phoneRetiredGroupId ?? ''))) continue;
      const excludeTargets = [...configuration.excludeTargets, { id: settings.phoneRetiredGroupId, targetType: 'group' }];
      writes.push({ target: phone, before: { excludeTargets: configuration.excludeTargets }, after: { excludeTargets }, changes: [`exclude the phone-retired group ${settings.phoneRetiredGroupId}`] });
    }
  }

  if (settings.campaignMode === 'microsoftManaged') left.push('the registration campaign: left as Microsoft set it (MFA_CAMPAIGN_MODE=microsoftManaged)');
  else if (settings.campaignGroupId !== undefined) {
    const campaign = planCampaign(policy.campaign, settings.campaignGroupId, settings.targetMethod === 'passkey' ? 'fido2' : 'microsoftAuthenticator', options, left);
    if (campaign !== null) writes.push(campaign);
  }
  return { writes, left };
}

function newTarget(key: 'fido2' | 'microsoftAuthenticator', id: string, defaultProfile: string | null): PolicyTarget {
  return key === 'fido2'
    ? { id, targetType: 'group', isRegistrationRequired: false, allowedPasskeyProfiles: defaultProfile === null ? [] : [defaultProfile] }
    : { id, targetType: 'group', isRegistrationRequired: false, authenticationMode: 'any' };
}

function planMethod(
  key: 'fido2' | 'microsoftAuthenticator',
  configuration: (MethodConfigurationFacts & { readonly selfServiceRegistration?: boolean }) | null,
  groups: readonly string[],
  defaultProfile: string | null,
  options: PasskeySetupOptions,
  left: string[],
): SetupWrite | null {
  const name = configurationNames[key];
  if (configuration === null) {
    left.push(`${name}: Graph lists no such configuration; set it up in the admin center`);
    return null;
  }
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const changes: string[] = [];
  let includeTargets = [...configuration.includeTargets];
  if (!configuration.enabled) {
    if (groups.length === 0 && !options.allUsers) {
      left.push(`${name} is disabled and no rollout group names whom to enable it for: pass --all-users to enable it for all users`);
      return null;
    }
    before.state = 'disabled';
    after.state = 'enabled';
    changes.push('enable the method');
    if (options.allUsers) {
      if (!includeTargets.some(isEveryone)) {
        includeTargets = [...includeTargets, newTarget(key, allUsersTarget, defaultProfile)];
        changes.push('include all users (--all-users)');
      }
    } else {
      const dropped = includeTargets.filter((target) => !groups.some((id) => same(id, target.id)));
      if (dropped.length > 0) {
        includeTargets = includeTargets.filter((target) => !dropped.includes(target));
        changes.push(`leave out the disabled method's old targets ${names(dropped)} (they may hold anyone: --all-users keeps them)`);
      }
    }
  }
  const covered = includeTargets.some(isEveryone);
  for (const id of groups) {
    if (covered || includeTargets.some((target) => same(target.id, id))) continue;
    includeTargets = [...includeTargets, newTarget(key, id, defaultProfile)];
    changes.push(`include the group ${id}`);
  }
  if (includeTargets.length !== configuration.includeTargets.length || includeTargets.some((target, index) => target !== configuration.includeTargets[index])) {
    before.includeTargets = configuration.includeTargets;
    after.includeTargets = includeTargets;
  }
  const excluded = configuration.excludeTargets.filter((target) => groups.some((id) => same(id, target.id)));
  if (excluded.length > 0) {
    before.excludeTargets = configuration.excludeTargets;
    after.excludeTargets = configuration.excludeTargets.filter((target) => !excluded.includes(target));
    changes.push(`stop excluding ${names(excluded)}`);
  }
  if (key === 'fido2' && configuration.selfServiceRegistration === false) {
    before.isSelfServiceRegistrationAllowed = false;
    after.isSelfServiceRegistrationAllowed = true;
    changes.push('allow self-service set-up');
  }
  return changes.length === 0 ? null : { target: key, before, after, changes };
}

function planCampaign(campaign: MethodsPolicyFacts['campaign'], groupId: string, method: 'fido2' | 'microsoftAuthenticator', options: PasskeySetupOptions, left: string[]): SetupWrite | null {
  if (campaign.state === 'unknown') {
    left.push('the registration campaign: not changed, its state is one the rollout does not know; set it in the admin center');
    return null;
  }
  const others = campaign.includeTargets.filter((target) => !same(target.id, groupId));
  const otherMethod = others.filter((target) => (target.targetedAuthenticationMethod ?? '').toLowerCase() !== method.toLowerCase());
  if (otherMethod.length > 0 && !options.campaignGroupOnly) {
    left.push(`the registration campaign: not changed, it targets ${others.map((target) => `${target.id} with ${target.targetedAuthenticationMethod ?? 'no method'}`).join(', ')} and Graph takes one method at a time (--campaign-group-only makes the campaign group its only target)`);
    return null;
  }
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const changes: string[] = [];
  if (campaign.state !== 'enabled') {
    before.state = campaign.state;
    after.state = 'enabled';
    changes.push(`state ${campaign.state === 'default' ? 'Microsoft managed' : campaign.state} -> enabled`);
  }
  const own = campaign.includeTargets.find((target) => same(target.id, groupId));
  const ownTarget: PolicyTarget = { ...(own ?? { id: groupId, targetType: 'group' }), targetedAuthenticationMethod: method };
  const kept = options.campaignGroupOnly ? [] : others;
  if (options.campaignGroupOnly && others.length > 0) changes.push(`stop including ${names(others)} (--campaign-group-only)`);
  else if (others.some(isEveryone)) left.push('the registration campaign: all users stay included (everyone is nudged, not wave by wave); --campaign-group-only leaves only the campaign group');
  if (own === undefined) changes.push(`include the campaign group ${groupId} with ${method}`);
  else if ((own.targetedAuthenticationMethod ?? '').toLowerCase() !== method.toLowerCase()) changes.push(`target ${method} for the campaign group (was ${own.targetedAuthenticationMethod ?? 'none'})`);
  if (changes.some((change) => change.startsWith('include') || change.startsWith('target') || change.startsWith('stop including'))) {
    before.includeTargets = campaign.includeTargets;
    after.includeTargets = [...kept, ownTarget];
  }
  const excluded = campaign.excludeTargets.filter((target) => same(target.id, groupId));
  if (excluded.length > 0) {
    before.excludeTargets = campaign.excludeTargets;
    after.excludeTargets = campaign.excludeTargets.filter((target) => !excluded.includes(target));
    changes.push(`stop excluding the campaign group ${groupId}`);
  }
  const otherExclusions = campaign.excludeTargets.filter((target) => !same(target.id, groupId));
  if (otherExclusions.length > 0) left.push(`the registration campaign still excludes ${names(otherExclusions)}: remove them in the admin center if they hold rollout users`);
  return changes.length === 0 ? null : { target: 'campaign', before, after, changes };
}
