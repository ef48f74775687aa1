import { parse } from 'csv-parse/sync';

export interface CsvProblem {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface PilotCsv {
  /** UPNs to put in the pilot, in file order, without duplicates (lower-cased). */
  readonly upns: readonly string[];
  /** Rows of a bulk-update CSV whose status keeps the user out of the pilot (`Disabled`). */
  readonly skipped: number;
  readonly duplicates: number;
  readonly problems: readonly CsvProblem[];
}

const upnPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const statuses = new Map([['enabled', true], ['enforced', true], ['disabled', false]]);

/**
 * Reads a pilot list: the legacy MFA portal's bulk-update CSV (`Username,MFA Status`; `Enabled` and
 * `Enforced` rows join the pilot, `Disabled` rows are skipped), or a list of UPNs (a `UserPrincipalName`
 * or `UPN` header, or no header at all). Every bad row is reported with its line number; the caller imports
 * nothing unless `problems` is empty.
 */
export function parsePilotCsv(text: string): PilotCsv {
  const problems: CsvProblem[] = [];
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { upns: [], skipped: 0, duplicates: 0, problems: [{ line, message: `not a readable CSV (${(error as { code?: string }).code ?? 'parse error'})` }] };
  }
  if (rows.length === 0) return { upns: [], skipped: 0, duplicates: 0, problems: [{ line: 1, message: 'the file has no rows' }] };

  const header = rows[0]?.record.map((cell) => cell.toLowerCase().replace(/\s+/g, '')) ?? [];
  const isBulkUpdate = header.includes('username') && header.includes('mfastatus');
  const upnHeader = ['userprincipalname', 'upn', 'username'].find((name) => header.includes(name));
  const upnColumn = isBulkUpdate ? header.indexOf('username') : upnHeader === undefined ? 0 : header.indexOf(upnHeader);
  const statusColumn = isBulkUpdate ? header.indexOf('mfastatus') : -1;
  const body = upnHeader === undefined && !isBulkUpdate ? rows : rows.slice(1);

  const upns: string[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  for (const { record, info } of body) {
    const upn = (record[upnColumn] ?? '').toLowerCase();
    if (!upnPattern.test(upn)) {
      problems.push({ line: info.lines, message: upn === '' ? 'no user principal name' : 'not a user principal name (expected name@domain)' });
      continue;
    }
    if (statusColumn >= 0) {
      const status = statuses.get((record[statusColumn] ?? '').toLowerCase());
      if (status === undefined) {
        problems.push({ line: info.lines, message: 'MFA Status must be Enabled, Enforced or Disabled' });
        continue;
      }
      if (!status) {
        skipped += 1;
        continue;
      }
    }
    if (seen.has(upn)) {
      duplicates += 1;
      continue;
    }
    seen.add(upn);
    upns.push(upn);
  }
  return { upns, skipped, duplicates, problems };
}
