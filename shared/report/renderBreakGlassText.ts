import type { BreakGlassPosture } from '../core/assessBreakGlass.js';
import { formatCount } from './formatCount.js';

/**
 * The break-glass check as text, for `mfa-rollout plan` and the text report: `banner` holds the loud lines (an entry
 * naming no user, no listed Global Administrator, roles unknown) for the top of the page; `section` lists each entry,
 * the cloud-only privileged accounts not in the list, and the other notes. `checkedAt` says when a night found it.
 */
export function renderBreakGlassText(posture: BreakGlassPosture, checkedAt?: string): { banner: string[]; section: string[] } {
  const banner = posture.warnings.filter((warning) => warning.level !== 'note').map((warning) => `${warning.level === 'refused' ? 'REFUSED' : 'WARNING'}: ${warning.text}`);
  const when = checkedAt === undefined ? '' : `, checked ${checkedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const section = [`Emergency access (MFA_BREAK_GLASS)${when}:`];
  for (const { entry, account, roles } of posture.entries) {
    const name = account === null ? entry : account.upn.toLowerCase() === entry.toLowerCase() ? account.upn : `${entry} = ${account.upn}`;
    const facts = account === null
      ? 'NO SUCH USER'
      : [roles === null ? 'roles unknown' : roles.length === 0 ? 'no privileged role' : roles.join(', '), account.cloudOnly ? 'cloud-only' : 'synced', ...(account.enabled ? [] : ['disabled'])].join(' · ');
    section.push(`  ${name.padEnd(48)} ${facts}`);
  }
  if (posture.privileged.read) {
    const { unlistedCloudOnly, unlistedCloudOnlyCount, syncedCount, otherPrincipals } = posture.privileged;
    section.push(`Privileged cloud-only accounts not in MFA_BREAK_GLASS: ${formatCount(unlistedCloudOnlyCount)}${unlistedCloudOnlyCount === 0 ? '' : posture.enrolsCloudOnly ? ' (MFA_ALLOW_CLOUD_ONLY=true: the rollout enrols them like everyone)' : ' (not enrolled while MFA_ALLOW_CLOUD_ONLY=false)'}`);
    for (const account of unlistedCloudOnly) section.push(`  ${account.upn.padEnd(48)} ${account.roles.join(', ')}`);
    if (unlistedCloudOnlyCount > unlistedCloudOnly.length) section.push(`  ... and ${formatCount(unlistedCloudOnlyCount - unlistedCloudOnly.length)} more`);
    section.push(`Synced privileged accounts: ${formatCount(syncedCount)} (enrolled like every synced user); groups and apps holding a privileged role: ${formatCount(otherPrincipals)} (members not listed)`);
  }
  for (const warning of posture.warnings) if (warning.level === 'note') section.push(`Note: ${warning.text}`);
  return { banner, section };
}
