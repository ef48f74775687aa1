import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config/configSchema.js';
import { loadConfig } from '../config/loadConfig.js';
import { createLogger, stderrSink, type LogLevel, type Logger } from '../log/logEvent.js';
import { RolloutError } from '../errors/RolloutError.js';
import { buildReport } from '../shell/buildReport.js';
import { exportNotices } from '../shell/exportNotices.js';
import { importPilot } from '../shell/importPilot.js';
import { planNight } from '../shell/planNight.js';
import { resumeRollout } from '../shell/resumeRollout.js';
import { retryParkedUsers } from '../shell/retryParkedUsers.js';
import { rollbackWave } from '../shell/rollbackWave.js';
import { renderPhonesKept } from './renderPhonesKept.js';
import { openRollout, type RolloutPorts } from '../shell/rolloutPorts.js';
import { runWave } from '../shell/runWave.js';
import { renderReportHtml } from '../report/renderReportHtml.js';
import { progressOfNight } from './progressOfNight.js';
import { createProgressReporter, type ProgressReporter } from './progressReporter.js';
import { renderPlan } from './renderPlan.js';
import { renderReportText } from '../report/renderReportText.js';
import { settingsFrom } from './readSettingsFile.js';

/**
 * `mfa-rollout`: the operator's command line. Every command parses its arguments, builds the same adapters
 * as the timer function (openRollout) and calls the same shell code; nothing here decides anything.
 */

interface GlobalOptions {
  settings?: string;
  logLevel: LogLevel;
}

export interface CliIo {
  /** Where command output goes (plans, reports, rollback lists). */
  readonly out: NodeJS.WritableStream;
  /** Progress of long work: roster refresh, rollback (default: bars on a terminal's stderr, else plain lines). */
  readonly progress?: ProgressReporter;
}

