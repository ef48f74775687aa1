import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { exitCodes, exitForError, nightExits } from '../../shared/cli/exitCodes.js';
import type { ProgressReporter, TaskEnding } from '../../shared/cli/progressReporter.js';
import { RolloutError } from '../../shared/errors/RolloutError.js';
import { runCommand } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';
import { runRehearsalCommandLine } from '../../rehearsal/rehearsalProgram.js';

const tenant = useSandboxTenant({ users: 40, seed: 71 });

/** No stack frame, no SDK error class: what an operator must never meet for an ordinary mistake. */
const noStack = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/RestError|ZodError|CommanderError|node:internal/);
};

describe('mfa-rollout exit codes: one table, distinct codes per outcome (run-wave and the other commands)', () => {
  it('a completed wave exits 0; a held night 4, naming its limit and what to check; a held lease 3', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '5' });
    const done = await runCommand(settings, ['run-wave']);
    expect(done).toMatchObject({ exitCode: exitCodes.ok.code, err: '' });
    expect(done.out).toMatch(/^Wave \S+ completed: planned 5, enforced 5/);

    sandbox.state.setDirectorySync({ lastSync: { ageMinutes: 300 } });
    try {
      // a second run tonight (one wave per night: --again), on a stale sync
      const held = await runCommand(settings, ['run-wave', '--again']);
      expect(held.exitCode).toBe(4);
      expect(held.out).toMatch(/^Night held \(SYNC_STALE\): the tenant's last directory sync was (299|300) min ago, older than MFA_MAX_SYNC_AGE_MINUTES \(120 min\)\. Nothing was written; the held night is recorded as \S+\.$/m);
      expect(held.out).toMatch(/^Next: The last directory sync is older than MFA_MAX_SYNC_AGE_MINUTES\. Check the Entra Connect server and its scheduler\. Then run `mfa-rollout run-wave` again, or let the next night retry\.$/m);
    } finally {
      sandbox.state.setDirectorySync({ lastSync: { ageMinutes: 20 } });
    }

    const { config, rollout } = await tenant().open(settings);
    const lease = await rollout.ports.lease.acquire('the-other-run', sandbox.state.now(), 600);
    if (!('release' in lease)) throw new Error('the lease should have been free');
    const refused = await runCommand(settings, ['run-wave']);
    expect(refused.exitCode).toBe(3);
    expect(refused.out).toMatch(/^Another run holds the lease \(the-other-run, until /);
    await lease.release();
    expect(config.rolloutId).toBe('default');
  });

  it('a wave the breaker halts exits 5 and says what to do next; so does every night while the rollout stays halted', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '25', MFA_HALT_MIN_ATTEMPTS: '5' });
    const fault = sandbox.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], retryAfterSeconds: 0.01 });
    try {
      const halted = await runCommand(settings, ['run-wave']);
      expect(halted.exitCode).toBe(5);
      expect(halted.out).toMatch(/^Wave \S+ halted: /m);
      expect(halted.out).toMatch(/^Next: `mfa-rollout report` lists the failures by error code with what to do; fix the cause, then `mfa-rollout resume --note "why"`\.$/m);
    } finally {
      sandbox.traffic.removeFault(fault.id);
    }
    const stillHalted = await runCommand(settings, ['run-wave', '--again']);
    expect(stillHalted.exitCode).toBe(5);
    expect(stillHalted.out).toMatch(/^Rollout halted since /);
    expect((await runCommand(settings, ['resume', '--note', 'cause fixed'])).exitCode).toBe(0);
  });

  it('bad settings exit 2, a wrong command line 7, with the error and what to do, never a stack', async () => {
    const badSetting = await runCommand(tenant().settings({ MFA_WAVE_SIZE: '-5' }), ['plan']);
    expect(badSetting.exitCode).toBe(2);
    expect(badSetting.err).toBe('CONFIG_INVALID: Invalid configuration:\nMFA_WAVE_SIZE: expected a whole number from 1 to 100,000\nWhat to do: Fix the named app setting(s) and restart; nothing was written.\n');

    const unknown = await runCommand(null, ['run-waves']);
    expect(unknown.exitCode).toBe(7);
    expect(unknown.err).toMatch(/^error: unknown command 'run-waves'/);
    noStack(unknown.err);

    const missingOption = await runCommand(tenant().settings(), ['rollback']);
    expect(missingOption.exitCode).toBe(7);
    expect(missingOption.err).toMatch(/required option '--wave <id>' not specified/);

    const retryNobody = await runCommand(tenant().settings(), ['retry-parked']);
    expect(retryNobody.exitCode).toBe(7);
    expect(retryNobody.err).toBe([
      'USAGE_INVALID: retry-parked: name the parked users to release, or pass --all.',
      'Usage: mfa-rollout retry-parked <UPN|object id>... [--dry-run]   (the users `mfa-rollout report` lists as parked)',
      '       mfa-rollout retry-parked --all [--dry-run]               (every parked user)',
      'What to do: The command line is not one the command takes; `mfa-rollout <command> --help` shows its usage. Nothing was done.',
      '',
    ].join('\n'));
    expect((await runCommand(tenant().settings(), ['retry-parked', '--all', 'someone@contoso.com'])).err).toMatch(/^USAGE_INVALID: retry-parked: name the users or pass --all, not both\./);
  });

  it('--version prints the package version, --help the exit codes; both exit 0', async () => {
    const version = await runCommand(null, ['--version']);
    expect(version).toEqual({ exitCode: 0, out: '0.1.0\n', err: '' });
    const help = await runCommand(null, ['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.out).toContain('-V, --version');
    for (const exit of Object.values(exitCodes)) expect(help.out).toContain(`  ${String(exit.code).padEnd(3)}${exit.meaning}`);
  });

  it('maps every night outcome and the setting errors through the table', () => {
    expect(nightExits).toMatchObject({ 'wave:completed': 'ok', nothingToDo: 'ok', held: 'held', halted: 'halted', 'wave:halted': 'halted', 'wave:stopped': 'stopped', leaseHeld: 'leaseHeld' });
    expect(new Set(Object.values(exitCodes).map((exit) => exit.code)).size).toBe(Object.keys(exitCodes).length);
    expect(exitForError(new RolloutError('BREAK_GLASS_UNRESOLVED', 'x'))).toBe('settings');
    expect(exitForError(new RolloutError('TABLE_AUTH_FAILED', 'x'))).toBe('settings');
    expect(exitForError(new RolloutError('GRAPH_UNAVAILABLE', 'x'))).toBe('failed');
    expect(exitForError(new Error('a bug'))).toBe('failed');
  });
});

