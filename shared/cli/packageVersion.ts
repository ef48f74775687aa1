import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The version in mfa-rollout's package.json, for `mfa-rollout --version`: found by walking up from this module,
 * which sits at a different depth from source (tests) and from `dist/` (the built CLI and the deployed package).
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'mfa-rollout' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here, or not ours: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