/** The commander program; `main.ts` runs it on process.argv, tests run it in-process. */
export function buildProgram(io: CliIo): Command {
  const print = (text: string) => io.out.write(`${text}\n`);
  const progress = io.progress ?? createProgressReporter();
  const program = new Command()
    .name('mfa-rollout')
    .description('Roll out Microsoft Entra ID MFA in nightly waves (the same code as the Azure Function).')
    .option('--settings <file>', 'read app settings from a local.settings.json (the environment wins)')
    .addOption(new Option('--log-level <level>', 'structured log lines on stderr from this level').choices(['debug', 'info', 'warn', 'error']).default('warn'))
    .showHelpAfterError();

  function positiveInteger(value: string): number {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
    return number;
  }

  /** One run id per command: the lease holder and every log line of the run carry the same one. */
  async function withRollout<T>(command: Command, work: (config: Config, ports: RolloutPorts, logger: Logger, runId: string) => Promise<T>): Promise<T> {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const config = loadConfig(settingsFrom(globals.settings, process.env));
    const runId = `cli-${command.name()}-${randomUUID()}`;
    const logger = createLogger(stderrSink(globals.logLevel), { runId });
    const rollout = await openRollout(config, logger);
    try {
      return await work(config, rollout.ports, logger, runId);
    } finally {
      await rollout.close();
    }
  }

  program
    .command('plan')
    .description('Dry run: the next wave, and why every other user waits (no Graph writes)')
    .option('--no-refresh', 'plan from the roster as stored, without reading the users from Graph first')
    .option('--show <n>', 'planned users to list', positiveInteger, 25)
    .option('--json', 'print the plan as JSON')
    .action(async (options: { refresh: boolean; show: number; json?: boolean }, command: Command) => {
      await withRollout(command, async (config, ports, logger, runId) => {
        const refresh = progressOfNight(progress);
        const dryRun = await planNight(config, ports, logger, new Date(), { refresh: options.refresh, runId, onRefreshProgress: (users) => refresh.onProgress('refresh', users, null) })
          .finally(() => refresh.finish());
        print(options.json === true ? JSON.stringify(dryRun, null, 2) : renderPlan(dryRun, { show: options.show }));
      });
    });

  program
    .command('run-wave')
    .description('Run tonight\'s wave now (what the timer function does)')
    .action(async (_options: unknown, command: Command) => {
      await withRollout(command, async (config, ports, logger, runId) => {
        const night = progressOfNight(progress);
        const result = await runWave({ config, clock: () => new Date(), ports, logger, runId, onProgress: night.onProgress }).finally(() => night.finish());
        switch (result.outcome) {
          case 'leaseHeld':
            print(`Another run holds the lease (${result.holder}, until ${result.expiresAt}); nothing done.`);
            process.exitCode = 3;
            break;
          case 'held':
            print(`Night held: ${result.wave.reason ?? ''}. Nothing written.`);
            break;
          case 'halted':
            print(`Rollout halted since ${result.plan.haltedSince ?? '?'}: ${result.plan.haltReason ?? ''}. Run \`mfa-rollout resume\` once the cause is fixed.`);
            break;
          case 'nothingToDo':
            print('Nothing to do tonight.');
            break;
          case 'wave': {
            const wave = result.wave;
            print(`Wave ${wave.waveId} ${wave.status}: planned ${wave.planned}, enforced ${wave.enforced} (${wave.alreadyDone} already), phone methods ${wave.phoneMethodsRegistered}, failed ${wave.failed}, announced ${wave.announced}${wave.reason === null ? '' : ` — ${wave.reason}`}`);
          }
        }
      });
    });

  program
    .command('report')
    .description('Where the rollout stands: users by state, the last waves, failures by error code')
    .option('--waves <n>', 'waves to show', positiveInteger, 10)
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the report as one self-contained HTML page (chart and tables, works offline)')
    .action(async (options: { waves: number; json?: boolean; html?: string }, command: Command) => {
      await withRollout(command, async (config, ports) => {
        const report = await buildReport(config, ports, new Date(), { lastWaves: options.waves });
        if (options.html !== undefined) await writeFile(options.html, renderReportHtml(report));
        print(options.json === true ? JSON.stringify(report, null, 2) : renderReportText(report));
        if (options.html !== undefined && options.json !== true) print(`\nHTML report written to ${options.html}.`);
      });
    });

  program
    .command('resume')
    .description('Lift a halt after the cause is fixed: the next night plans a wave again')
    .requiredOption('--note <text>', 'why it is safe to resume (kept in the wave history)')
    .action(async (options: { note: string }, command: Command) => {
      await withRollout(command, async (config, ports, logger) => {
        const { resumedWaveId } = await resumeRollout(config, ports, logger, new Date(), options.note);
        print(`Resumed after halted wave ${resumedWaveId}.`);
      });
    });

  program
    .command('retry-parked [users...]')
    .description('Give parked users (failed MFA_MAX_ATTEMPTS nights, or at once on a data error) new attempts once the cause is fixed: the next night retries them first')
    .option('--all', 'every parked user')
    .option('--dry-run', 'list who would be released, write nothing')
    .action(async (users: string[], options: { all?: boolean; dryRun?: boolean }, command: Command) => {
      if ((options.all === true) === (users.length > 0)) {
        throw new RolloutError('USERS_NOT_PARKED', 'retry-parked: name the users (object ids or UPNs), or pass --all, not both');
      }
      await withRollout(command, async (config, ports, logger) => {
        const result = await retryParkedUsers(config, ports, logger, new Date(), options.all === true ? { all: true } : { users }, options.dryRun === true);
        for (const user of result.users.slice(0, 50)) print(`  ${user.upn.padEnd(48)} parked in ${user.waveId} after ${user.attempts} attempt(s): ${user.errorCode}`);
        if (result.users.length > 50) print(`  ... and ${result.users.length - 50} more`);
        print(result.dryRun
          ? `Dry run: ${result.users.length} parked user(s) would get ${config.maxAttempts} new attempt(s). Nothing written.`
          : `Released ${result.users.length} parked user(s): the next night retries them first, up to ${config.maxAttempts} attempt(s) (MFA_MAX_ATTEMPTS).`);
      });
    });

  program
    .command('rollback')
    .description('Undo exactly what one wave changed (per-user MFA state back, or out of the MFA group); safe to run twice')
    .requiredOption('--wave <id>', 'the wave to undo (see `mfa-rollout report`)')
    .option('--dry-run', 'list what would change, write nothing')
    .option('--remove-phone-methods', 'also delete the mobile phone methods the wave created (never ones that existed before)')
    .action(async (options: { wave: string; dryRun?: boolean; removePhoneMethods?: boolean }, command: Command) => {
      await withRollout(command, async (config, ports, logger, runId) => {
        let started = false;
        const result = await rollbackWave(config, ports, logger, new Date(), {
          waveId: options.wave, dryRun: options.dryRun === true, removePhoneMethods: options.removePhoneMethods === true, runId,
          onProgress: (done, total) => {
            if (!started) progress.start(`rolling back wave ${options.wave}`, total);
            started = true;
            progress.update(done, total);
          },
        }).finally(() => progress.stop());
        for (const entry of result.actions.slice(0, 50)) print(`  ${entry.upn.padEnd(48)} ${entry.actions.join(', ')}`);
        if (result.actions.length > 50) print(`  ... and ${result.actions.length - 50} more`);
        if (result.excluded.length > 0) print(`Not touched, excluded now: ${result.excluded.join(', ')}`);
        if (result.dryRun) print(`Dry run: ${result.actions.length} user(s) of wave ${options.wave} would be rolled back (${result.alreadyReverted} already were). Nothing written.`);
        else {
          print(`Rollback ${result.rollbackWaveId ?? ''}: ${result.reverted} of ${result.actions.length} user(s) of wave ${options.wave} rolled back (${result.alreadyReverted} already were), ${result.failed.length} failed.`);
          for (const line of renderPhonesKept(result.phoneKept)) print(line);
          if (result.failed.length > 0) process.exitCode = 1;
        }
      });
    });

  const pilot = program.command('pilot').description('The pilot ring');
  pilot
    .command('import <file>')
    .description('Replace the imported pilot list from a CSV: the MFA portal bulk-update file (Username, MFA Status) or a list of UPNs; every bad row is reported by line and nothing is imported unless all are good')
    .action(async (file: string, _options: unknown, command: Command) => {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new RolloutError('CSV_INVALID', `${file}: cannot read the file (${error.code ?? 'unreadable'})`);
      });
      await withRollout(command, async (config, ports) => {
        const result = await importPilot(config, ports, text, new Date());
        print(`Imported ${result.imported} pilot user(s) from ${file} (${result.skipped} Disabled row(s) skipped, ${result.duplicates} duplicate(s)).`);
        if (result.excluded.length > 0) print(`Kept out of the pilot because they are excluded: ${result.excluded.join(', ')}`);
      });
    });

  program
    .command('notices')
    .description('Export the notice list for comms as CSV (who is announced, and from when MFA applies)')
    .requiredOption('--csv <file>', 'write the CSV here (- for standard output)')
    .option('--since <iso-date>', 'only notices announced from this date on')
    .action(async (options: { csv: string; since?: string }, command: Command) => {
      await withRollout(command, async (_config, ports) => {
        const { csv, rows } = await exportNotices(ports, options.since === undefined ? {} : { since: options.since });
        if (options.csv === '-') io.out.write(csv);
        else {
          await writeFile(options.csv, csv);
          print(`Wrote ${rows} notice(s) to ${options.csv}.`);
        }
      });
    });

  return program;
}
