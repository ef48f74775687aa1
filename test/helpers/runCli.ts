import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProgram, type CliIo } from '../../shared/cli/program.js';
import { runCommandLine } from '../../shared/cli/runCommandLine.js';

function settingsFile(settings: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mfa-cli-'));
  const file = path.join(dir, 'local.settings.json');
  writeFileSync(file, JSON.stringify({ IsEncrypted: false, Values: settings }));
  return file;
}

function collector() {
  const chunks: string[] = [];
  return { stream: { write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

/** Runs `mfa-rollout <args>` in-process with a local.settings.json, as an operator would from a shell; returns what it printed. */
export async function runCli(settings: Record<string, string>, ...args: string[]): Promise<string> {
  const out = collector();
  const program = buildProgram({ out: out.stream });
  await program.parseAsync(['node', 'mfa-rollout', '--settings', settingsFile(settings), ...args]);
  return out.text();
}

export interface CommandRun {
  readonly exitCode: number;
  readonly out: string;
  readonly err: string;
}

/**
 * `mfa-rollout <args>` exactly as main.ts runs it (runCommandLine): the exit code, stdout and stderr. `settings` null
 * passes no --settings file (the arguments then say everything).
 */
export async function runCommand(settings: Record<string, string> | null, args: readonly string[], io: Pick<CliIo, 'progress' | 'logSink'> = {}): Promise<CommandRun> {
  const out = collector();
  const err = collector();
  const prefix = settings === null ? [] : ['--settings', settingsFile(settings)];
  const exitCode = await runCommandLine(['node', 'mfa-rollout', ...prefix, ...args], { out: out.stream, err: err.stream, ...io });
  return { exitCode, out: out.text(), err: err.text() };
}

/** `runCli`, with the exit code the command set (as main.ts exits with it). */
export async function runCliForExit(settings: Record<string, string>, ...args: string[]): Promise<{ out: string; exitCode: number }> {
  const run = await runCommand(settings, args);
  return { out: run.out, exitCode: run.exitCode };
}
