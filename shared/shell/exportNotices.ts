import { stringify } from 'csv-stringify/sync';
import type { RolloutPorts } from './rolloutPorts.js';

/**
 * The notice list for comms, as CSV: who is told, in which wave, from when MFA applies to them, when the notice was
 * mailed, and if it was not, why (no mail address, no mailbox configured, deferred, or the error of a failed send).
 * No phone number is in it (the tables never hold one).
 */
export async function exportNotices(ports: RolloutPorts, options: { since?: string } = {}): Promise<{ csv: string; rows: number }> {
  const rows: string[][] = [];
  for await (const notice of ports.notices.all()) {
    if (options.since !== undefined && notice.announcedAt < options.since) continue;
    rows.push([notice.upn, notice.waveId, notice.announcedAt, notice.enforceFrom, notice.mailedAt ?? '', notice.mailedAt === null ? (notice.notMailedReason ?? '') : '']);
  }
  rows.sort((a, b) => (a[3] ?? '').localeCompare(b[3] ?? '') || (a[0] ?? '').localeCompare(b[0] ?? ''));
  return { csv: stringify(rows, { header: true, columns: ['UserPrincipalName', 'WaveId', 'AnnouncedAt', 'EnforceFrom', 'MailedAt', 'NotMailedReason'] }), rows: rows.length };
}
