import { splitCsvLine } from './splitCsvLine.js';

export interface CsvProblem {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

/** A user the file puts in the pilot, and the line that names them. */
export interface PilotCsvEntry {
  /** Lower-cased. */
  readonly upn: string;
  readonly line: number;
}

export interface PilotCsv {
  /** The first line is neither header the import reads (nor a UPN): no row was read, `problems` says why. */
  readonly refused: boolean;
  /** `bulkUpdate`: the MFA portal's `Username,MFA Status` file; `upnList`: one column of UPNs, with or without a header. */
  readonly format: 'bulkUpdate' | 'upnList';
  /** `;` when the file is semicolon-separated (Excel's list separator in many European locales). */
  readonly delimiter: ',' | ';';
  /** The users to put in the pilot, in file order, without duplicates. */
  readonly entries: readonly PilotCsvEntry[];
  /** Rows of a bulk-update CSV whose status keeps the user out of the pilot (`Disabled`). */
  readonly skipped: number;
  readonly duplicates: number;
  readonly problems: readonly CsvProblem[];
}

const upnPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const statuses = new Map([['enabled', true], ['enforced', true], ['disabled', false]]);
/** Headers of a one-column UPN list, as normalised by `headerName`. */
const upnHeaders = new Set(['userprincipalname', 'upn', 'username']);

/** What the import reads, said whenever a header is refused. */
export const expectedPilotHeaders =
  'expected the MFA portal\'s bulk-update header "Username,MFA Status" (comma- or semicolon-separated), or a single column of user principal names (with no header, or headed UserPrincipalName or UPN)';

const headerName = (cell: string) => cell.toLowerCase().replace(/\s+/g, '');
const named = (delimiter: ',' | ';') => (delimiter === ';' ? 'semicolon-separated' : 'comma-separated');

/**
 * Reads a pilot list: the legacy MFA portal's bulk-update CSV (`Username,MFA Status`; `Enabled` and `Enforced` rows
 * join the pilot, `Disabled` rows are skipped), or a one-column list of UPNs. Either may be separated by commas or by
 * semicolons (what Excel writes where the decimal separator is a comma); the result says which.
 *
 * Strict by design, since a misread file puts the wrong people in the pilot: any other header is refused with the
 * expected ones (a multi-column file never falls back to "a list of UPNs"); each line is one record, so a quote
 * left open is a problem of its own line and the rows after it are still checked; every problem carries the line
 * number of the row it is about. The caller imports nothing unless `problems` is empty.
 */
export function parsePilotCsv(text: string): PilotCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).map((content, index) => ({ content, line: index + 1 })).filter(({ content }) => content.trim() !== '');
  const refused = (delimiter: ',' | ';', problems: CsvProblem[]): PilotCsv => ({ refused: true, format: 'upnList', delimiter, entries: [], skipped: 0, duplicates: 0, problems });
  const first = lines[0];
  if (first === undefined) return refused(',', [{ line: 1, message: 'the file has no rows' }]);

  const header = readHeader(first.content);
  if ('problem' in header) return refused(header.delimiter, [{ line: first.line, message: header.problem }]);
  const { delimiter, format } = header;
  const body = header.isHeader ? lines.slice(1) : lines;

  const problems: CsvProblem[] = [];
  const entries: PilotCsvEntry[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let duplicates = 0;
  for (const { content, line } of body) {
    const split = splitCsvLine(content, delimiter);
    if (!split.ok) {
      problems.push({ line, message: split.problem });
      continue;
    }
    const cells = withoutTrailingEmpty(split.cells);
    const columns = format === 'bulkUpdate' ? 2 : 1;
    if (cells.length > columns) {
      problems.push({ line, message: `${cells.length} ${named(delimiter)} fields, expected ${format === 'bulkUpdate' ? '2 (Username, MFA Status)' : '1 (a user principal name)'}` });
      continue;
    }
    const upn = (cells[format === 'bulkUpdate' ? header.upnColumn : 0] ?? '').toLowerCase();
    if (!upnPattern.test(upn)) {
      problems.push({ line, message: upn === '' ? 'no user principal name' : 'not a user principal name (expected name@domain)' });
      continue;
    }
    if (format === 'bulkUpdate') {
      const status = statuses.get((cells[header.statusColumn] ?? '').toLowerCase());
      if (status === undefined) {
        problems.push({ line, message: 'MFA Status must be Enabled, Enforced or Disabled' });
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
    entries.push({ upn, line });
  }
  return { refused: false, format, delimiter, entries, skipped, duplicates, problems };
}

type Header =
  | { readonly delimiter: ',' | ';'; readonly format: 'bulkUpdate'; readonly isHeader: true; readonly upnColumn: number; readonly statusColumn: number }
  | { readonly delimiter: ',' | ';'; readonly format: 'upnList'; readonly isHeader: boolean; readonly upnColumn: 0; readonly statusColumn: -1 }
  | { readonly delimiter: ',' | ';'; readonly problem: string };

/** Decides the file's format and delimiter from its first line, or refuses it. */
function readHeader(content: string): Header {
  for (const delimiter of [',', ';'] as const) {
    const split = splitCsvLine(content, delimiter);
    if (!split.ok) continue;
    const cells = withoutTrailingEmpty(split.cells).map(headerName);
    if (cells.length === 2 && cells.includes('username') && cells.includes('mfastatus')) {
      return { delimiter, format: 'bulkUpdate', isHeader: true, upnColumn: cells.indexOf('username'), statusColumn: cells.indexOf('mfastatus') };
    }
  }
  const comma = splitCsvLine(content, ',');
  const semicolon = splitCsvLine(content, ';');
  if (!comma.ok && !semicolon.ok) return { delimiter: ',', problem: `the header line cannot be read (${comma.problem}); ${expectedPilotHeaders}` };
  const commaCells = comma.ok ? withoutTrailingEmpty(comma.cells) : [];
  const semicolonCells = semicolon.ok ? withoutTrailingEmpty(semicolon.cells) : [];
  // the delimiter that splits the line is the file's: Excel in many European locales separates with semicolons
  const delimiter = semicolonCells.length > commaCells.length ? ';' : ',';
  const cells = delimiter === ';' ? semicolonCells : commaCells;
  if (cells.length > 1) {
    return { delimiter, problem: `the header (${named(delimiter)} columns ${cells.map((cell) => `"${cell}"`).join(', ')}) is not one the import reads: ${expectedPilotHeaders}` };
  }
  const only = cells[0] ?? '';
  if (upnHeaders.has(headerName(only))) return { delimiter, format: 'upnList', isHeader: true, upnColumn: 0, statusColumn: -1 };
  if (upnPattern.test(only)) return { delimiter, format: 'upnList', isHeader: false, upnColumn: 0, statusColumn: -1 };
  return { delimiter, problem: `"${only}" is neither a header the import reads nor a user principal name: ${expectedPilotHeaders}` };
}

/** Excel writes a trailing delimiter on some rows; empty fields at the end of a line mean nothing. */
function withoutTrailingEmpty(cells: readonly string[]): readonly string[] {
  let end = cells.length;
  while (end > 1 && cells[end - 1] === '') end -= 1;
  return cells.slice(0, end);
}
