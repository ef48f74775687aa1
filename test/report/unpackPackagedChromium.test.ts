import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { unpackPackagedChromium } from './helpers/unpackPackagedChromium.js';

/** Each test unpacks into a folder of its own, never into the machine's shared copy (that one is unpacked once). */
const roots: string[] = [];
function freshRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'mfa-chromium-cache-'));
  roots.push(root);
  return root;
}

/** Resolves once a file of that name exists anywhere under root (checked every 10 ms, for at most a minute). */
async function fileAppears(root: string, name: string): Promise<void> {
  for (let tries = 0; tries < 6000; tries += 1) {
    if (readdirSync(root, { recursive: true, encoding: 'utf8' }).some((entry) => path.basename(entry) === name)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${name} appeared under ${root} within a minute`);
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('unpackPackagedChromium (the browser of the @sparticuz/chromium devDependency)', () => {
  it('a caller that starts while another is still unpacking, as a second jest worker would, gets a complete binary', async () => {
    const root = freshRoot();
    const first = unpackPackagedChromium(root);
    await fileAppears(root, 'chromium'); // the first caller is writing the binary now
    const second = await unpackPackagedChromium(root);
    // started the moment the second caller has the path, while the first may still be writing its copy
    expect(execFileSync(second, ['--version'], { encoding: 'utf8' })).toMatch(/^Chromium \d+\./);
    expect(await first).toBe(second);
    expect(path.dirname(path.dirname(second))).toBe(root);
    expect(readdirSync(root)).toEqual([path.basename(path.dirname(second))]); // no partial copy left behind
  }, 120_000);

  it('reuses a copy already in place, without unpacking again', async () => {
    const root = freshRoot();
    const entry = path.join(path.dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'package.json');
    const { version } = JSON.parse(readFileSync(entry, 'utf8')) as { version: string };
    const folder = path.join(root, `mfa-rollout-chromium-${version}`);
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'chromium'), 'already here');
    expect(await unpackPackagedChromium(root)).toBe(path.join(folder, 'chromium'));
    expect(readFileSync(path.join(folder, 'chromium'), 'utf8')).toBe('already here');
    expect(readdirSync(root)).toEqual([path.basename(folder)]);
  });
});
