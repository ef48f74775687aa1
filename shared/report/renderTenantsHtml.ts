import type { TenantOverviewLine, TenantsOverview } from '../core/tenantsOverview.js';
import { escapeHtml } from './escapeHtml.js';
import { planStatusWords } from './planStatusWords.js';

/** The report across tenants as one self-contained HTML page (no script, no external resource). */
export function renderTenantsHtml(overview: TenantsOverview): string {
  const { totals } = overview;
  const rows = overview.tenants.map(row).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mfa-rollout: every tenant</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.bad{color:#a00;font-weight:600}.ok{color:#060}</style></head>
<body><h1>Every tenant</h1>
<p>${escapeHtml(totals.tenants)} tenant(s), ${escapeHtml(totals.enabled)} enabled, as of ${escapeHtml(overview.generatedAt)}: ${escapeHtml(totals.users)} users, ${escapeHtml(totals.enforced)} enforced; ${escapeHtml(totals.halted)} halted, ${escapeHtml(totals.held)} held last night, ${escapeHtml(totals.atRisk)} at risk on the SMS deadline, ${escapeHtml(totals.failures)} failure(s) in the last waves, ${escapeHtml(totals.unreadable)} unreadable.</p>
<table><thead><tr><th>Tenant</th><th>Users</th><th>Enforced</th><th>Ready</th><th>Parked</th><th>Plan</th><th>Last night</th><th>SMS deadline</th><th>Failures</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

function row(tenant: TenantOverviewLine): string {
  const name = `${escapeHtml(tenant.displayName)}<br><code>${escapeHtml(tenant.tenantId)}</code>${tenant.enabled ? '' : ' (disabled)'}`;
  if (tenant.rollout === null) return `<tr><td>${name}</td><td colspan="8" class="bad">${escapeHtml(tenant.error?.code ?? 'INTERNAL')}: ${escapeHtml(tenant.error?.message ?? '')}</td></tr>`;
  const { rollout } = tenant;
  const plan = rollout.planStatus === 'halted' ? `<span class="bad">halted</span>${rollout.haltReason === null ? '' : `: ${escapeHtml(rollout.haltReason)}`}` : escapeHtml(planStatusWords(rollout.planStatus));
  const last = rollout.last === null ? 'none yet' : `${escapeHtml(rollout.last.kind)} ${escapeHtml(rollout.last.status)}<br><code>${escapeHtml(rollout.last.waveId)}</code>`;
  const deadlineClass = rollout.deadline.status === 'atRisk' ? 'bad' : 'ok';
  const deadline = `<span class="${deadlineClass}">${escapeHtml(rollout.deadline.status)}</span> ${escapeHtml(rollout.deadline.retirementDate)} (${escapeHtml(rollout.deadline.daysLeft)} day(s))<br>${escapeHtml(rollout.deadline.message)}`;
  const failures = Object.entries(rollout.failures).map(([code, count]) => `${escapeHtml(code)} x${escapeHtml(count)}`).join('<br>');
  return `<tr><td>${name}</td><td>${escapeHtml(rollout.users)}</td><td>${escapeHtml(rollout.enforced)}</td><td>${escapeHtml(rollout.ready)}</td><td>${escapeHtml(rollout.parked)}</td><td>${plan}</td><td>${last}</td><td>${deadline}</td><td>${failures}</td></tr>`;
}
