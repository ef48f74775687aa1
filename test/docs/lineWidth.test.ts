import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const width = 120;
const documents = ['README.md', 'sandbox/README.md', 'infra/README.md', 'queuehost/README.md', ...readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/**
 * The prose lines of a Markdown file longer than `width` that could have been wrapped: a line is exempt inside a code
 * block, in a table, as a heading or a link definition, and when it has no space before `width` to break at outside an
 * inline code span (a long URL or code span alone). Code spans may run over lines, so their backticks are counted
 * through each paragraph.
 */
function unwrapped(text: string): string[] {
  const found: string[] = [];
  let fenced = false;
  let inCode = false;
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('```')) {
      fenced = !fenced;
      return;
    }
    if (trimmed === '') inCode = false;
    if (fenced || trimmed === '' || trimmed.startsWith('|') || trimmed.startsWith('#') || /^\[[^\]]+\]:\s/.test(trimmed)) return;
    const start = line.length - trimmed.length + (/^([-*]|\d+\.)\s+/.exec(trimmed)?.[0].length ?? 0);
    let breakable = false;
    for (let at = 0; at < line.length; at += 1) {
      if (line[at] === '`') inCode = !inCode;
      else if (line[at] === ' ' && !inCode && at > start && at < width) breakable = true;
    }
    if (line.length > width && breakable) found.push(`${index + 1}: ${line.length} characters`);
  });
  return found;
}

describe('the docs are wrapped', () => {
  it(`has no prose line over ${width} characters that could break at a space`, () => {
    const problems = documents.flatMap((file) => unwrapped(readFileSync(path.join(root, file), 'utf8')).map((line) => `${file}:${line}`));
    expect(problems).toEqual([]);
  });

  it('catches a long prose line, and lets a table row, a code block or one long URL be', () => {
    const long = 'word '.repeat(30).trim();
    expect(unwrapped(long)).toEqual([`1: ${long.length} characters`]);
    expect(unwrapped(`| ${long} |\n\n\`\`\`\n${long}\n\`\`\`\n\nhttps://example.org/${'x'.repeat(130)}`)).toEqual([]);
  });
});
