import { TableClient, TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import type { LogLevel } from '../../shared/log/logEvent.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { runCommand } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 80, seed: 73 });

interface IssuedJson {
  lifetimeMinutes: number;
  issued: { user: string; userId: string; temporaryAccessPass: string; startDateTime: string; expiresDateTime: string; lifetimeInMinutes: number; isUsableOnce: boolean; recorded: boolean }[];
  refused: { user: string; reason: string; message: string }[];
}

/** Every log line of a command, every level, as the CLI's sink receives it. */
function logCapture(): { lines: string[]; sink: (level: LogLevel, line: string) => void } {
  const lines: string[] = [];
  return { lines, sink: (level, line) => lines.push(`${level} ${line}`) };
}

/** Every row of every table of the storage account, as text. */
async function everyTableRow(connection: string): Promise<string[]> {
  const service = TableServiceClient.fromConnectionString(connection, { allowInsecureConnection: true });
  const rows: string[] = [];
  for await (const table of service.listTables()) {
    const client = TableClient.fromConnectionString(connection, table.name ?? '', { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) rows.push(JSON.stringify(entity));
  }
  return rows;
}

describe('mfa-rollout issue-tap', () => {
  const user = (category: UserCategory, index = 0) => {
    const found = tenant().sandbox.manifest.users.filter((candidate) => candidate.category === category)[index];
    if (found === undefined) throw new Error(`no ${category} user`);
    return found;
  };

  it('shows each pass once on stdout and records the issue on the roster row; no log line, table row, journal entry or stderr holds a pass', async () => {
    const { sandbox, azuriteConnection } = tenant();
    const settings = tenant().settings();
    expect((await runCommand(settings, ['plan'])).exitCode).toBe(0); // the roster, as a night would refresh it
    const first = user('missingMobile');
    const second = user('ready', 1);
    const logs = logCapture();
    const run = await runCommand(settings, ['--log-level', 'debug', 'issue-tap', first.upn, second.id], { logSink: logs.sink });
    expect([run.exitCode, run.err]).toEqual([0, '']);

    const table = run.out.split('\n');
    expect(table[0]).toMatch(/^Temporary Access Passes \(2\), shown this once and kept nowhere/);
    expect(table[1]).toMatch(/^ {2}User +Pass +Valid from \(UTC\) +Expires \(UTC\) +Use$/);
    const passes = [first, second].map((named) => {
      const line = table.find((candidate) => candidate.trim().startsWith(named.upn));
      const pass = line?.trim().split(/\s{3,}/)[1] ?? '';
      expect(sandbox.controls.checkTemporaryAccessPass(named.id, pass)).toBe(true);
      expect(line).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d {3}\d{4}-\d\d-\d\d \d\d:\d\d {3}any number of sign-ins for 60 min$/);
      return pass;
    });

    const { rollout } = await tenant().open({ MFA_TABLE_PREFIX: settings.MFA_TABLE_PREFIX ?? '' });
    for (const named of [first, second]) {
      const row = await rollout.ports.roster.get(named.id);
      if (row === undefined || isCorruptRow(row)) throw new Error('no roster row');
      expect(row.tap).toEqual({ issuedAt: expect.any(String), expiresAt: expect.any(String), runId: expect.stringMatching(/^cli-issue-tap-/), count: 1 });
      const state = sandbox.controls.temporaryAccessPass(named.id);
      expect(state.issued && Date.parse(row.tap?.expiresAt ?? '') === Date.parse(state.startDateTime) + 60 * 60_000).toBe(true);
    }

    const issuedLines = logs.lines.filter((line) => line.includes('"event":"tap.issued"'));
    expect(issuedLines.map((line) => (JSON.parse(line.slice(line.indexOf('{'))) as { userId: string }).userId)).toEqual([first.id, second.id]);
    const rows = await everyTableRow(azuriteConnection);
    expect(rows.some((row) => row.includes('tapIssuedAt'))).toBe(true);
    for (const pass of passes) {
      expect(logs.lines.filter((line) => line.includes(pass))).toEqual([]);
      expect(rows.filter((row) => row.includes(pass))).toEqual([]);
      expect(JSON.stringify(sandbox.journal.entries()).includes(pass)).toBe(false);
    }

    // a second pass replaces the first, and the row counts both
    const again = await runCommand(settings, ['issue-tap', '--json', first.id]);
    const json = JSON.parse(again.out) as IssuedJson;
    expect(json.issued).toEqual([expect.objectContaining({ user: first.upn, userId: first.id, lifetimeInMinutes: 60, isUsableOnce: false, recorded: true })]);
    expect(sandbox.controls.checkTemporaryAccessPass(first.id, json.issued[0]?.temporaryAccessPass ?? '')).toBe(true);
    expect(sandbox.controls.checkTemporaryAccessPass(first.id, passes[0] ?? '')).toBe(false);
    const row = await rollout.ports.roster.get(first.id);
    expect(row !== undefined && !isCorruptRow(row) ? row.tap?.count : null).toBe(2);
  });

  it('refuses break-glass accounts, guests, excluded, disabled and unknown users by name, and gives the others their pass', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings();
    expect((await runCommand(settings, ['plan'])).exitCode).toBe(0);
    const [breakGlassById, breakGlassByUpn] = sandbox.manifest.breakGlass;
    const refusedUsers = [user('guest'), user('exclusionGroupMember'), user('disabled'), user('serviceAccount', 1)];
    const fine = user('ready', 2);
    const names = [breakGlassById?.id ?? '', breakGlassByUpn?.upn ?? '', ...refusedUsers.map((named) => named.upn), 'nobody@contoso.com', fine.upn];
    const since = sandbox.journal.entries().at(-1)?.seq ?? 0;
    const run = await runCommand(settings, ['issue-tap', '--json', ...names]);
    expect(run.exitCode).toBe(1);
    const json = JSON.parse(run.out) as IssuedJson;
    expect(json.issued.map((issued) => issued.user)).toEqual([fine.upn]);
    expect(json.refused.map((refused) => [refused.user, refused.reason])).toEqual([
      [breakGlassById?.upn, 'breakGlass'],
      [breakGlassByUpn?.upn, 'breakGlass'],
      [refusedUsers[0]?.upn, 'guest'],
      [refusedUsers[1]?.upn, 'exclusionGroup'],
      [refusedUsers[2]?.upn, 'accountDisabled'],
      [refusedUsers[3]?.upn, 'serviceAccount'],
      ['nobody@contoso.com', 'notInRoster'],
    ]);
    expect(json.refused[0]?.message).toContain('MFA_BREAK_GLASS');
    // Graph was never asked for a pass for any of them
    const created = sandbox.journal.entries(since).filter((entry) => entry.operation === 'temporaryAccessPassMethods.create');
    expect(created.map((entry) => entry.userId)).toEqual([fine.id]);
    for (const named of [...refusedUsers, ...sandbox.manifest.breakGlass]) expect(sandbox.controls.temporaryAccessPass(named.id).issued).toBe(false);

    const text = await runCommand(settings, ['issue-tap', refusedUsers[0]?.upn ?? '']);
    expect(text.out).toMatch(/^No pass for 1 user\(s\):\n {2}\S+ {3}a guest: /);
  });

  it('keeps within the TAP policy: the lifetime within its bounds, its targets, and off means no pass', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings();
    expect((await runCommand(settings, ['plan'])).exitCode).toBe(0);
    const since = sandbox.journal.entries().at(-1)?.seq ?? 0;
    const [pilotMember = ''] = sandbox.state.findGroup(sandbox.manifest.groups.pilot)?.memberIds ?? [];
    const pilotUpn = sandbox.state.findUser(pilotMember)?.userPrincipalName ?? '';
    const outsider = user('ready', 3);

    const tooShort = await runCommand(settings, ['issue-tap', '--lifetime', '30', outsider.upn]);
    expect([tooShort.exitCode, tooShort.err]).toEqual([7, expect.stringMatching(/^TAP_LIFETIME_INVALID: issue-tap: --lifetime 30 is outside what the Temporary Access Pass policy allows: 60 to 480 minutes/)]);
    const longer = JSON.parse((await runCommand(settings, ['issue-tap', '--json', '--lifetime', '120', outsider.upn])).out) as IssuedJson;
    expect(Date.parse(longer.issued[0]?.expiresDateTime ?? '') - Date.parse(longer.issued[0]?.startDateTime ?? '')).toBe(120 * 60_000);

    try {
      const changed = sandbox.state.authenticationPolicies.updateConfiguration('TemporaryAccessPass', { includeTargets: [{ id: sandbox.manifest.groups.pilot, targetType: 'group', isRegistrationRequired: false }], isUsableOnce: true });
      expect(changed.ok).toBe(true);
      const scoped = JSON.parse((await runCommand(settings, ['issue-tap', '--json', outsider.upn, pilotUpn])).out) as IssuedJson;
      expect(scoped.refused.map((refused) => [refused.user, refused.reason])).toEqual([[outsider.upn, 'notInPolicyTargets']]);
      expect(scoped.issued.map((issued) => [issued.user, issued.isUsableOnce])).toEqual([[pilotUpn, true]]);

      sandbox.controls.setMethodsPolicy({ scenario: 'tapDisabled' });
      const off = await runCommand(settings, ['issue-tap', pilotUpn]);
      expect([off.exitCode, off.out]).toEqual([1, expect.stringContaining('the Temporary Access Pass method is off in the Authentication methods policy')]);
    } finally {
      sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    }
    expect(sandbox.journal.entries(since).filter((entry) => entry.operation === 'temporaryAccessPassMethods.create').map((entry) => entry.status)).toEqual([201, 201]);
    expect(await runCommand(settings, ['issue-tap'])).toMatchObject({ exitCode: 7 });
  });

  it('explains a pass Graph refuses from the policy it reads again, not from the words of the answer', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings();
    expect((await runCommand(settings, ['plan'])).exitCode).toBe(0);
    const [pilotMember = ''] = sandbox.state.findGroup(sandbox.manifest.groups.pilot)?.memberIds ?? [];
    sandbox.state.authenticationPolicies.updateConfiguration('TemporaryAccessPass', { includeTargets: [{ id: sandbox.manifest.groups.pilot, targetType: 'group', isRegistrationRequired: false }] });
    // between the policy check (its memberships read) and the create, an admin switches the TAP policy off
    const stop = sandbox.journal.onWrite((entry) => {
      if (entry.operation === 'users.checkMemberGroups') sandbox.controls.setMethodsPolicy({ scenario: 'tapDisabled' });
    });
    try {
      const json = JSON.parse((await runCommand(settings, ['issue-tap', '--json', pilotMember])).out) as IssuedJson & { refused: { errorCode: string }[] };
      expect(json.refused).toEqual([expect.objectContaining({ reason: 'policyDisabled', errorCode: 'GRAPH_BAD_REQUEST' })]);
    } finally {
      stop();
      sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    }
  });

  it('refuses to start without the permission to create passes, naming it and the grant command', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings();
    expect((await runCommand(settings, ['plan'])).exitCode).toBe(0);
    const roles = sandbox.controls.roles();
    try {
      sandbox.controls.setRoles(roles.filter((role) => role !== 'UserAuthenticationMethod.ReadWrite.All'));
      const run = await runCommand(settings, ['issue-tap', user('ready', 4).upn]);
      expect(run.exitCode).toBe(1);
      expect(run.err).toMatch(/^GRAPH_PERMISSION_MISSING: issue-tap: the app lacks the Microsoft Graph application permission\(s\) UserAuthMethod-TAP\.ReadWrite\.All \(or UserAuthenticationMethod\.ReadWrite\.All\); grant them with infra\/grant-graph-permissions\.sh issueTap/);
      expect(sandbox.controls.temporaryAccessPass(user('ready', 4).id).issued).toBe(false);
    } finally {
      sandbox.controls.setRoles(roles);
    }
  });
});
