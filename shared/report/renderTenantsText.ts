import type { TenantOverviewLine, TenantsOverview } from '../core/tenantsOverview.js';
import { planStatusWords } from './planStatusWords.js';

/** The report across tenants as text: totals, then one block per tenant (counts and states, never a user's name). */
export function renderTenantsText(overview: TenantsOverview): string {
  const { totals } = overview;
  const lines = [
    `Tenants: ${totals.tenants} (${totals.enabled} enabled), as of ${overview.generatedAt}`,
    `Users ${totals.users}, enforced ${totals.enforced}; halted ${totals.halted}, held last night ${totals.held}, SMS deadline at risk ${totals.atRisk}, failures in the last waves ${totals.failures}, unreadable ${totals.unreadable}`,
    '',
  ];
  for (const tenant of overview.tenants) lines.push(...tenantBlock(tenant), '');
  return lines.join('\n').trimEnd();
}

function tenantBlock(tenant: TenantOverviewLine): string[] {
  const head = `${tenant.tenantId}  ${tenant.displayName}${tenant.enabled ? '' : '  (disabled)'}`;
  if (tenant.rollout === null) return [head, `  unreadable: ${tenant.error?.code ?? 'INTERNAL'}: ${(tenant.error?.message ?? '').split('\n').join(' ')}`];
  const { rollout } = tenant;
  const last = rollout.last === null ? 'no night yet' : `${rollout.last.kind} ${rollout.last.waveId} ${rollout.last.status}${rollout.last.reason === null ? '' : ` (${rollout.last.reason})`}`;
  const failures = Object.entries(rollout.failures).sort(([, a], [, b]) => b - a).map(([code, count]) => `${code} x${count}`).join(', ');
  return [
    head,
    `  users ${rollout.users}, enforced ${rollout.enforced}, ready ${rollout.ready}, parked ${rollout.parked}; plan: ${planStatusWords(rollout.planStatus)}${rollout.haltReason === null ? '' : `: ${rollout.haltReason}`}`,
    `  last: ${last}`,
    `  SMS deadline ${rollout.deadline.retirementDate} (${rollout.deadline.daysLeft} day(s)): ${rollout.deadline.status}${rollout.deadline.postureBlocked === true ? ', methods posture blocks the night' : ''}: ${rollout.deadline.message}`,
    ...(failures === '' ? [] : [`  failures: ${failures}`]),
  ];
}
