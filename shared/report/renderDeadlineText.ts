import type { DeadlineReport } from '../core/deadline/deadlineReport.js';
import { userPostureBuckets } from '../core/deadline/userPostureTally.js';
import { postureBucketLabel, formatShare, stragglerReasonLabels, verdictLabels } from './deadlineLabels.js';
import { formatCount } from './formatCount.js';

/** The deadline section of the text report: the retirement date first, then users by posture, conversion, stragglers. */
export function renderDeadlineText(deadline: DeadlineReport, listUsers: number): string[] {
  const { calendar, projection, verdict, users } = deadline;
  const lines: string[] = ['', `SMS retirement (${verdictLabels[verdict.status]}): ${calendar.summary}`];
  lines.push(`  ${verdict.message}`);
  if (calendar.delivery === 'microsoft') {
    const clear = projection.nightsToClear === null ? 'never at this pace' : `about ${projection.nightsToClear} night(s)`;
    lines.push(`  at risk now ${formatCount(projection.atRiskNow)} (SMS or voice only ${formatCount(projection.smsVoiceOnly)}, no MFA method ${formatCount(projection.noMfaMethod)}, not reached ${formatCount(projection.notReached)}); projected on ${projection.retirementDate}: ${formatCount(projection.projectedOnDate)}; clearing them takes ${clear}`);
  }
  const ramp = deadline.rampNightsLeft === null ? 'reaches nobody more while halted' : deadline.rampNightsLeft === 0 ? 'has reached every ready user' : `reaches every ready user in about ${deadline.rampNightsLeft} night(s)`;
  lines.push(`  the ramp ${ramp}; target method ${deadline.targetMethod}`);
  if (deadline.posture === null) lines.push('  methods posture: not decided yet (every night reads it)');
  else if (deadline.posture.problems.length === 0) lines.push(`  methods posture (${deadline.posture.decidedAt}): no problem`);
  else {
    lines.push(`  methods posture (${deadline.posture.decidedAt})${deadline.posture.blocked ? ': BLOCKED, the night writes nothing' : ''}:`);
    for (const problem of deadline.posture.problems) lines.push(`    ${problem.severity} ${problem.code}: ${problem.message} Fix: ${problem.fix}`);
  }

  lines.push('', `Users by posture (present: ${formatCount(users.total)}${users.notPresent > 0 ? `; gone from the directory: ${formatCount(users.notPresent)}` : ''}):`);
  const percent = (count: number) => `${(Math.round((count / Math.max(1, users.total)) * 1000) / 10).toFixed(1).padStart(5)}%`;
  for (const bucket of userPostureBuckets) lines.push(`  ${postureBucketLabel(bucket, deadline.targetMethod).padEnd(44)} ${formatCount(users[bucket]).padStart(9)} ${percent(users[bucket])}`);

  if (deadline.conversion.length > 0) {
    lines.push('', 'Campaign conversion per wave (registered within 7 and 14 days of the nudge; methods users had before counted apart):');
    const header = ['wave', 'nudged', 'had before', 'registered', 'in 7 days', 'in 14 days'];
    const rows = deadline.conversion.map((wave) => [
      wave.waveId, formatCount(wave.nudged), formatCount(wave.hadBefore), formatCount(wave.registered),
      ...wave.windows.map((window) => (window.share === null ? (window.complete ? '-' : 'not yet') : `${formatShare(window.share)} (${formatCount(window.registered)})`)),
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
    for (const row of [header, ...rows]) lines.push(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`);
  }

  const { stragglers } = deadline;
  const byReason = Object.entries(stragglers.byReason).filter(([, count]) => count > 0).map(([reason, count]) => `${stragglerReasonLabels[reason as keyof typeof stragglerReasonLabels]} ${formatCount(count)}`);
  lines.push('', `Stragglers for the helpdesk: ${formatCount(stragglers.count)}${byReason.length > 0 ? ` (${byReason.join(', ')})` : ''}`);
  for (const user of stragglers.users.slice(0, listUsers)) {
    const nudge = user.daysSinceNudge === null ? 'not nudged' : `nudged ${user.daysSinceNudge} day(s) ago (${user.nudgeWaveId ?? '?'})`;
    const tap = user.tap === null ? 'no TAP' : `TAP issued ${user.tap.issuedAt}, ${user.tap.valid ? 'expires' : 'expired'} ${user.tap.expiresAt}`;
    lines.push(`  ${user.upn.padEnd(48)} ${stragglerReasonLabels[user.reason].padEnd(30)} ${nudge}; ${user.daysToDate} day(s) to ${user.retirementDate}; ${tap}`);
  }
  const shown = Math.min(listUsers, stragglers.users.length);
  if (stragglers.count > shown) lines.push(`  ... ${formatCount(stragglers.count - shown)} more (mfa-rollout report --json or --html)`);
  const { outOfScope } = deadline;
  if (outOfScope.count > 0 && calendar.delivery === 'microsoft') {
    lines.push('', `Out of scope, SMS-only on the date: ${formatCount(outOfScope.count)} (not synced, and MFA_ALLOW_CLOUD_ONLY=false or sync stopped: no wave reaches them, no strong method known; they meet the blocking prompt on ${projection.retirementDate})`);
    for (const user of outOfScope.users.slice(0, listUsers)) lines.push(`  ${user.upn}`);
    const listed = Math.min(listUsers, outOfScope.users.length);
    if (outOfScope.count > listed) lines.push(`  ... ${formatCount(outOfScope.count - listed)} more (mfa-rollout report --json or --html)`);
  }
  return lines;
}