describe('no stack traces for ordinary mistakes: coded errors naming the setting or path', () => {
  it('a wrong storage key: TABLE_AUTH_FAILED naming MFA_TABLES_CONNECTION, exit 2, the key never shown', async () => {
    const settings = tenant().settings();
    const wrongKey = Buffer.from('not the account key of devstoreaccount1, padded to 64 bytes....').toString('base64');
    const connection = (settings['MFA_TABLES_CONNECTION'] ?? '').replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`);
    const result = await runCommand({ ...settings, MFA_TABLES_CONNECTION: connection }, ['report']);
    expect(result.exitCode).toBe(2);
    expect(result.err).toMatch(/^TABLE_AUTH_FAILED: MFA_TABLES_CONNECTION: Table Storage refused the credentials \(HTTP 403[^)]*\); check the account name and key in the connection string\nWhat to do: /);
    expect(result.err).not.toContain(wrongKey);
    noStack(result.err);
    expect(result.out).toBe('');
  });

  it('a connection string the storage SDK cannot read, and an unreadable or invalid --settings file: CONFIG_INVALID naming it, exit 2', async () => {
    const garbled = await runCommand(tenant().settings({ MFA_TABLES_CONNECTION: 'AccountName=x;AccountKey=sEcReT;NoEndpoint' }), ['report']);
    expect(garbled.exitCode).toBe(2);
    expect(garbled.err).toMatch(/^CONFIG_INVALID: Invalid configuration:\nMFA_TABLES_CONNECTION: expected a Table Storage connection string \(/);
    expect(garbled.err).not.toContain('sEcReT');
    noStack(garbled.err);

    const missing = await runCommand(null, ['--settings', '/nonexistent/local.settings.json', 'report']);
    expect(missing.exitCode).toBe(2);
    expect(missing.err).toMatch(/^CONFIG_INVALID: --settings \/nonexistent\/local\.settings\.json: expected a readable local\.settings\.json \(ENOENT\)/);

    const dir = mkdtempSync(path.join(tmpdir(), 'mfa-settings-'));
    const file = path.join(dir, 'local.settings.json');
    writeFileSync(file, '{ "Values": { "MFA_CLIENT_SECRET": "sEcReT", } }');
    const invalid = await runCommand(null, ['--settings', file, 'report']);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.err).toContain(`CONFIG_INVALID: --settings ${file}: expected a readable local.settings.json (not valid JSON at line 1, column 46: JSON needs a property name in double quotes there)`);
    expect(invalid.err).not.toContain('sEcReT');
  });

  it('report --html into a missing folder: the text report still prints, then OUTPUT_UNWRITABLE names the path (exit 1)', async () => {
    const settings = tenant().settings();
    const file = path.join(tmpdir(), 'no-such-folder-for-mfa', 'report.html');
    const result = await runCommand(settings, ['report', '--html', file]);
    expect(result.exitCode).toBe(1);
    expect(result.out).toMatch(/^Rollout default: \d+ users \(report of /);
    expect(result.err).toMatch(new RegExp(`^OUTPUT_UNWRITABLE: --html ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write the file \\(its folder does not exist, ENOENT\\)\\nWhat to do: `));
    noStack(result.err);

    const csv = await runCommand(settings, ['notices', '--csv', path.join(tmpdir(), 'no-such-folder-for-mfa', 'notices.csv')]);
    expect(csv.exitCode).toBe(1);
    expect(csv.err).toMatch(/^OUTPUT_UNWRITABLE: --csv \S+notices\.csv: cannot write the file \(its folder does not exist, ENOENT\)/);

    // the rehearsal (its own command line, npm run rehearse) checks its report file before the first night
    const chunks = { out: [] as string[], err: [] as string[] };
    const sink = (into: string[]) => ({ write: (chunk: string) => into.push(chunk) }) as unknown as NodeJS.WritableStream;
    const rehearsalExit = await runRehearsalCommandLine(['node', 'rehearse', '--users', '30', '--report', path.join(tmpdir(), 'no-such-folder-for-mfa', 'r.html')], { out: sink(chunks.out), err: sink(chunks.err) });
    expect(rehearsalExit).toBe(1);
    expect(chunks.err.join('')).toMatch(/^OUTPUT_UNWRITABLE: --report \S+r\.html: cannot write the file \(/);
    expect(chunks.out.join('')).toBe(''); // refused before the first night, not after the last
  });

  it('pilot import of a missing file, or of a folder: INPUT_UNREADABLE names the path, not a CSV with invalid rows (exit 1)', async () => {
    const settings = tenant().settings();
    const file = path.join(tmpdir(), 'no-such-folder-for-mfa', 'pilot.csv');
    const missing = await runCommand(settings, ['pilot', 'import', file]);
    expect(missing.exitCode).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(new RegExp(`^INPUT_UNREADABLE: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot read the file \\(no such file, ENOENT\\)\\nWhat to do: A file the command was given cannot be read`));
    expect(missing.err).not.toContain('invalid rows');
    noStack(missing.err);

    const folder = await runCommand(settings, ['pilot', 'import', tmpdir()]);
    expect(folder.exitCode).toBe(1);
    expect(folder.err).toMatch(/^INPUT_UNREADABLE: \S+: cannot read the file \(it is a folder, EISDIR\)/);
  });

  it('a run that fails mid-way ends its progress task as failed, not done (exit 1)', async () => {
    const { sandbox } = tenant();
    const endings: (TaskEnding | undefined)[] = [];
    let faulted = false;
    const progress: ProgressReporter = {
      start: () => undefined,
      update: () => {
        if (faulted) return;
        faulted = true; // the first page of users has arrived: the next one will be unreadable
        sandbox.traffic.addFault({ kind: 'malformed', shape: 'wrongType', operations: ['users.list'], count: 1 });
      },
      stop: (ending) => endings.push(ending),
    };
    const result = await runCommand(tenant().settings({ MFA_USER_PAGE_SIZE: '10' }), ['run-wave'], { progress });
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/^GRAPH_MALFORMED_RESPONSE: users\.list: a page of the answer is not a collection/);
    expect(endings).toEqual(['failed']);
  });
});
