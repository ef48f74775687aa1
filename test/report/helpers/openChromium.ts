import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumExecutable } from './chromiumExecutable.js';

export interface OpenChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium driven by playwright-core, with the flags these machines need (no sandbox as root, no GPU, and no
 * background networking: the machine has no network) and a fresh profile. Which binary: see chromiumExecutable.
 */
export async function openChromium(): Promise<OpenChromium> {
  const executablePath = await chromiumExecutable();
  const profile = mkdtempSync(path.join(tmpdir(), 'mfa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
