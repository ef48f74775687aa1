import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const folders = ['shared', 'functions', 'sandbox', 'rehearsal', 'bench', 'chaos', 'queuehost', 'test', 'infra', 'docs'];
const citation = new RegExp(['\\b[Ii]ssues? ', '#?\\d+'].join(''));

function files(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return files(full);
    return /\.(ts|mjs|js|sh|bicep|md)$/.test(name) ? [full] : [];
  });
}

describe('code and docs say what they mean, not which issue asked for it', () => {
  it('no source file or doc cites an issue number (cite docs/graph-behaviour.md or say it in words)', () => {
    const cited = [...folders.flatMap((folder) => files(path.join(root, folder))), path.join(root, 'README.md')].flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').flatMap((line, index) => (citation.test(line) ? [`${path.relative(root, file)}:${index + 1}: ${line.trim()}`] : [])));
    expect(cited).toEqual([]);
  });
});
