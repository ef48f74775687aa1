import { CommanderError } from 'commander';
import { operatorHint } from '../errors/errorCodes.js';
import { isRolloutError } from '../errors/RolloutError.js';
import { exitCodes, exitForError, type ExitName } from './exitCodes.js';
import { buildProgram, type CliIo } from './program.js';

export interface CommandLineIo extends Omit<CliIo, 'setExit' | 'err'> {
  /** Where errors go: one line of code and message, then what to do (never a stack for an expected error). */
  readonly err: NodeJS.WritableStream;
}

/** commander's codes for a help or version request: not errors. */
const informational = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs `mfa-rollout <argv>` and returns its exit code (exitCodes.ts). A RolloutError prints as
 * `CODE: message` and the operator hint; a command-line mistake as commander's own message and the usage (exit
 * `usage`); only an error the rollout did not expect (a bug) prints its stack, under INTERNAL.
 */
export async function runCommandLine(argv: readonly string[], io: CommandLineIo): Promise<number> {
  let exit: ExitName = 'ok';
  const program = buildProgram({ ...io, setExit: (name) => { exit = name; } });
  try {
    await program.parseAsync([...argv]);
    return exitCodes[exit].code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed its message (and the help) through configureOutput already
      return informational.has(error.code) ? exitCodes.ok.code : exitCodes.usage.code;
    }
    if (isRolloutError(error)) {
      io.err.write(`${error.code}: ${error.message}\n${error.requestId === undefined ? '' : `Graph request-id: ${error.requestId}\n`}What to do: ${operatorHint(error.code)}\n`);
      return exitCodes[exitForError(error)].code;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err.write(`INTERNAL: an unexpected error in mfa-rollout itself. ${operatorHint('INTERNAL')}\n${detail}\n`);
    return exitCodes.failed.code;
  }
}
