import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jsonSyntaxError } from '../config/jsonSyntaxError.js';
import { RolloutError } from '../errors/RolloutError.js';

const settingsFile = z.object({ Values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) });

/**
 * The app settings a CLI run uses: `local.settings.json`'s `Values` (the same file the Functions host reads
 * locally), under the process environment, which wins as it does for the host.
 */
export function settingsFrom(file: string | undefined, env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  if (file === undefined) return { ...env };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RolloutError('CONFIG_INVALID', `--settings ${file}: expected a readable local.settings.json (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // where the JSON breaks, never what is there: the file holds secrets
    const syntax = jsonSyntaxError(text);
    const where = syntax === null ? '' : ` at line ${syntax.line}, column ${syntax.column}: JSON needs ${syntax.expected} there`;
    throw new RolloutError('CONFIG_INVALID', `--settings ${file}: expected a readable local.settings.json (not valid JSON${where})`);
  }
  const values = settingsFile.safeParse(parsed);
  if (!values.success) throw new RolloutError('CONFIG_INVALID', `--settings ${file}: expected an object with a "Values" object of strings`);
  const fromFile = Object.fromEntries(Object.entries(values.data.Values).map(([key, value]) => [key, String(value)]));
  return { ...fromFile, ...env };
}
