import type { RolloutReport } from '../shell/buildReport.js';

/** The on-call report as plain text. */
export function renderReportText(report: RolloutReport): string {
  const lines: string[] = [`Rollout ${report.rolloutId}: ${report.users} users (report of ${report.generatedAt})`];
  for (const [reason, count] of Object.entries(report.standing).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason.padEnd(22)} ${String(count).padStart(7)}`);
  lines.push('', 'Last waves (newest first):');
  lines.push('  wave                       kind     status     planned enforced failed  reason');
  for (const wave of report.waves) {
    lines.push(`  ${wave.waveId.padEnd(26)} ${wave.kind.padEnd(8)} ${wave.status.padEnd(10)} ${String(wave.planned).padStart(7)} ${String(wave.enforced).padStart(8)} ${String(wave.failed).padStart(6)}  ${wave.reason ?? ''}`);
  }
  if (report.failures.length > 0) {
    lines.push('', 'Failures by error code:');
    for (const group of report.failures) {
      lines.push(`  ${group.errorCode} ×${group.count}: ${group.hint}`);
      if (group.sampleRequestIds.length > 0) lines.push(`    request-ids: ${group.sampleRequestIds.join(', ')}`);
      lines.push(`    e.g. ${group.sampleUsers.join(', ')}`);
    }
  }
  if (report.corruptRows.length > 0) lines.push('', `Unreadable roster rows: ${report.corruptRows.join(', ')}`);
  return lines.join('\n');
}
