import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCli as cli } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 50, seed: 61 });

describe('mfa-rollout CLI (settings from local.settings.json)', () => {
  it('plan: shows the next wave and why everyone else waits, and writes nothing to Graph', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_NOTICE_DAYS: '0' });
    const journalBefore = sandbox.journal.entries().length;
    const text = await cli(settings, 'plan');
    expect(text).toMatch(/^Tenant gate: open \(syncRecent, last sync (19|2\d) min ago\)$/m);
    expect(text).toMatch(/^Next wave: \d+ user\(s\) to enforce \(pilot wave\), target size \d+/m);
    expect(text).toMatch(/^ {2}breakGlass +2$/m);
    expect(text).toMatch(/^ {2}pilotFirst +\d+$/m);
    expect(sandbox.journal.entries().length).toBe(journalBefore);

    const json = JSON.parse(await cli(settings, 'plan', '--json', '--no-refresh')) as { plan: { enforce: unknown[]; waiting: Record<string, number>; total: number } };
    expect(json.plan.total).toBe(50);
    expect(json.plan.enforce.length + Object.values(json.plan.waiting).reduce((sum, count) => sum + count, 0)).toBe(50);
  });

  it('pilot import, run-wave and report: the imported pilot is enforced first and reported', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_NOTICE_DAYS: '0', MFA_PILOT_GROUP_ID: '' });
    await cli(settings, 'plan'); // refreshes the roster the import checks against
    const pilotUsers = sandbox.manifest.users.filter((user) => user.category === 'ready').slice(0, 3);
    const dir = mkdtempSync(path.join(tmpdir(), 'mfa-pilot-'));
    const csv = path.join(dir, 'pilot.csv');
    writeFileSync(csv, `Username,MFA Status\n${pilotUsers.map((user) => `${user.upn},Enabled`).join('\n')}\n`);
    expect(await cli(settings, 'pilot', 'import', csv)).toContain('Imported 3 pilot user(s)');

    const waveLine = await cli(settings, 'run-wave');
    expect(waveLine).toMatch(/^Wave \S+ completed: planned 3, enforced 3 \(0 already\), phone methods 3, failed 0, announced 0/);
    for (const user of pilotUsers) expect(sandbox.state.perUserMfaState(user.id)).toBe('enforced');

    const report = JSON.parse(await cli(settings, 'report', '--json')) as { standing: Record<string, number>; waves: { kind: string; enforced: number }[] };
    expect(report.standing['enforced']).toBe(3);
    expect(report.waves[0]).toMatchObject({ kind: 'enforce', enforced: 3 });
  });

  it('an invalid setting stops the command naming it', async () => {
    await expect(cli(tenant().settings({ MFA_WAVE_GROWTH: 'fast' }), 'plan')).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('MFA_WAVE_GROWTH: expected') });
  });
});
