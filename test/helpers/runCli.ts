import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../shared/cli/program.js';

/** Runs `mfa-rollout <args>` in-process with a local.settings.json, as an operator would from a shell; returns what it printed. */
export async function runCli(settings: Record<string, string>, ...args: string[]): Promise<string> {
  return (await runCliForExit(settings, ...args)).out;
}

/** `runCli`, with the exit code the command set (0 when it set none); the test process's own exit code is left as it was. */
export async function runCliForExit(settings: Record<string, string>, ...args: string[]): Promise<{ out: string; exitCode: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mfa-cli-'));
  const file = path.join(dir, 'local.settings.json');
  writeFileSync(file, JSON.stringify({ IsEncrypted: false, Values: settings }));
  const chunks: string[] = [];
  const program = buildProgram({ out: { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream });
  program.exitOverride();
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'mfa-rollout', '--settings', file, ...args]);
    return { out: chunks.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = saved;
  }
}
