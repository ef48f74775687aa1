import type { BreakGlassPosture } from '../core/assessBreakGlass.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount } from './formatCount.js';

/**
 * The break-glass check for the HTML report: `banner` (loud findings, for the page header; empty when all is well)
 * and `section` (each entry, the cloud-only privileged accounts not in the list, notes). A report from tables that
 * hold no check yet says so.
 */
export function renderBreakGlassHtml(recorded: { readonly checkedAt: string; readonly posture: BreakGlassPosture } | null): { banner: string; section: string } {
  if (recorded === null) {
    return { banner: '', section: '<section id="break-glass"><h2>Emergency access and privileged accounts</h2><p class="empty">Not checked yet: every night checks MFA_BREAK_GLASS before it writes anything.</p></section>' };
  }
  const { posture, checkedAt } = recorded;
  const loud = posture.warnings.filter((warning) => warning.level !== 'note');
  const banner = loud.map((warning) => `<div class="banner halted" data-field="breakGlassWarning">${escapeHtml(warning.text)}</div>`).join('\n');
  const entries = posture.entries.map(({ entry, account, roles }) => `<tr data-entry="${escapeHtml(entry)}"><td><code>${escapeHtml(entry)}</code></td>` +
    (account === null
      ? '<td data-field="account" colspan="3"><strong>no such user</strong>: the rollout refuses to run</td></tr>'
      : `<td data-field="account">${escapeHtml(account.upn)}</td><td data-field="roles">${escapeHtml(roles === null ? 'unknown' : roles.length === 0 ? 'none' : roles.join(', '))}</td><td>${account.cloudOnly ? 'cloud-only' : 'synced'}${account.enabled ? '' : ', disabled'}</td></tr>`));
  const parts = [
    '<section id="break-glass">',
    '<h2>Emergency access and privileged accounts</h2>',
    `<p class="meta">Checked <time datetime="${escapeHtml(checkedAt)}">${escapeHtml(checkedAt.slice(0, 16).replace('T', ' '))} UTC</time>, before the night wrote anything.</p>`,
    `<table id="break-glass-table"><thead><tr><th>MFA_BREAK_GLASS entry</th><th>Account</th><th>Privileged roles</th><th>Source</th></tr></thead><tbody>${entries.join('\n')}</tbody></table>`,
  ];
  if (posture.privileged.read) {
    const { unlistedCloudOnly, unlistedCloudOnlyCount, syncedCount, otherPrincipals } = posture.privileged;
    parts.push(`<p data-metric="unlistedPrivileged" data-value="${unlistedCloudOnlyCount}"><strong>${formatCount(unlistedCloudOnlyCount)}</strong> cloud-only account(s) hold a privileged role and are not in MFA_BREAK_GLASS${unlistedCloudOnlyCount === 0 ? '.' : posture.enrolsCloudOnly ? ': with MFA_ALLOW_CLOUD_ONLY=true the rollout enrols them like everyone.' : ': not enrolled while MFA_ALLOW_CLOUD_ONLY=false.'}</p>`);
    if (unlistedCloudOnly.length > 0) {
      parts.push(`<table id="privileged-table"><thead><tr><th>Account</th><th>Privileged roles</th></tr></thead><tbody>${unlistedCloudOnly.map((account) => `<tr data-user-id="${escapeHtml(account.id)}"><td data-field="upn">${escapeHtml(account.upn)}</td><td data-field="roles">${escapeHtml(account.roles.join(', '))}</td></tr>`).join('\n')}</tbody></table>`);
    }
    parts.push(`<p>Synced privileged accounts: <span data-field="syncedPrivileged" data-value="${syncedCount}">${formatCount(syncedCount)}</span> (enrolled like every synced user). Groups and apps holding a privileged role: ${formatCount(otherPrincipals)} (members not listed).</p>`);
  }
  for (const warning of posture.warnings) if (warning.level === 'note') parts.push(`<p class="note">${escapeHtml(warning.text)}</p>`);
  parts.push('</section>');
  return { banner, section: parts.join('\n') };
}
