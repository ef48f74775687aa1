import type { WaveStatus } from '../core/waveHistory.js';
import type { ErrorCode } from '../errors/errorCodes.js';
import { isRolloutError } from '../errors/RolloutError.js';
import type { NightResult } from '../shell/runWave.js';

/**
 * What `mfa-rollout` exits with, for every command: the one table README's "Exit codes" and `--help` are written
 * from (a test holds README to it). A scheduler or a wrapper script can tell a held night from a halted rollout,
 * a held lease or a bad setting without reading the output.
 */
export const exitCodes = {
  ok: { code: 0, meaning: 'done: the command did what it was asked (a night with nothing to do included)' },
  failed: { code: 1, meaning: 'an error stopped the command (Graph, Table Storage, a file that cannot be read or written, a rollback with failures): the message names it' },
  settings: { code: 2, meaning: 'the settings are wrong (an invalid app setting, an MFA_BREAK_GLASS entry missing or naming no user, storage credentials refused, an unreadable --settings file): nothing was done' },
  leaseHeld: { code: 3, meaning: 'another run holds the rollout lease: nothing was done' },
  held: { code: 4, meaning: 'run-wave: the night was held (a Graph permission missing, directory sync off or stale, or a preflight refused): nothing was written' },
  halted: { code: 5, meaning: 'run-wave: the rollout is halted, by tonight\'s wave or since an earlier one; nothing more is enforced until `mfa-rollout resume`' },
  stopped: { code: 6, meaning: 'run-wave: the wave stopped before its end (time budget); the rest continues next night' },
  usage: { code: 7, meaning: 'the command line is wrong (unknown command or option, a missing or bad argument): see `mfa-rollout <command> --help`' },
  alreadyRan: { code: 8, meaning: 'run-wave: tonight\'s wave already ran (one wave per night): nothing was done; `--again` runs another' },
} as const satisfies Record<string, { code: number; meaning: string }>;

export type ExitName = keyof typeof exitCodes;

/** A night's outcome as the exit table names it: `wave:<status>` for a wave that ran. */
export type NightOutcomeKey = Exclude<NightResult['outcome'], 'wave'> | `wave:${WaveStatus}`;

/**
 * Every outcome of `run-wave`, and its exit. A new outcome of runWave does not compile until it has a row here.
 * (`wave:running` and `wave:held` cannot come back from a finished night; they are listed for completeness.)
 */
export const nightExits: Readonly<Record<NightOutcomeKey, ExitName>> = {
  leaseHeld: 'leaseHeld',
  alreadyRan: 'alreadyRan',
  held: 'held',
  halted: 'halted',
  nothingToDo: 'ok',
  'wave:completed': 'ok',
  'wave:halted': 'halted',
  'wave:stopped': 'stopped',
  'wave:running': 'failed',
  'wave:held': 'held',
  'wave:done': 'ok',
};

/** The error codes that have an exit of their own; every other error exits `failed`. */
const errorExits: Readonly<Partial<Record<ErrorCode, ExitName>>> = {
  CONFIG_INVALID: 'settings',
  BREAK_GLASS_MISSING: 'settings',
  BREAK_GLASS_UNRESOLVED: 'settings',
  TABLE_AUTH_FAILED: 'settings',
  LEASE_HELD: 'leaseHeld',
  USAGE_INVALID: 'usage',
  TAP_LIFETIME_INVALID: 'usage',
};

export function nightOutcomeKey(result: NightResult): NightOutcomeKey {
  return result.outcome === 'wave' ? `wave:${result.wave.status}` : result.outcome;
}

export function exitForNight(result: NightResult): ExitName {
  return nightExits[nightOutcomeKey(result)];
}

export function exitForError(error: unknown): ExitName {
  return isRolloutError(error) ? (errorExits[error.code] ?? 'failed') : 'failed';
}

/** The table as `--help` shows it. */
export function renderExitCodes(): string {
  return ['Exit codes:', ...Object.values(exitCodes).map((exit) => `  ${String(exit.code).padEnd(3)}${exit.meaning}`)].join('\n');
}
