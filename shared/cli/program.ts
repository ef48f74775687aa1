import { randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from '../config/configSchema.js';
import { loadConfig, loadDeploymentConfig } from '../config/loadConfig.js';
import { createLogger, stderrSink, type LogLevel, type LogSink, type Logger } from '../log/logEvent.js';
import { RolloutError } from '../errors/RolloutError.js';
import { buildReport } from '../shell/buildReport.js';
import { buildTenantsReport } from '../shell/buildTenantsReport.js';
import { renderTenantsHtml } from '../report/renderTenantsHtml.js';
import { renderTenantsText } from '../report/renderTenantsText.js';
import { exportNotices } from '../shell/exportNotices.js';
import { loadRegisteredTenant } from '../shell/loadRegisteredTenant.js';
import { openTenantRegistry } from '../shell/openTenantRegistry.js';
import { importPilot } from '../shell/importPilot.js';
import { issueTemporaryAccessPasses } from '../shell/issueTemporaryAccessPasses.js';
import { planNight } from '../shell/planNight.js';
import { resumeRollout } from '../shell/resumeRollout.js';
import { readmitUsers } from '../shell/readmitUsers.js';
import { retryParkedUsers } from '../shell/retryParkedUsers.js';
import { rollbackWave, type RollbackEntry } from '../shell/rollbackWave.js';
import { renderPhonesKept } from './renderPhonesKept.js';
import { openRollout, type RolloutPorts } from '../shell/rolloutPorts.js';
import { runWave } from '../shell/runWave.js';
import { renderReportHtml } from '../report/renderReportHtml.js';
import { progressOfNight } from './progressOfNight.js';
import { createProgressReporter, type ProgressReporter } from './progressReporter.js';
import { issuedPassesJson, renderIssuedPasses } from './renderIssuedPasses.js';
import { renderPlan } from './renderPlan.js';
import { renderPosture } from './renderPosture.js';
import { readTenantPosture } from '../shell/readTenantPosture.js';
import { restorePasskeySetup, setupPasskeys } from '../shell/setupPasskeys.js';
import { renderRestorePlan, renderSetupPlan } from './renderSetupPlan.js';
import { renderReportText } from '../report/renderReportText.js';
import { settingsFrom } from './readSettingsFile.js';
import { describeHeldNight } from './describeHeldNight.js';
import { exitCodes, exitForNight, renderExitCodes, type ExitName } from './exitCodes.js';
import { packageVersion } from './packageVersion.js';
import { addManyTenantsCommands } from './manyTenantsCommands.js';
import { readInputFile } from './readInputFile.js';
import { writeOutputFile } from './writeOutputFile.js';

/**
 * `mfa-rollout`: the operator's command line. Every command parses its arguments, builds the same adapters
 * as the timer function (openRollout) and calls the same shell code; nothing here decides anything.
 */

interface GlobalOptions {
  settings?: string;
  tenant?: string;
  logLevel: LogLevel;
}

export interface CliIo {
  /** Where command output goes (plans, reports, rollback lists). */
  readonly out: NodeJS.WritableStream;
  /** Progress of long work: roster refresh, rollback (default: bars on a terminal's stderr, else plain lines). */
  readonly progress?: ProgressReporter;
  /** Where commander's own messages go: usage errors (default: stderr). Help and the version go to `out`. */
  readonly err?: NodeJS.WritableStream;
  /** Receives how the command ended, when that is not plain success (see exitCodes.ts; runCommandLine turns it into the exit code). */
  readonly setExit?: (exit: ExitName) => void;
  /** Where structured log lines go, every level (default: stderr from --log-level on). */
  readonly logSink?: LogSink;
}


/** The commander program; `main.ts` runs it on process.argv, tests run it in-process. */
export function buildProgram(io: CliIo): Command {
  const print = (text: string) => io.out.write(`${text}\n`);
  const progress = io.progress ?? createProgressReporter();
  const setExit = io.setExit ?? (() => undefined);
  const err = io.err ?? process.stderr;
  const program = new Command()
    .name('mfa-rollout')
    .description('Roll out Microsoft Entra ID MFA in nightly waves (the same code as the Azure Function).')
    .version(packageVersion(), '-V, --version', 'print the version of mfa-rollout')
    .option('--settings <file>', 'read app settings from a local.settings.json (the environment wins)')
    .option('--tenant <tenantId>', 'many tenants (MFA_MULTI_TENANT=true): act on this registered tenant, with its settings from the registry')
    .addOption(new Option('--log-level <level>', 'structured log lines on stderr from this level').choices(['debug', 'info', 'warn', 'error']).default('warn'))
    .addHelpText('after', `\n${renderExitCodes()}`)
    .showHelpAfterError()
    // commander throws instead of exiting (runCommandLine decides the exit code); subcommands inherit both settings
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out.write(text), writeErr: (text) => err.write(text) });

  function positiveInteger(value: string): number {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
    return number;
  }

  /** One run id per command: the lease holder and every log line of the run carry the same one. */
  async function withRollout<T>(command: Command, work: (config: Config, ports: RolloutPorts, logger: Logger, runId: string) => Promise<T>): Promise<T> {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const env = settingsFrom(globals.settings, process.env);
    const config = globals.tenant === undefined
      ? loadConfig(env)
      : (await loadRegisteredTenant(env, await openTenantRegistry(loadDeploymentConfig(env)), globals.tenant)).config;
    const runId = `cli-${command.name()}-${randomUUID()}`;
    const logger = createLogger(io.logSink ?? stderrSink(globals.logLevel), { runId });
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
    .command('preflight')
    .description('The tenant\'s method posture: the Authentication methods policy, the registration campaign, security defaults and the SMS calendar, each problem with where to fix it (no writes); exits 4 when a problem would hold the night')
    .option('--json', 'print the posture as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withRollout(command, async (config, ports) => {
        const posture = await readTenantPosture(config, ports, new Date());
        print(options.json === true ? JSON.stringify(posture, null, 2) : renderPosture(posture, config));
        if (posture.blocked) process.exitCode = 4;
      });
    });

  program
    .command('setup-passkeys')
    .description('Write what the methods policy lacks for the passkey track (the campaign, the target method, SMS/Voice excluding the phone-retired group), showing the before/after difference; --restore undoes one setup')
    .option('--dry-run', 'show the difference, write nothing')
    .option('--apply', 'make the writes, recording the before-state')
    .option('--all-users', 'allow enabling a disabled method for all users (never done otherwise)')
    .option('--campaign-group-only', 'make MFA_CAMPAIGN_GROUP_ID the campaign\'s only include target')
    .option('--restore <id>', 'put back the before-state recorded by one --apply (only what is still as that setup left it)')
    .option('--force', 'with --restore: also put back properties changed since the setup')
    .option('--json', 'print the result as JSON')
    .action(async (options: { dryRun?: boolean; apply?: boolean; allUsers?: boolean; campaignGroupOnly?: boolean; restore?: string; force?: boolean; json?: boolean }, command: Command) => {
      const restoring = options.restore !== undefined;
      if (restoring ? options.apply === true : (options.dryRun === true) === (options.apply === true)) {
        throw new InvalidArgumentError('setup-passkeys: give exactly one of --dry-run, --apply or --restore <id> (which takes --dry-run too)');
      }
      await withRollout(command, async (config, ports, logger, runId) => {
        if (options.restore !== undefined) {
          const result = await restorePasskeySetup(config, ports, logger, new Date(), { setupId: options.restore, force: options.force === true, dryRun: options.dryRun === true });
          print(options.json === true ? JSON.stringify(result, null, 2) : renderRestorePlan(options.restore, result.plan, result.dryRun, result.posture));
          return;
        }
        const apply = options.apply === true;
        const result = await setupPasskeys(config, ports, logger, new Date(), { apply, allUsers: options.allUsers === true, campaignGroupOnly: options.campaignGroupOnly === true, runId });
        print(options.json === true ? JSON.stringify(result, null, 2) : renderSetupPlan(result.plan, { applied: apply, setupId: result.setupId, posture: result.posture }));
      });
    });

  program
    .command('run-wave')
    .description(`Run tonight's wave now (what the timer function does). One wave per night: a second run of the same night refuses (exit ${exitCodes.alreadyRan.code}) unless --again`)
    .option('--again', 'run another wave although one already ran tonight (it has tonight\'s size; the timer never does this)')
    .action(async (options: { again?: boolean }, command: Command) => {
      await withRollout(command, async (config, ports, logger, runId) => {
        const night = progressOfNight(progress);
        const result = await runWave({ config, clock: () => new Date(), ports, logger, runId, onProgress: night.onProgress, again: options.again === true }).then(
          (outcome) => {
            night.finish(outcome.outcome === 'wave' && outcome.wave.status !== 'completed' ? 'stopped' : 'done');
            return outcome;
          },
          (error: unknown) => {
            night.finish('failed');
            throw error;
          },
        );
        setExit(exitForNight(result));
        switch (result.outcome) {
          case 'leaseHeld':
            print(`Another run holds the lease (${result.holder}, until ${result.expiresAt}); nothing done.`);
            break;
          case 'alreadyRan':
            print(`Tonight's wave ${result.wave.waveId} (${result.wave.status}) already ran for the night of ${result.night}; nothing done. Pass --again to run another wave tonight.`);
            break;
          case 'held':
            print(describeHeldNight(result, config));
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
            if (wave.status === 'halted') print('Next: `mfa-rollout report` lists the failures by error code with what to do; fix the cause, then `mfa-rollout resume --note "why"`.');
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
    .option('--all-tenants', 'many tenants: one report across every registered tenant (progress, plan, last night, SMS deadline, failures)')
    .action(async (options: { waves: number; json?: boolean; html?: string; allTenants?: boolean }, command: Command) => {
      if (options.allTenants === true) {
        const env = settingsFrom(command.optsWithGlobals<GlobalOptions>().settings, process.env);
        const overview = await buildTenantsReport(env, await openTenantRegistry(loadDeploymentConfig(env)), new Date());
        print(options.json === true ? JSON.stringify(overview, null, 2) : renderTenantsText(overview));
        if (options.html !== undefined) {
          await writeOutputFile('--html', options.html, renderTenantsHtml(overview));
          if (options.json !== true) print(`\nHTML report written to ${options.html}.`);
        }
        return;
      }
      await withRollout(command, async (config, ports) => {
        const report = await buildReport(config, ports, new Date(), { lastWaves: options.waves });
        // the text (or JSON) first: a file that cannot be written never costs the operator the report itself
        print(options.json === true ? JSON.stringify(report, null, 2) : renderReportText(report));
        if (options.html !== undefined) {
          await writeOutputFile('--html', options.html, renderReportHtml(report));
          if (options.json !== true) print(`\nHTML report written to ${options.html}.`);
        }
      });
    });

  program
    .command('resume')
    .description('Lift a halt, or the brake of a rollback, after the cause is fixed: the next night plans a wave again and the ramp grows')
    .requiredOption('--note <text>', 'why it is safe to resume (kept in the wave history)')
    .action(async (options: { note: string }, command: Command) => {
      await withRollout(command, async (config, ports, logger) => {
        const { resumedWaveId, brakedBy } = await resumeRollout(config, ports, logger, new Date(), options.note);
        print([
          ...(resumedWaveId === null ? [] : [`Resumed after halted wave ${resumedWaveId}.`]),
          ...(brakedBy === null ? [] : [`The rollback of wave ${brakedBy} no longer caps the wave size.`]),
        ].join(' '));
      });
    });

  program
    .command('retry-parked [users...]')
    .description('Give parked users (failed MFA_MAX_ATTEMPTS nights, or at once on a data error) new attempts once the cause is fixed: the next night retries them first')
    .option('--all', 'every parked user')
    .option('--dry-run', 'list who would be released, write nothing')
    .action(async (users: string[], options: { all?: boolean; dryRun?: boolean }, command: Command) => {
      if ((options.all === true) === (users.length > 0)) {
        const said = users.length > 0 ? 'name the users or pass --all, not both' : 'name the parked users to release, or pass --all';
        throw new RolloutError('USAGE_INVALID', `retry-parked: ${said}.\nUsage: mfa-rollout retry-parked <UPN|object id>... [--dry-run]   (the users \`mfa-rollout report\` lists as parked)\n       mfa-rollout retry-parked --all [--dry-run]               (every parked user)`);
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
    .command('readmit [users...]')
    .description('Return rolled-back users to the rollout once the cause of the rollback is fixed: they are announced again (MFA_NOTICE_DAYS) and enforced in turn')
    .option('--all', 'every rolled-back user')
    .option('--wave <id>', 'the users rolled back from this wave')
    .option('--dry-run', 'list who would be readmitted, write nothing')
    .action(async (users: string[], options: { all?: boolean; wave?: string; dryRun?: boolean }, command: Command) => {
      const ways = [users.length > 0, options.all === true, options.wave !== undefined].filter(Boolean).length;
      if (ways !== 1) throw new RolloutError('USERS_NOT_ROLLED_BACK', 'readmit: name the users (object ids or UPNs), or pass --all, or --wave ID; one of them');
      await withRollout(command, async (config, ports, logger) => {
        const selection = options.wave !== undefined ? { wave: options.wave } : options.all === true ? { all: true as const } : { users };
        const result = await readmitUsers(config, ports, logger, selection, options.dryRun === true);
        for (const user of result.users.slice(0, 50)) print(`  ${user.upn.padEnd(48)} rolled back from ${user.waveId} by ${user.rollbackWaveId}${user.returnsTo === 'new' ? ', announced again' : ', goes on from the steps that remain'}`);
        if (result.users.length > 50) print(`  ... and ${result.users.length - 50} more`);
        const next = config.noticeDays > 0 ? `announced again (MFA_NOTICE_DAYS ${config.noticeDays}) and then enforced in turn` : 'enforced in turn from the next night';
        print(result.dryRun
          ? `Dry run: ${result.users.length} rolled-back user(s) would be readmitted. Nothing written.`
          : `Readmitted ${result.users.length} user(s): they are ${next}. A rollback's cap on the wave size stays until \`mfa-rollout resume\`.`);
      });
    });

  program
    .command('rollback')
    .description('Undo exactly what one wave changed (per-user MFA state back, or out of the MFA group), also for a wave whose run died; brakes the ramp until `resume`; safe to run twice')
    .requiredOption('--wave <id>', 'the wave to undo (see `mfa-rollout report`)')
    .option('--dry-run', 'list what would change for each user and where they return to, write nothing')
    .option('--remove-phone-methods', 'also delete the mobile phone methods the wave created, for users who then failed too (never ones that existed before); without it they stay')
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
        for (const entry of result.actions.slice(0, 50)) print(`  ${entry.upn.padEnd(48)} ${describeRollback(entry)}`);
        if (result.actions.length > 50) print(`  ... and ${result.actions.length - 50} more`);
        if (result.excluded.length > 0) print(`Not touched, excluded now: ${result.excluded.join(', ')}`);
        if (result.phoneMethodsKept > 0) print(`Mobile phone methods the wave created stay for ${result.phoneMethodsKept} user(s); add --remove-phone-methods to delete them too.`);
        if (result.dryRun) print(`Dry run: ${result.actions.length} user(s) of wave ${options.wave} would be rolled back (${result.alreadyReverted} already were). Nothing written.`);
        else {
          print(`Rollback ${result.rollbackWaveId ?? ''}: ${result.reverted} of ${result.actions.length} user(s) of wave ${options.wave} rolled back (${result.alreadyReverted} already were), ${result.failed.length} failed.`);
          for (const line of renderPhonesKept(result.phoneKept)) print(line);
          if (result.failed.length > 0) setExit('failed');
        }
      });
    });

  program
    .command('issue-tap <users...>')
    .description('Create a Temporary Access Pass for each named user (UPN or object id), within the TAP policy, so the helpdesk can bootstrap a passkey; the pass is shown here once and never logged or stored')
    .option('--lifetime <minutes>', "minutes each pass is valid (default: the TAP policy's default; within its minimum and maximum)", positiveInteger)
    .option('--json', 'print the passes as JSON (for a script that hands them on)')
    .action(async (users: string[], options: { lifetime?: number; json?: boolean }, command: Command) => {
      await withRollout(command, async (config, ports, logger, runId) => {
        const result = await issueTemporaryAccessPasses(config, ports, logger, new Date(), { names: users, runId, ...(options.lifetime === undefined ? {} : { lifetimeMinutes: options.lifetime }) });
        print(options.json === true ? issuedPassesJson(result) : renderIssuedPasses(result));
        if (result.refused.length > 0) setExit('failed');
      });
    });

  const pilot = program.command('pilot').description('The pilot ring');
  pilot
    .command('import <file>')
    .description('Replace the imported pilot list from a CSV: the MFA portal bulk-update file (Username, MFA Status) or a one-column list of UPNs, comma- or semicolon-separated; any other header is refused, every bad row is reported by line, and nothing is imported unless all are good')
    .action(async (file: string, _options: unknown, command: Command) => {
      const text = await readInputFile(file);
      await withRollout(command, async (config, ports) => {
        const result = await importPilot(config, ports, text, new Date());
        print(`Imported ${result.imported} pilot user(s) from ${file} (${result.delimiter === ';' ? 'semicolon-separated, as Excel writes it in many European locales; ' : ''}${result.skipped} Disabled row(s) skipped, ${result.duplicates} duplicate(s)).`);
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
          await writeOutputFile('--csv', options.csv, csv);
          print(`Wrote ${rows} notice(s) to ${options.csv}.`);
        }
      });
    });

  addManyTenantsCommands(program, print, (command) => createLogger(io.logSink ?? stderrSink(command.optsWithGlobals<GlobalOptions>().logLevel), { runId: `cli-${command.name()}-${randomUUID()}` }));

  return program;
}

/** One user's line of a rollback: what changes in Graph, what stays, and the roster state they come from. */
function describeRollback(entry: RollbackEntry): string {
  const undo = entry.undo.map((write) => {
    switch (write.kind) {
      case 'restorePerUserMfaState':
        return `per-user MFA back to ${write.state}`;
      case 'removeGroupMember':
        return `out of ${stepGroupName[write.step] ?? 'group'} ${write.groupId}`;
      case 'deleteMobileMethod':
        return 'mobile phone method deleted';
    }
  });
  const kept = entry.kept.includes('phoneMethod') ? ['mobile phone method kept'] : [];
  return `${[...undo, ...kept].join(', ')} (${entry.state} -> rolledBack)`;
}

const stepGroupName: Partial<Record<string, string>> = {
  enforceMfa: 'the MFA group',
  joinCampaign: 'the campaign group',
  joinPhishingResistant: 'the phishing-resistant group',
  joinPhoneRetired: 'the phone-retired group',
};
