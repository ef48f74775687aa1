import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const text = readFileSync(path.join(root, 'docs/graph-behaviour.md'), 'utf8');

/** The sections the project's record of Graph keeps, in order, by title. */
const sections = [
  'Per-user MFA state', 'Phone methods', 'Authentication methods list', 'Registration report', 'Users and paging', 'Directory sync',
  'Groups and membership', 'Conditional Access', 'Authentication strengths', 'Methods policy and registration campaign', 'Passkeys',
  'Temporary Access Pass', 'Security defaults', 'Directory roles', 'Sign-in activity', 'Mail', 'JSON batching', 'Throttling', 'Errors',
  'Tokens and permissions', 'SMS and voice retirement', 'Multi-tenant apps',
];
const anchorOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
const bodies = new Map(text.split(/^## /m).slice(1).map((part) => [part.split('\n', 1)[0]?.trim() ?? '', part]));
const definitions = new Map([...text.matchAll(/^\[([^\]]+)\]:\s*(\S+)/gm)].map((match) => [match[1] ?? '', match[2] ?? '']));
const microsoftSource = /^https:\/\/(learn\.microsoft\.com|[a-z.]*microsoft\.com|github\.com\/(microsoftgraph|MicrosoftDocs|AzureAD|Azure))\//i;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|md)$/.test(name) ? [full] : [];
  });
}

describe('docs/graph-behaviour.md, the project\'s record of Graph', () => {
  it('has every section, each citing at least one Microsoft source, with every reference defined', () => {
    for (const title of sections) {
      const body = bodies.get(title);
      expect({ title, present: body !== undefined }).toEqual({ title, present: true });
      const references = [...(body ?? '').matchAll(/\]\[([^\]]+)\]/g)].map((match) => match[1] ?? '');
      const undefinedReferences = references.filter((reference) => !definitions.has(reference));
      expect({ title, undefinedReferences }).toEqual({ title, undefinedReferences: [] });
      const microsoft = references.filter((reference) => microsoftSource.test(definitions.get(reference) ?? ''));
      expect({ title, cites: microsoft.length > 0 }).toEqual({ title, cites: true });
    }
  });

  it('lists what is unverified, as numbered checks to make on a test tenant', () => {
    const unverified = [...bodies.entries()].find(([title]) => title.startsWith('Unverified'))?.[1] ?? '';
    expect(unverified.match(/^\d+\. \*\*/gm)?.length ?? 0).toBeGreaterThanOrEqual(10);
  });

  it('has every anchor the code and the docs cite (docs/graph-behaviour.md#…)', () => {
    const anchors = new Set([...bodies.keys()].map(anchorOf));
    const missing: string[] = [];
    for (const file of ['shared', 'sandbox', 'chaos', 'rehearsal', 'bench', 'test', 'docs'].flatMap((folder) => sourceFiles(path.join(root, folder)))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/graph-behaviour\.md#([a-z0-9-]+)/g)) {
        if (!anchors.has(match[1] ?? '')) missing.push(`${path.relative(root, file)}: #${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
