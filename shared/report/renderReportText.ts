import type { RolloutReport } from '../shell/buildReport.js';
import { describeWave } from './describeWave.js';
import { flaggedHeadline } from './flaggedNights.js';
import { formatCount } from './formatCount.js';
import { renderDeadlineText } from './renderDeadlineText.js';
import { renderBreakGlassText } from './renderBreakGlassText.js';
import { formatDuration } from './formatDuration.js';

/** The on-call report as plain text, for a terminal (the HTML report has the same content plus the chart). */
export function renderReportText(report: RolloutReport, options: { listUsers?: number } = {}): string {
  const listUsers = options.listUsers ?? 20;
  const { progress, estimate } = report;
  const percent = (count: number) => `${(Math.round((count / Math.max(1, progress.total)) * 1000) / 10).toFixed(1).padStart(5)}%`;
  const lines: string[] = [`Rollout ${report.rolloutId}: ${formatCount(report.users)} users (report of ${report.generatedAt})`];
  if (report.plan.status === 'halted') lines.push(`HALTED since wave ${report.plan.haltedWaveId ?? '?'}: ${report.plan.haltReason ?? ''} — nothing is enforced until \`mfa-rollout resume\`.`);
  if (report.flagged.length > 0) {
    lines.push(`ATTENTION: ${flaggedHeadline(report.flagged)}:`);
    for (const night of report.flagged) lines.push(`  ${night.waveId} ${night.status.toUpperCase()}: ${night.reason ?? 'no reason recorded'}`);
  }
  const breakGlass = report.breakGlass === null ? null : renderBreakGlassText(report.breakGlass.posture, report.breakGlass.checkedAt);
  lines.push(...(breakGlass?.banner ?? []));
  lines.push(...renderDeadlineText(report.deadline, listUsers));

  lines.push('', 'Progress:');
  const buckets: [string, number][] = [
    ['enforced', progress.enforced], ['ready (to do)', progress.ready], ['not ready', progress.notReady], ['excluded', progress.excluded],
    ['parked', progress.parked], ['rolled back', progress.rolledBack], ['gone', progress.notPresent],
  ];
  for (const [label, count] of buckets) lines.push(`  ${label.padEnd(16)} ${formatCount(count).padStart(9)} ${percent(count)}`);
  lines.push(`  registered: ${formatCount(progress.registration.registered)} verified, ${formatCount(progress.registration.notRegistered)} not yet at the last check, ${formatCount(progress.registration.unknown)} not checked yet`);
  if (estimate.nights === null) lines.push(`  nights left: none while halted (${formatCount(estimate.remaining)} ready users wait)`);
  else if (estimate.nights === 0) lines.push('  nights left: 0 (every ready user is enforced)');
  else lines.push(`  nights left: about ${estimate.nights}, the last around ${estimate.lastNight ?? '?'}, if every wave is clean (waves of ${estimate.waveSizes.map(formatCount).join(', ')}${estimate.extraNights.pilot > 0 ? ' + the pilot night' : ''}${estimate.extraNights.notice > 0 ? ` + ${estimate.extraNights.notice} notice night(s)` : ''})`);
  if (estimate.recentPace !== null) {
    const pace = estimate.recentPace;
    lines.push(`  recent pace: ${formatCount(pace.perNight)} per night over ${pace.nights} night(s)${pace.nightsLeft === null ? '' : ` -> about ${pace.nightsLeft} night(s)`}`);
  }

  lines.push('', 'By reason:');
  for (const [reason, count] of Object.entries(report.standing).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason.padEnd(22)} ${formatCount(count).padStart(9)}`);

  lines.push('', ...(breakGlass?.section ?? ['Emergency access (MFA_BREAK_GLASS): not checked yet (every night checks it before it writes anything)']));

  lines.push('', 'Last waves (newest first):');
  lines.push(...wavesTable(report));
  if (report.failures.length > 0) {
    lines.push('', 'Failures by error code:');
    for (const group of report.failures) {
      lines.push(`  ${group.errorCode} ×${group.count}: ${group.hint}`);
      if (group.sampleRequestIds.length > 0) lines.push(`    request-ids: ${group.sampleRequestIds.join(', ')}`);
      lines.push(`    e.g. ${group.sampleUsers.join(', ')}`);
    }
  }
  lines.push('', `Stuck users (enforced ${report.stuck.afterDays}+ days ago, no sign-in since that satisfied MFA): ${formatCount(report.stuck.count)}`);
  for (const user of report.stuck.users.slice(0, listUsers)) lines.push(`  ${user.upn.padEnd(48)} enforced ${user.enforcedAt.slice(0, 10)} (${user.days} days)  wave ${user.waveId}`);
  if (report.stuck.count > Math.min(listUsers, report.stuck.users.length)) lines.push(`  ... ${formatCount(report.stuck.count - Math.min(listUsers, report.stuck.users.length))} more (mfa-rollout report --json or --html)`);
  if (report.parked.count > 0) {
    lines.push('', `Parked users (no longer retried; fix the cause, then mfa-rollout retry-parked): ${formatCount(report.parked.count)}`);
    for (const user of report.parked.users.slice(0, listUsers)) lines.push(`  ${user.upn.padEnd(48)} ${user.errorCode} after ${user.attempts} attempt(s)${user.requestId === null ? '' : `  request-id ${user.requestId}`}`);
  }
  if (report.corruptRows.length > 0) lines.push('', `Unreadable roster rows: ${report.corruptRows.join(', ')}`);
  return lines.join('\n');
}

/** The waves as a table whose columns are as wide as their longest cell (a rollback's id is longer than a wave's). */
function wavesTable(report: RolloutReport): string[] {
  const rows = report.waves.map((wave) => {
    const { kind, reason } = describeWave(wave);
    return { cells: [wave.waveId, kind, wave.status, formatDuration(wave.durationSeconds), formatCount(wave.planned), formatCount(wave.enforced), formatCount(wave.rolledBack), formatCount(wave.failed)], reason };
  });
  const header = ['wave', 'kind', 'status', 'duration', 'planned', 'enforced', 'rolled back', 'failed'];
  const numeric = [false, false, false, true, true, true, true, true];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row.cells[column]?.length ?? 0)));
  const line = (cells: readonly string[], reason: string) =>
    `  ${cells.map((cell, column) => (numeric[column] === true ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ')}  ${reason}`.trimEnd();
  return [line(header, 'reason'), ...rows.map((row) => line(row.cells, row.reason))];
}
