export type ReportFormat = 'json' | 'html' | 'text';

const mediaTypes: Readonly<Record<string, ReportFormat>> = {
  'application/json': 'json',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'text',
};

/**
 * Which form of the report a request asks for (pure). `?format=json|html|text` wins; otherwise the Accept
 * header's most preferred media type the report has (q-values honoured, ties in header order), `*\/*` or no header
 * meaning JSON. Null when neither can be served: `format` names something else, or Accept lists only types the
 * report does not have (406).
 */
export function negotiateReportFormat(format: string | null, accept: string | null): ReportFormat | null {
  if (format !== null && format !== '') return (['json', 'html', 'text'] as const).find((known) => known === format.toLowerCase()) ?? null;
  if (accept === null || accept.trim() === '') return 'json';
  const ranges = accept.split(',').map((part, index) => {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = parameters.map((parameter) => /^q=([0-9.]+)$/.exec(parameter)?.[1]).find((value) => value !== undefined);
    return { type, q: q === undefined ? 1 : Number(q), index };
  }).filter((range) => range.type !== '' && Number.isFinite(range.q) && range.q > 0);
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'application/*') return 'json';
    if (range.type === 'text/*') return 'html';
    const known = mediaTypes[range.type];
    if (known !== undefined) return known;
  }
  return null;
}
