import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
  const parsed = parseJsonOrRefuse(text, `--settings ${file}: expected a readable local.settings.json`);
  const values = settingsFile.safeParse(parsed);
  if (!values.success) throw new RolloutError('CONFIG_INVALID', `--settings ${file}: expected an object with a "Values" object of strings`);
  const fromFile = Object.fromEntries(Object.entries(values.data.Values).map(([key, value]) => [key, String(value)]));
  return { ...fromFile, ...env };
}

/**
 * A tenant's own settings for `mfa-rollout tenants add --settings-file`: a JSON object of app-setting names and
 * values (numbers and booleans are taken as the strings an app setting holds).
 */
export async function tenantSettingsFrom(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new RolloutError('CONFIG_INVALID', `--settings-file ${file}: expected a readable JSON file (${error.code ?? 'unreadable'})`);
  });
  const parsed = parseJsonOrRefuse(text, `--settings-file ${file}: expected a JSON object of settings`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((value) => ['string', 'number', 'boolean'].includes(typeof value))) {
    throw new RolloutError('CONFIG_INVALID', `--settings-file ${file}: expected a JSON object of setting names and string values, e.g. {"MFA_WAVE_SIZE":"100"}`);
  }
  return Object.fromEntries(Object.entries(parsed as Record<string, string | number | boolean>).map(([name, value]) => [name, String(value)]));
}

/** JSON.parse, or CONFIG_INVALID saying where the JSON breaks, never what is there (a settings file holds secrets). */
function parseJsonOrRefuse(text: string, expectation: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const syntax = jsonSyntaxError(text);
    const where = syntax === null ? '' : ` at line ${syntax.line}, column ${syntax.column}: JSON needs ${syntax.expected} there`;
    throw new RolloutError('CONFIG_INVALID', `${expectation} (not valid JSON${where})`);
  }
}
