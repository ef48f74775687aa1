import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { chromiumExecutable } from './helpers/chromiumExecutable.js';

const saved = process.env['CHROMIUM_PATH'];
afterEach(() => {
  if (saved === undefined) delete process.env['CHROMIUM_PATH'];
  else process.env['CHROMIUM_PATH'] = saved;
});

describe('chromiumExecutable (which browser the HTML report test drives)', () => {
  it('CHROMIUM_PATH wins when it names a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mfa-chromium-path-'));
    const binary = path.join(dir, 'my-chromium');
    writeFileSync(binary, '');
    process.env['CHROMIUM_PATH'] = binary;
    try {
      expect(await chromiumExecutable()).toBe(binary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CHROMIUM_PATH naming nothing fails, naming the path, rather than falling back', async () => {
    process.env['CHROMIUM_PATH'] = '/nonexistent/chromium';
    await expect(chromiumExecutable()).rejects.toThrow('CHROMIUM_PATH is /nonexistent/chromium, and there is no file there');
  });

  it("without CHROMIUM_PATH: Debian's /usr/bin/chromium when present, else the packaged binary", async () => {
    delete process.env['CHROMIUM_PATH'];
    const binary = await chromiumExecutable();
    if (existsSync('/usr/bin/chromium')) expect(binary).toBe('/usr/bin/chromium');
    else expect(binary).toMatch(/\/mfa-rollout-chromium-\d+\.\d+\.\d+\/chromium$/);
    expect(existsSync(binary)).toBe(true);
  }, 120_000);
});
