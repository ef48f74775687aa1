import { readFileSync } from 'node:fs';

/** The fields a table of docs/report-json.md documents, in order: `users`, `deadline.conversion[].windows[].days`. */
export function documentedFields(section: '## Top level' | '## `deadline`'): string[] {
  const text = readFileSync('docs/report-json.md', 'utf8');
  const start = text.indexOf(section);
  if (start < 0) throw new Error(`docs/report-json.md has no section ${section}`);
  const end = text.indexOf('\n## ', start + section.length);
  return [...text.slice(start, end === -1 ? undefined : end).matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1] ?? '');
}
