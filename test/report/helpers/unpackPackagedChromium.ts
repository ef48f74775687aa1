import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The Chromium binary that the `@sparticuz/chromium` devDependency ships (brotli-packed in the package), unpacked once
 * per machine and package version into `<cacheRoot>/mfa-rollout-chromium-<version>/chromium`, and reused after.
 *
 * The package unpacks into `os.tmpdir()` itself and writes the binary in place, so a second jest worker that looks
 * while the first is still writing would launch half a file. Here each caller unpacks into a staging folder of its
 * own (a child process whose TMPDIR is that folder), then renames the folder into place: a rename is atomic, so the
 * folder is either absent or complete. When two callers race, the first rename wins and the other drops its copy.
 */
export async function unpackPackagedChromium(cacheRoot: string): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const folder = path.join(cacheRoot, `mfa-rollout-chromium-${version}`);
  const binary = path.join(folder, 'chromium');
  if (existsSync(binary)) return binary;

  const staging = mkdtempSync(`${folder}.partial-`);
  try {
    const script = 'const { default: chromium } = await import(process.argv[1]); process.stdout.write(await chromium.executablePath());';
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script, pathToFileURL(entry).href], {
      env: { ...process.env, TMPDIR: staging },
    });
    if (stdout !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium ${version} unpacked its binary to ${stdout}, not into ${staging}`);
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // another caller renamed its complete copy into place first: use that one
    if (!existsSync(binary)) throw error;
  }
  return binary;
}
