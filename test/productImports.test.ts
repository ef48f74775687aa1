import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

/**
 * The product (functions/ and shared/: what the Function App and the `mfa-rollout` command line run) never imports the
 * dev-only programs: sandbox/, rehearsal/, chaos/, bench/, queuehost/, test/. The compiler says what the product reaches: the
 * product build's program (tsconfig.build.json) holds every file its sources import, statically, with import type,
 * or through `import('literal')`. An import the compiler cannot follow (a computed `import()`, `require`) is refused
 * outright, so nothing reaches past it unseen.
 */

const root = fileURLToPath(new URL('../', import.meta.url));
const productFolders = ['functions', 'shared'];

function sourcesUnder(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).map((file) => path.join(folder, file));
}

describe('the product imports nothing dev-only', () => {
  it('the product build compiles only functions/ and shared/ (and packages): no file of sandbox, rehearsal, chaos, bench, queuehost or test', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--listFilesOnly'], { maxBuffer: 16 * 1024 * 1024 });
    const ours = stdout.split('\n').filter((file) => file !== '').map((file) => path.relative(root, file)).filter((file) => !file.startsWith('..') && !file.split(path.sep).includes('node_modules'));
    expect(ours.filter((file) => !productFolders.includes(file.split(path.sep)[0] ?? ''))).toEqual([]);
    expect(ours.sort()).toEqual(productFolders.flatMap(sourcesUnder).sort()); // and all of them: the listing is complete
  }, 120_000);

  it('no product source loads a module the compiler cannot follow (computed import(), require)', () => {
    const unfollowable = productFolders.flatMap(sourcesUnder).flatMap((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const found = [...text.matchAll(/\bimport\(\s*(?!['"])[^)]*\)|\brequire\(|\bcreateRequire\b/g)];
      return found.map((match) => `${file}: ${match[0]}`);
    });
    expect(unfollowable).toEqual([]);
  });
});
