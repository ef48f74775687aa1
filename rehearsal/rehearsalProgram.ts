import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../shared/config/configSchema.js';
import type { LogLevel, LogSink } from '../shared/log/logEvent.js';
import { createProgressReporter, type ProgressReporter } from '../shared/cli/progressReporter.js';
import { rehearse } from './rehearse.js';
import { rehearseTenants } from './rehearseTenants.js';
import { checkOutputFile } from '../shared/cli/writeOutputFile.js';
import { isRolloutError } from '../shared/errors/RolloutError.js';
import { operatorHint } from '../shared/errors/errorCodes.js';

export interface RehearsalIo {
  /** Where the per-night table and the summary go. */
  readonly out: NodeJS.WritableStream;
  /** Receives the structured log lines of the rollout (default: stderr at --log-level). */
  readonly logSink?: LogSink;
  /** Progress of each night (default: bars on a terminal's stderr, else plain lines). */
  readonly progress?: ProgressReporter;
  /** Receives the exit code (0: every check passed); default: process.exitCode. */
  readonly setExit?: (code: number) => void;
}

interface RehearsalFlags {
  users: number;
  waveSize: number;
  start?: string;
  nights?: number;
  smsDelivery: Config['smsDelivery'];
  signInShare: number;
  registerProbability: number;
  seed: number;
  strategy: Config['strategy'];
  noticeDays: number;
  report: string;
  logLevel: LogLevel;
  tenants?: number;
  workers: number;
}

function share(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return number;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  }
  return value;
}

function atLeastOne(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return number;
}

/**
 * `npm run rehearse -- [options]`: a whole rollout against a generated sandbox tenant and Azurite, night by night.
 * A dev-only program (it starts the sandbox), kept out of the product's `mfa-rollout` command line. `main.ts` runs
 * it on process.argv; tests run it in-process. The exit code is 0 only when every check of the rehearsal passed.
 */
/** Sized so the default run (tonight through the day after the retirement date) stays under 3 minutes on 2 cores. */
export const defaultUsers = 300;

/**
 * `--tenants N`: each tenant's size varies around 40 users (24 to 160) and 12 nights are rehearsed unless --users and
 * --nights say otherwise, so that 20 tenants (1,108 users) finish in about 2 minutes on 2 cores (12 nights: 119 s, `npm run rehearse -- --tenants 20` on 2026-12-02).
 */
export const defaultTenantUsers = 40;
export const defaultTenantNights = 12;

export function buildRehearsalProgram(io: RehearsalIo): Command {
  const program = new Command('rehearse')
    .description('Rehearse the passkey journey to the SMS retirement date against a generated sandbox tenant and Azurite (no Azure account), night by night')
    .option('--users <n>', 'users in the sandbox tenant', atLeastOne, defaultUsers)
    .option('--wave-size <k>', 'MFA_WAVE_SIZE for the rehearsal', atLeastOne, 20)
    .option('--start <date>', 'first night (YYYY-MM-DD, UTC); default: tonight', day)
    .option('--nights <m>', 'nights to simulate; default: through the day after the SMS retirement date', atLeastOne)
    .addOption(new Option('--sms-delivery <mode>', 'MFA_SMS_DELIVERY, and the same scenario in the sandbox').choices(['microsoft', 'customerManaged']).default('microsoft'))
    .option('--sign-in-share <share>', 'share of the accounts that sign in each simulated day', share, 0.5)
    .option('--register-probability <p>', 'chance that a prompted user registers a passkey at that prompt', share, 0.3)
    .option('--seed <s>', 'seed of the generated tenant', atLeastOne, 1)
    .addOption(new Option('--strategy <name>', 'how MFA is required').choices(['perUserMfa', 'conditionalAccessGroup']).default('perUserMfa'))
    .option('--notice-days <d>', 'MFA_NOTICE_DAYS for the rehearsal', (value) => Number(value), 3)
    .option('--report <file>', 'write the HTML report here at the end', 'rehearsal-report.html')
    .option('--tenants <n>', 'many tenants: N generated tenants of varied sizes and settings in one multi-tenant sandbox, run through the registry, the fan-out, the queue and queue-host workers (then --users is the size they vary around, default 40, --nights defaults to 12, and --wave-size, --strategy, --sms-delivery, --notice-days vary per tenant instead)', atLeastOne)
    .option('--workers <n>', 'with --tenants: queue-host worker processes (scaled-out instances)', atLeastOne, 2)
    .addOption(new Option('--log-level <level>', 'structured log lines on stderr from this level').choices(['debug', 'info', 'warn', 'error']).default('warn'))
    .showHelpAfterError()
    .action(async (flags: RehearsalFlags, command: Command) => {
      const { logLevel, start, nights, tenants, workers, ...options } = flags;
      await checkOutputFile('--report', options.report); // before the nights, not after them
      if (tenants !== undefined) {
        const outcome = await rehearseTenants({
          tenants,
          users: command.getOptionValueSource('users') === 'default' ? defaultTenantUsers : options.users,
          nights: nights ?? defaultTenantNights,
          ...(start === undefined ? {} : { start }),
          seed: options.seed,
          workers,
          signInShare: options.signInShare,
          registerProbability: options.registerProbability,
          out: io.out,
          logLevel,
          report: options.report,
        });
        (io.setExit ?? ((code: number) => { process.exitCode = code; }))(outcome.ok ? 0 : 1);
        return;
      }
      const outcome = await rehearse({
        ...options,
        ...(start === undefined ? {} : { start }),
        ...(nights === undefined ? {} : { nights }),
        out: io.out,
        progress: io.progress ?? createProgressReporter(),
        logLevel,
        ...(io.logSink === undefined ? {} : { logSink: io.logSink }),
      });
      (io.setExit ?? ((code: number) => { process.exitCode = code; }))(outcome.ok ? 0 : 1);
    });
  return program;
}

/**
 * Runs the rehearsal's command line and returns its exit code: 0 when every check passed, 1 when a check failed or
 * an error stopped it (printed as one `CODE: message` line, like the product's command line), 7 for a wrong command line.
 */
export async function runRehearsalCommandLine(argv: readonly string[], io: RehearsalIo & { readonly err: NodeJS.WritableStream }): Promise<number> {
  let exit = 0;
  const program = buildRehearsalProgram({ ...io, setExit: (code) => { exit = code; } }).exitOverride();
  try {
    await program.parseAsync([...argv]);
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 7;
    if (isRolloutError(error)) {
      io.err.write(`${error.code}: ${error.message}\nWhat to do: ${operatorHint(error.code)}\n`);
      return 1;
    }
    throw error;
  }
}
