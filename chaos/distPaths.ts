import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, whether this module runs compiled (`dist/chaos/*.js`) or from source under jest
 * (`chaos/*.ts`): the children always run the compiled CLI, as an operator or the host would.
 */
export function projectRoot(): string {
  const folder = path.dirname(fileURLToPath(import.meta.url));
  const parent = path.dirname(folder);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
}

/** `dist/shared/cli/main.js`: the `mfa-rollout` command line (`npm run build` first). */
export function cliPath(): string {
  return path.join(projectRoot(), 'dist', 'shared', 'cli', 'main.js');
}
