import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import type { Config } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { createLogger, type Logger } from '../../shared/log/logEvent.js';
import { openRollout, type OpenRollout } from '../../shared/shell/rolloutPorts.js';
import { phoneTrackSettings, sandboxSettings } from '../../rehearsal/sandboxSettings.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox/startSandbox.js';
import { uniqueTablePrefix, useAzurite } from './azurite.js';

export interface SandboxTenant {
  readonly sandbox: SandboxHandle;
  readonly azuriteConnection: string;
  readonly caFile: string;
  /** App settings pointing at this sandbox and Azurite, with fresh tables, plus the given overrides. */
  settings(overrides?: Record<string, string>): Record<string, string>;
  /** A validated config and the real adapters for it; closed after the test file. */
  open(overrides?: Record<string, string>, logger?: Logger): Promise<{ config: Config; rollout: OpenRollout; logLines: string[] }>;
}

/** A real sandbox tenant (HTTPS) and a real Azurite for the test file, stopped afterwards. */
export function useSandboxTenant(options: SandboxOptions = {}): () => SandboxTenant {
  const azurite = useAzurite();
  let tenant: SandboxTenant | undefined;
  let workDir = '';
  const opened: OpenRollout[] = [];
  beforeAll(async () => {
    const sandbox = await startSandbox({ users: 60, seed: 7, ...options });
    workDir = mkdtempSync(path.join(tmpdir(), 'mfa-test-'));
    const caFile = path.join(workDir, 'ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const settings = (overrides: Record<string, string> = {}) => ({
      ...sandboxSettings(sandbox, azurite().connectionString, caFile),
      MFA_TABLE_PREFIX: uniqueTablePrefix('rollout'),
      MFA_NOTICE_DAYS: '0',
      ...phoneTrackSettings,
      ...overrides,
    });
    tenant = {
      sandbox,
      azuriteConnection: azurite().connectionString,
      caFile,
      settings,
      async open(overrides = {}, logger) {
        const config = loadConfig(settings(overrides));
        const logLines: string[] = [];
        const rollout = await openRollout(config, logger ?? createLogger((_level, line) => logLines.push(line)));
        opened.push(rollout);
        return { config, rollout, logLines };
      },
    };
  }, 60_000);
  afterAll(async () => {
    for (const rollout of opened) await rollout.close();
    await tenant?.sandbox.stop();
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });
  return () => {
    if (tenant === undefined) throw new Error('the sandbox tenant is not running (used outside a test?)');
    return tenant;
  };
}
