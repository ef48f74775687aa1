/** One physical line of a CSV file, split into trimmed fields, or why it cannot be. */
export type CsvLine = { readonly ok: true; readonly cells: readonly string[] } | { readonly ok: false; readonly problem: string };

/**
 * Splits one line of a CSV file on `delimiter`: fields may be quoted (`"a,b"`, with `""` for a quote inside).
 * A line is a record: a quote that does not close on its own line is that line's problem, so one bad row never
 * swallows the rows after it (the pilot files this reads hold a UPN and a status, never a line break in a field).
 */
export function splitCsvLine(line: string, delimiter: ',' | ';'): CsvLine {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    while (line.charAt(at) === ' ' || line.charAt(at) === '\t') at += 1;
    let cell = '';
    if (line.charAt(at) === '"') {
      at += 1;
      for (;;) {
        if (at >= line.length) return { ok: false, problem: 'a quote opens a field that never closes on this line' };
        const char = line.charAt(at);
        if (char === '"' && line.charAt(at + 1) === '"') {
          cell += '"';
          at += 2;
        } else if (char === '"') {
          at += 1;
          break;
        } else {
          cell += char;
          at += 1;
        }
      }
      while (line.charAt(at) === ' ' || line.charAt(at) === '\t') at += 1;
      if (at < line.length && line.charAt(at) !== delimiter) return { ok: false, problem: 'text after the closing quote of a field' };
    } else {
      const end = line.indexOf(delimiter, at);
      cell = (end < 0 ? line.slice(at) : line.slice(at, end)).trim();
      at = end < 0 ? line.length : end;
    }
    cells.push(cell);
    if (at >= line.length) return { ok: true, cells };
    at += 1; // the delimiter
  }
}
