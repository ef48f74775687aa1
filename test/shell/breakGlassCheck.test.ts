import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { checkBreakGlass } from '../../shared/shell/checkBreakGlass.js';
import { runCommand } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 91 });

describe('the break-glass check: every MFA_BREAK_GLASS entry resolves in Graph before anything is written', () => {
  it('the issue\'s case: a typo (nobody@contoso.com) with MFA_ALLOW_CLOUD_ONLY=true: run-wave refuses, names the entry, and writes nothing to Graph', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_BREAK_GLASS: 'nobody@contoso.com', MFA_ALLOW_CLOUD_ONLY: 'true', MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100' });
    const journalBefore = sandbox.journal.entries().length;
    const refused = await runCommand(settings, ['run-wave']);
    expect(refused.exitCode).toBe(2);
    const [bg1, bg2] = sandbox.manifest.breakGlass.map((account) => account.upn).sort();
    expect(refused.err).toBe([
      'BREAK_GLASS_UNRESOLVED: MFA_BREAK_GLASS: 1 of 1 entry names no user in the tenant: nobody@contoso.com. The run refuses to start; nothing was written.',
      `Cloud-only Global Administrators in the tenant (your emergency-access accounts?): ${bg1}, ${bg2}`,
      'What to do: An MFA_BREAK_GLASS entry names no user Graph knows (a typo, a deleted or renamed account): fix the entry (object ids are safest) and run again; nothing was written.',
      '',
    ].join('\n'));
    expect(refused.out).toBe('');
    // nothing written to Graph: not the emergency accounts (the issue), not anyone
    expect(sandbox.journal.entries().slice(journalBefore)).toEqual([]);
    const { rollout } = await tenant().open(settings);
    expect(await rollout.ports.waves.history()).toEqual([]);
    // the refusal is on record for the report, which reads tables only
    const report = await runCommand(settings, ['report']);
    expect(report.out).toMatch(/^REFUSED: MFA_BREAK_GLASS names no user for: nobody@contoso\.com\. The rollout refuses to run until every entry resolves\.$/m);
    expect(report.out).toMatch(/^ {2}nobody@contoso\.com +NO SUCH USER$/m);

    // with notices on, nobody is announced either
    const announced = tenant().settings({ MFA_BREAK_GLASS: 'nobody@contoso.com', MFA_ALLOW_CLOUD_ONLY: 'true', MFA_PILOT_GROUP_ID: '', MFA_NOTICE_DAYS: '3' });
    expect((await runCommand(announced, ['run-wave'])).exitCode).toBe(2);
    const { rollout: second } = await tenant().open(announced);
    const notices = [];
    for await (const notice of second.ports.notices.all()) notices.push(notice);
    expect(notices).toEqual([]);
    expect(sandbox.journal.entries().slice(journalBefore)).toEqual([]);
  });

  it('plan refuses the same way, naming every unresolved entry', async () => {
    const { sandbox } = tenant();
    const [first] = sandbox.manifest.breakGlass;
    const plan = await runCommand(tenant().settings({ MFA_BREAK_GLASS: `${first?.id ?? ''},nobody@contoso.com,00000000-0000-4000-8000-000000000000` }), ['plan']);
    expect(plan.exitCode).toBe(2);
    expect(plan.err).toMatch(/^BREAK_GLASS_UNRESOLVED: MFA_BREAK_GLASS: 2 of 3 entries name no user in the tenant: nobody@contoso\.com, 00000000-0000-4000-8000-000000000000\. /);
    // the listed account is not offered back as a candidate
    expect(plan.err).toMatch(/^Cloud-only Global Administrators in the tenant \(your emergency-access accounts\?\): breakglass\d@contoso\.onmicrosoft\.com$/m);
    expect(plan.err).not.toContain(first?.upn ?? '');
  });

  it('mixed-case UPNs and ids resolve; plan shows each account with its roles and the cloud-only privileged accounts not in the list', async () => {
    const { sandbox } = tenant();
    const [first, second] = sandbox.manifest.breakGlass;
    const cloudAdmin = sandbox.manifest.roleAssignments.find((entry) => entry.roleName === 'Privileged Role Administrator');
    const settings = tenant().settings({ MFA_BREAK_GLASS: `${(first?.id ?? '').toUpperCase()}, ${(second?.upn ?? '').toUpperCase()}` });
    const plan = await runCommand(settings, ['plan']);
    expect(plan.exitCode).toBe(0);
    expect(plan.out).not.toMatch(/^(WARNING|REFUSED):/m);
    expect(plan.out).toContain('Emergency access (MFA_BREAK_GLASS):');
    expect(plan.out).toMatch(new RegExp(`^ {2}${(first?.id ?? '').toUpperCase()} = ${first?.upn ?? ''} +Global Administrator · cloud-only$`, 'm'));
    expect(plan.out).toMatch(new RegExp(`^ {2}${second?.upn ?? ''} +Global Administrator · cloud-only$`, 'm')); // the UPN as Graph spells it
    expect(plan.out).toMatch(/^Privileged cloud-only accounts not in MFA_BREAK_GLASS: 1 \(not enrolled while MFA_ALLOW_CLOUD_ONLY=false\)$/m);
    expect(plan.out).toMatch(new RegExp(`^ {2}${cloudAdmin?.upn ?? '?'} +Privileged Role Administrator$`, 'm'));
    expect(plan.out).toMatch(/^Synced privileged accounts: 1 \(enrolled like every synced user\)/m);
    // break-glass accounts listed by id in upper case are still never planned
    expect(JSON.parse((await runCommand(settings, ['plan', '--json', '--no-refresh'])).out)).toMatchObject({ plan: { waiting: { breakGlass: 2 } } });
  });

  it('no listed Global Administrator: a warning event and a banner line in plan and in the report (text and HTML); the night goes on', async () => {
    const { sandbox } = tenant();
    const cloudAdmin = sandbox.manifest.roleAssignments.find((entry) => entry.roleName === 'Privileged Role Administrator');
    const settings = tenant().settings({ MFA_BREAK_GLASS: cloudAdmin?.upn ?? '', MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '3' });
    const banner = /^WARNING: No MFA_BREAK_GLASS account holds Global Administrator\. Microsoft's emergency-access guidance: two or more cloud-only accounts/m;
    expect((await runCommand(settings, ['plan'])).out).toMatch(banner);
    const { config, rollout } = await tenant().open(settings);
    const logLines: string[] = [];
    await checkBreakGlass(config, rollout.ports, createLogger((level, line) => logLines.push(`${level} ${line}`)), new Date(), { persist: false });
    expect(logLines.filter((line) => line.includes('"event":"breakGlass.noGlobalAdministrator"'))).toEqual([expect.stringMatching(/^warn /)]);

    const night = await runCommand(settings, ['run-wave']);
    expect(night.exitCode).toBe(0);
    expect(night.out).toMatch(/^Wave \S+ completed: planned 3/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mfa-bg-')), 'report.html');
    const report = await runCommand(settings, ['report', '--html', file]);
    expect(report.out).toMatch(banner);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<div class="banner halted" data-field="breakGlassWarning">No MFA_BREAK_GLASS account holds Global Administrator.');
    expect(html).toMatch(/<p data-metric="unlistedPrivileged" data-value="2">/); // both real emergency accounts, unlisted
    const json = JSON.parse((await runCommand(settings, ['report', '--json'])).out) as { breakGlass: { posture: { listedGlobalAdministrator: boolean; privileged: { unlistedCloudOnly: { upn: string; roles: string[] }[] } } } };
    expect(json.breakGlass.posture.listedGlobalAdministrator).toBe(false);
    expect(json.breakGlass.posture.privileged.unlistedCloudOnly.map((entry) => entry.roles)).toEqual([['Global Administrator'], ['Global Administrator']]);
  });

  it('without RoleManagement.Read.Directory the entries are still checked; the privileged accounts are said to be unknown', async () => {
    const { sandbox } = tenant();
    sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'RoleManagement.Read.Directory'));
    try {
      const plan = await runCommand(tenant().settings(), ['plan']);
      expect(plan.exitCode).toBe(0);
      expect(plan.out).toMatch(/^WARNING: The directory role assignments could not be read \(GRAPH_PERMISSION_MISSING\), .*grant RoleManagement\.Read\.Directory\.$/m);
      expect((await runCommand(tenant().settings({ MFA_BREAK_GLASS: 'nobody@contoso.com' }), ['plan'])).exitCode).toBe(2);
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
