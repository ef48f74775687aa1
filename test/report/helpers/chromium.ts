import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it), or CHROMIUM_PATH. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface OpenChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium driven by playwright-core, with the flags this machine needs (no sandbox as root, no GPU, and no
 * background networking: the machine has no network) and a fresh profile. Throws, with what to install, when the
 * browser is missing: the HTML report test must fail then, never skip.
 */
export async function openChromium(): Promise<OpenChromium> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Headless Chromium is required by the HTML report test and was not found at ${chromiumPath}. ` +
        "Install Debian's package (apt-get install -y chromium; .ci/run does this when it is missing), or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'mfa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
