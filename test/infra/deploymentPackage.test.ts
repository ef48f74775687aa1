import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ts from 'typescript';
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

/**
 * The packages the compiled functions import: their import graph over the unpacked dist/, read with TypeScript's
 * import scanner (not the script's own pattern), from dist/functions/*.js through every relative import; each must be
 * a file of the package.
 */
function packagesTheFunctionsImport(root: string): string[] {
  const builtins = new Set(builtinModules);
  const functions = path.join(root, 'dist', 'functions');
  const pending = readdirSync(functions).filter((file) => file.endsWith('.js')).map((file) => path.join(functions, file));
  const seen = new Set<string>();
  const reached = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.')) pending.push(path.resolve(path.dirname(file), fileName));
      else if (!fileName.startsWith('node:') && !builtins.has(fileName)) reached.add(fileName.split('/').slice(0, fileName.startsWith('@') ? 2 : 1).join('/'));
    }
  }
  return [...reached].sort();
}

/** Every package folder under node_modules/ (nested ones too), relative to the package root. */
function installedPackages(root: string, folder = 'node_modules'): string[] {
  if (!existsSync(path.join(root, folder))) return [];
  return readdirSync(path.join(root, folder)).filter((name) => !name.startsWith('.')).flatMap((name) => {
    const names = name.startsWith('@') ? readdirSync(path.join(root, folder, name)).map((inner) => `${folder}/${name}/${inner}`) : [`${folder}/${name}`];
    return names.flatMap((dir) => [dir, ...installedPackages(root, `${dir}/node_modules`)]);
  });
}

/** The package folders Node's lookup reaches from the root's dependencies through each package's own (and peer) dependencies. */
function packagesReachedFrom(root: string, names: readonly string[]): string[] {
  const reached = new Set<string>();
  const visit = (from: string, name: string, optional: boolean): void => {
    let dir = from;
    for (;;) {
      const candidate = path.posix.join(dir, 'node_modules', name);
      if (existsSync(path.join(root, candidate, 'package.json'))) break;
      if (dir === '.') {
        if (optional) return;
        throw new Error(`${name} (needed by ${from}) is not installed`);
      }
      dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '') || '.'; // the folder holding this node_modules
    }
    const found = path.posix.join(dir, 'node_modules', name);
    if (reached.has(found)) return;
    reached.add(found);
    const manifest = JSON.parse(readFileSync(path.join(root, found, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dependency of Object.keys(manifest['dependencies'] ?? {})) visit(found, dependency, false);
    for (const dependency of Object.keys({ ...manifest['optionalDependencies'], ...manifest['peerDependencies'] })) visit(found, dependency, true);
  };
  for (const name of names) visit('.', name, false);
  return [...reached].sort();
}

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

  it("lists as its dependencies exactly the packages the compiled functions import, and installs only those and what they need", () => {
    const packaged = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: unknown; bin?: unknown };
    const imported = packagesTheFunctionsImport(appDir);
    expect(Object.keys(packaged.dependencies).sort()).toEqual(imported);
    expect(imported).toEqual(expect.arrayContaining(['@azure/functions', '@azure/data-tables', 'zod']));
    expect(packaged.devDependencies).toBeUndefined();
    expect(packaged.bin).toBeUndefined(); // the CLI is not in the package

    // the CLI's packages are dependencies of the checkout, not of the package
    const checkout = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const cliOnly = ['cli-progress', 'commander', 'csv-parse', 'csv-stringify'];
    expect(Object.keys(checkout.dependencies)).toEqual(expect.arrayContaining(cliOnly));
    expect(entries.filter((entry) => cliOnly.some((name) => entry.startsWith(`node_modules/${name}/`)))).toEqual([]);

    // node_modules holds exactly what those dependencies need, and the lockfile says so too
    expect(installedPackages(appDir).sort()).toEqual(packagesReachedFrom(appDir, imported));
    const lock = JSON.parse(readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string> }> };
    expect(Object.keys(lock.packages['']?.dependencies ?? {}).sort()).toEqual(imported);
    expect(Object.keys(lock.packages).filter((key) => key !== '').sort()).toEqual(installedPackages(appDir).sort());
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
