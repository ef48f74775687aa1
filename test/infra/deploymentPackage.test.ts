import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from './bicepText.js';

/**
 * The deployment package as infra/package-app.sh builds it (the real script), read back entry by entry, then unpacked
 * into a clean temp folder and loaded from there by a child process whose working directory is that folder, as the
 * Functions host's Node.js worker loads it: nothing can resolve from the checkout's node_modules.
 */

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'mfa-package-'));
const zipFile = path.join(work, 'app.zip');
const appDir = path.join(work, 'app');
let entries: string[] = [];

interface LoadedApp {
  readonly main: string;
  readonly files: string[];
  readonly registered: { name: string; bindings: Record<string, Record<string, unknown>>; handler: string }[];
  readonly resolved: string[];
}

beforeAll(async () => {
  await run('bash', [path.join(repoRoot, 'infra', 'package-app.sh'), zipFile], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  entries = (await run('unzip', ['-Z1', zipFile], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter((entry) => entry !== '');
  await run('unzip', ['-q', zipFile, '-d', appDir]);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the deployment package (infra/package-app.sh)', () => {
  it('holds the three functions with host.json and package.json at the root', () => {
    expect(entries).toEqual(expect.arrayContaining(['host.json', 'package.json', 'package-lock.json', 'dist/functions/nightlyWave.js', 'dist/functions/onCallReport.js', 'dist/functions/tenantNight.js']));
    expect(entries.filter((entry) => entry.startsWith('dist/functions/') && entry.endsWith('.js')).sort()).toEqual(['dist/functions/nightlyWave.js', 'dist/functions/onCallReport.js', 'dist/functions/tenantNight.js']);
    expect(entries).toEqual(expect.arrayContaining(['node_modules/@azure/functions/package.json', 'node_modules/@azure/data-tables/package.json']));
  });

  it('holds only the functions, the shared modules they reach and production dependencies: no dev program, test, source or dev dependency', () => {
    const outside = entries.filter((entry) => !/^(host\.json|package\.json|package-lock\.json|dist\/|dist\/(functions|shared)\/.*|node_modules\/.*)$/.test(entry));
    expect(outside).toEqual([]);
    expect(entries.filter((entry) => /^dist\/(sandbox|rehearsal|chaos|bench|test|queuehost)\//.test(entry))).toEqual([]); // queuehost: the local queue host, a test harness
    expect(entries.filter((entry) => entry.startsWith('dist/shared/cli/'))).toEqual([]); // the functions never reach the command line
    expect(entries.filter((entry) => !entry.startsWith('node_modules/') && /\.ts$/.test(entry))).toEqual([]);

    // every package the lockfile marks dev-only (the devDependencies and what only they pull in) is absent
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([key, info]) => key !== '' && info.dev === true).map(([key]) => `${key}/`);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/selfsigned/', 'node_modules/@sparticuz/chromium/', 'node_modules/azurite/']));
    expect(entries.filter((entry) => devOnly.some((prefix) => entry.startsWith(prefix)))).toEqual([]);
  });

  it('loads from a clean folder with its production dependencies only: every function registers, every module from the package', async () => {
    const loader = path.join(repoRoot, 'test', 'infra', 'helpers', 'loadFunctionApp.mjs');
    const { stdout } = await run(process.execPath, [loader], { cwd: appDir, env: { PATH: process.env['PATH'] ?? '' }, maxBuffer: 16 * 1024 * 1024 });
    const loaded = JSON.parse(stdout) as LoadedApp;

    expect(loaded.main).toBe('dist/functions/*.js');
    expect(loaded.registered.map((entry) => entry.name)).toEqual(['nightlyWave', 'onCallReport', 'tenantNight']);
    const [nightly, report, tenant] = loaded.registered.map((entry) => Object.values(entry.bindings));
    expect(nightly).toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%MFA_WAVE_SCHEDULE%', runOnStartup: false })]);
    expect(report).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'httpTrigger', direction: 'in', authLevel: 'function', route: 'report', methods: ['GET'] }),
      expect.objectContaining({ type: 'http', direction: 'out' }),
    ]));
    expect(tenant).toEqual([expect.objectContaining({ type: 'queueTrigger', direction: 'in', queueName: '%MFA_TENANT_QUEUE%', connection: 'AzureWebJobsStorage' })]);
    expect(loaded.registered.map((entry) => entry.handler)).toEqual(['function', 'function', 'function']);

    const inPackage = pathToFileURL(`${realpathSync(appDir)}/`).href;
    expect(loaded.resolved.filter((url) => !url.startsWith('node:') && !url.startsWith(inPackage))).toEqual([]);
    for (const module of ['dist/shared/shell/runWave.js', 'node_modules/@azure/functions/', 'node_modules/@azure/data-tables/', 'node_modules/@azure/storage-queue/', 'node_modules/@microsoft/microsoft-graph-client/']) {
      expect(loaded.resolved.some((url) => url.startsWith(`${inPackage}${module}`))).toBe(true);
    }
  });
});
