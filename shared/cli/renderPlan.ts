import type { DryRun } from '../shell/planNight.js';

/** The dry run as an operator reads it: the gate, the next wave, and why everyone else waits. */
export function renderPlan(dryRun: DryRun, options: { show: number }): string {
  const { plan, health } = dryRun;
  const lines: string[] = [];
  lines.push(`Tenant gate: ${health.open ? 'open' : 'CLOSED'} (${health.reason}${'ageMinutes' in health ? `, last sync ${health.ageMinutes} min ago` : ''})`);
  if (plan.status === 'halted') {
    lines.push(`Rollout HALTED since ${plan.haltedSince ?? '?'} (wave ${plan.haltedWaveId ?? '?'}): ${plan.haltReason ?? 'no reason recorded'}`);
    lines.push('Nothing is planned until `mfa-rollout resume`.');
  }
  lines.push(`Next wave: ${plan.enforce.length} user(s) to enforce${plan.pilot ? ' (pilot wave)' : ''}, target size ${plan.targetSize}; ${plan.announce.length} to announce; ${plan.probe.length} to probe`);
  for (const user of plan.enforce.slice(0, options.show)) {
    lines.push(`  ${user.upn.padEnd(48)} ring ${user.ring}${user.retry ? `, retry (attempts so far ${user.attempts})` : ''}${user.needsPhoneMethod ? ', pre-register mobile' : ''}`);
  }
  if (plan.enforce.length > options.show) lines.push(`  ... and ${plan.enforce.length - options.show} more`);
  if (dryRun.straightToEnforced !== null && dryRun.straightToEnforced > 0) {
    lines.push(
      `MFA_PER_USER_STATE=enabled: all ${dryRun.straightToEnforced} user(s) of this wave go straight to \`enforced\`: Graph turns \`enabled\` into \`enforced\` for a user who has an MFA method, and each has one when the state is set (their own, or the mobile the rollout registers first). Legacy-authentication clients need app passwords from then on.`,
    );
  }
  lines.push(`Everyone else (${plan.total - plan.enforce.length} of ${plan.total}), by reason:`);
  const waiting = Object.entries(plan.waiting).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]);
  for (const [reason, count] of waiting) lines.push(`  ${reason.padEnd(22)} ${String(count).padStart(7)}`);
  if (dryRun.corruptRows.length > 0) lines.push(`Unreadable roster rows (skipped): ${dryRun.corruptRows.join(', ')}`);
  return lines.join('\n');
}
