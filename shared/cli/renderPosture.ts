import type { MethodKey } from '../core/posture/postureFacts.js';
import type { MethodPosture, PostureSettings, TenantPosture } from '../core/posture/postureTypes.js';

const names: Readonly<Record<MethodKey, string>> = {
  sms: 'SMS',
  voice: 'Voice call',
  fido2: 'Passkey (FIDO2)',
  microsoftAuthenticator: 'Microsoft Authenticator',
  temporaryAccessPass: 'Temporary Access Pass',
};

function targets(method: MethodPosture): string {
  if (!method.present) return 'not in the policy';
  const include = method.includesAllUsers ? ['all users', ...method.includeGroupIds] : method.includeGroupIds;
  const parts = [`includes ${include.length === 0 ? 'nobody' : include.join(', ')}`];
  if (method.excludeGroupIds.length > 0) parts.push(`excludes ${method.excludeGroupIds.join(', ')}`);
  return parts.join('; ');
}

function reach(allowed: number | null, total: number | null): string {
  return allowed === null || total === null ? '' : ` — ${allowed} of ${total} rollout users`;
}

/**
 * `mfa-rollout preflight` as text: the settings in force, the SMS calendar, each method (state, targets, reach),
 * the campaign, the TAP policy, security defaults, migration and size, then every problem with its fix, blocking
 * first, and the verdict.
 */
export function renderPosture(posture: TenantPosture, settings: Pick<PostureSettings, 'targetMethod' | 'campaignMode' | 'strategy'>): string {
  const lines: string[] = [];
  lines.push(`Tenant method posture at ${posture.decidedAt} — MFA_TARGET_METHOD=${settings.targetMethod}, MFA_CAMPAIGN_MODE=${settings.campaignMode}, MFA_STRATEGY=${settings.strategy}`);
  lines.push(posture.sms.summary);
  lines.push(`Days left: ${posture.sms.daysLeft} to ${posture.sms.retirementDate}; ${posture.sms.daysLeftAdmins} to ${posture.sms.retirementDateAdmins} (Global Administrators and external users)`);
  lines.push('');
  lines.push('Methods:');
  for (const key of Object.keys(names) as MethodKey[]) {
    const method = posture.methods[key];
    const extra =
      key === 'sms' && posture.smsSignInTargetIds.length > 0
        ? `; usable for sign-in: ${posture.smsSignInTargetIds.join(', ')}`
        : key === 'fido2'
          ? `; self-service set-up ${posture.fido2SelfServiceRegistration ? 'on' : 'OFF'}; ${posture.passkeyProfiles} passkey profile(s)`
          : key === 'temporaryAccessPass' && posture.temporaryAccessPass !== null
            ? `; ${posture.temporaryAccessPass.minimumLifetimeInMinutes}-${posture.temporaryAccessPass.maximumLifetimeInMinutes} min (default ${posture.temporaryAccessPass.defaultLifetimeInMinutes}), ${posture.temporaryAccessPass.isUsableOnce ? 'one-time' : 'multi-use allowed'}`
            : '';
    lines.push(`  ${names[key].padEnd(24)} ${(method.enabled ? 'enabled' : 'disabled').padEnd(9)} ${targets(method)}${extra}${reach(method.rolloutUsersAllowed, posture.rolloutUsers)}`);
  }
  const campaign = posture.campaign;
  const state = campaign.state === 'default' ? 'Microsoft managed' : campaign.state;
  const included = campaign.includeTargets.map((target) => `${target.id} (${target.targetedAuthenticationMethod ?? '?'})`).join(', ') || 'nobody';
  const excluded = campaign.excludeTargets.length === 0 ? '' : `; excludes ${campaign.excludeTargets.map((target) => target.id).join(', ')}`;
  const snoozes = campaign.enforceRegistrationAfterAllowedSnoozes === null ? '' : campaign.enforceRegistrationAfterAllowedSnoozes ? ', registration required after 3 snoozes' : ', unlimited snoozes';
  lines.push(`Registration campaign: ${state}; includes ${included}${excluded}; snooze ${campaign.snoozeDurationInDays} day(s)${snoozes}; nudges ${campaign.nudges ?? 'nobody'}${reach(campaign.rolloutUsersIncluded, posture.rolloutUsers)}`);
  lines.push(`Security defaults: ${posture.securityDefaults ? 'ON' : 'off'}`);
  lines.push(`Policy migration: ${posture.policyMigrationState}; policy size ${(posture.policySizeBytes / 1024).toFixed(1)} KB of 20 KB`);
  lines.push(`Rollout users: ${posture.rolloutUsers === null ? 'not known (no roster yet: run `mfa-rollout plan` to read the users)' : posture.rolloutUsers}`);
  lines.push('');
  const blocking = posture.problems.filter((problem) => problem.severity === 'blocking').length;
  if (posture.problems.length === 0) lines.push('Problems: none.');
  else {
    lines.push(`Problems (${blocking} blocking, ${posture.problems.length - blocking} warning${posture.problems.length - blocking === 1 ? '' : 's'}):`);
    for (const problem of posture.problems) {
      lines.push(`  ${problem.severity === 'blocking' ? 'BLOCKING' : 'warning '} ${problem.code}: ${problem.message}`);
      lines.push(`           fix: ${problem.fix}`);
    }
  }
  lines.push('');
  lines.push(posture.blocked ? 'Preflight: BLOCKED. A night would be held and write nothing until the blocking problems are fixed.' : 'Preflight: passed.');
  return lines.join('\n');
}
