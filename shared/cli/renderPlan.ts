import { mobileReasons } from '../core/readiness.js';
import { renderBreakGlassText } from '../report/renderBreakGlassText.js';
import type { DryRun } from '../shell/planNight.js';

/**
 * The dry run as an operator reads it: whether anything runs tonight (permissions, tenant gate, halt), the next
 * wave, each ring in rollout order, why everyone else waits, and what the notices promised.
 */
export function renderPlan(dryRun: DryRun, options: { show: number }): string {
  const { plan, health, permissions } = dryRun;
  const lines: string[] = [];
  if (permissions.verdict === 'granted') lines.push(`Graph permissions: the ${permissions.needed.length} the settings need are granted`);
  else if (permissions.verdict === 'unverifiable') lines.push(`Graph permissions: not checked (${permissions.detail}); a call Graph refuses fails with GRAPH_PERMISSION_MISSING`);
  else lines.push(`Graph permissions: MISSING ${permissions.missing.map((entry) => entry.permission).join(', ')}`);
  lines.push(health === null
    ? 'Tenant gate: not read (the token may not read /organization)'
    : `Tenant gate: ${health.open ? 'open' : 'CLOSED'} (${health.reason}${'ageMinutes' in health ? `, last sync ${health.ageMinutes} min ago` : ''})`);
  const { posture } = dryRun;
  if (posture !== null) {
    lines.push(`SMS and voice: ${posture.sms.summary}`);
    const blocking = posture.problems.filter((problem) => problem.severity === 'blocking').length;
    lines.push(`Methods posture: ${blocking === 0 ? 'nothing blocks the night' : `${blocking} blocking problem(s)`}${posture.problems.length > blocking ? `, ${posture.problems.length - blocking} warning(s)` : ''} (details: mfa-rollout preflight)`);
  } else {
    lines.push('Methods posture: not read (the token may not read the Authentication methods policy)');
  }
  for (const hold of dryRun.holds) {
    const why = hold.kind === 'permissions' ? hold.reason : hold.kind === 'syncGate' ? `the tenant gate is closed: ${hold.reason}` : hold.reason;
    lines.push(`Nothing runs tonight: ${why}.`);
  }
  if (dryRun.holds.length > 0) lines.push('The night would be recorded as held, before any user is read or written. What follows is the plan once that is fixed.');
  const breakGlass = renderBreakGlassText(dryRun.breakGlass);
  lines.push(...breakGlass.banner);
  if (plan.status === 'halted') {
    lines.push(`Rollout HALTED since ${plan.haltedSince ?? '?'} (wave ${plan.haltedWaveId ?? '?'}): ${plan.haltReason ?? 'no reason recorded'}`);
    lines.push('Nothing is planned until `mfa-rollout resume`.');
  }
  if (!dryRun.refreshed) lines.push('Roster as stored (not read from Graph for this plan).');

  lines.push(`Next wave: ${plan.enforce.length} user(s) to enforce${plan.pilot ? ' (pilot wave)' : ''}, target size ${plan.targetSize}; ${plan.announce.length} to announce; ${plan.probe.length} to probe`);
  for (const user of plan.enforce.slice(0, options.show)) {
    lines.push(`  ${user.upn.padEnd(48)} ring ${user.ring}${user.retry ? `, retry (attempts so far ${user.attempts})` : ''}${user.needsPhoneMethod ? ', pre-register mobile' : ''}`);
  }
  if (plan.enforce.length > options.show) lines.push(`  ... and ${plan.enforce.length - options.show} more`);
  if (dryRun.straightToEnforced !== null && dryRun.straightToEnforced > 0) {
    lines.push(
      `MFA_PER_USER_STATE=enabled: the ${dryRun.straightToEnforced} user(s) entering tonight whose MFA is required go straight to \`enforced\`: Graph turns \`enabled\` into \`enforced\` for a user who has an MFA method, and the journey requires MFA only of a user who has one (their own, or the mobile it registers first). Legacy-authentication clients need app passwords from then on.`,
    );
  }
  const { track } = dryRun;
  if (track.advance + track.check + track.deferred.advance + track.deferred.check > 0) {
    const later = [
      ...(track.deferred.advance > 0 ? [`${track.deferred.advance} more to move on (the wave size paces it)`] : []),
      ...(track.deferred.check > 0 ? [`${track.deferred.check} more to look at (MFA_CHECKS_PER_NIGHT)`] : []),
    ];
    lines.push(`Already in the journey: ${track.advance} registered user(s) move on tonight (phishing-resistant, off SMS), ${track.check} looked at${later.length > 0 ? `; left for later nights: ${later.join(', ')}` : ''}`);
  }
  const dates = countBy(plan.announce.map((user) => (user.enforceFrom ?? '').slice(0, 10)));
  if (dates.length > 0) lines.push(`Announced tonight, MFA from: ${dates.map(([date, count]) => `${date} ${count}`).join(', ')}`);

  lines.push('By ring, in rollout order:');
  const ringWidth = Math.max(8, ...plan.rings.map((ring) => ring.ring.length));
  lines.push(`  ${'ring'.padEnd(ringWidth)} ${'users'.padStart(7)} ${'planned'.padStart(7)} ${'announced'.padStart(9)}  waiting`);
  for (const ring of plan.rings) {
    const waiting = Object.entries(ring.waiting).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)).map(([reason, count]) => `${reason} ${count ?? 0}`).join(', ');
    lines.push(`  ${ring.ring.padEnd(ringWidth)} ${String(ring.users).padStart(7)} ${String(ring.planned).padStart(7)} ${String(ring.announced).padStart(9)}  ${waiting}`);
  }

  lines.push(`Everyone else (${plan.total - plan.enforce.length} of ${plan.total}), by reason:`);
  const waiting = Object.entries(plan.waiting).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]);
  for (const [reason, count] of waiting) lines.push(`  ${reason.padEnd(22)} ${String(count).padStart(7)}`);

  const withoutMobile = mobileReasons.reduce((sum, reason) => sum + plan.waiting[reason], 0);
  if (plan.probeDue > 0) {
    lines.push(`Of the ${withoutMobile} without a usable mobile, ${plan.probeDue} have their MFA methods read first (${plan.probe.length} tonight, the rest on later nights): one who has another MFA method becomes ready then.`);
  }
  if (plan.promises.heldTonight > 0) {
    const fewer = Math.min(plan.promises.heldTonight, plan.targetSize - plan.enforce.length);
    lines.push(`Warning: ${plan.promises.heldTonight} announced user(s) wait for the later date their notice gave, although these settings would enforce them tonight${fewer > 0 ? `; tonight's wave has ${fewer} fewer user(s) for it` : ''}.`);
  }
  if (plan.promises.late > 0) {
    lines.push(`Late: ${plan.promises.late} announced user(s) are past the date their notice gave and not in tonight's wave (the ramp ran slower than projected); they follow as seats free up, without a new notice.`);
  }
  lines.push(...breakGlass.section);
  if (dryRun.corruptRows.length > 0) lines.push(`Unreadable roster rows (skipped): ${dryRun.corruptRows.join(', ')}`);
  return lines.join('\n');
}

function countBy(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}
