import { describe, expect, it } from '@jest/globals';
import { runCli as cli } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 50, seed: 65 });

describe('mfa-rollout rollback and resume say what they do (issue 11 item 13)', () => {
  it('resume with nothing to lift, and rollback of a wave that does not exist, refuse with their own codes; the dry run names where each user returns and that phone methods stay', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '8' });
    await expect(cli(settings, 'resume', '--note', 'nothing happened')).rejects.toMatchObject({ code: 'ROLLOUT_NOT_HALTED', message: expect.stringContaining('is not halted and no rollback brakes it') });
    const waveId = /^Wave (\S+) completed/m.exec(await cli(settings, 'run-wave'))?.[1] ?? '';
    await expect(cli(settings, 'rollback', '--wave', '2020-01-01T01-00-00Z')).rejects.toMatchObject({
      code: 'WAVE_NOT_FOUND', message: `rollback: rollout default has no wave 2020-01-01T01-00-00Z; the recent waves are ${waveId} (completed)`,
    });

    const journal = sandbox.journal.entries().length;
    const dryRun = await cli(settings, 'rollback', '--wave', waveId, '--dry-run');
    const lines = dryRun.split('\n').filter((line) => line.startsWith('  '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^ {2}\S+@\S+ +per-user MFA back to disabled(, mobile phone method kept)? \(active -> rolledBack\)$/);
    expect(dryRun).toMatch(/^Mobile phone methods the wave created stay for \d+ user\(s\); add --remove-phone-methods to delete them too\.$/m);
    expect(dryRun).toMatch(new RegExp(`^Dry run: ${lines.length} user\\(s\\) of wave ${waveId} would be rolled back \\(0 already were\\)\\. Nothing written\\.$`, 'm'));
    const removing = await cli(settings, 'rollback', '--wave', waveId, '--dry-run', '--remove-phone-methods');
    expect(removing).toMatch(/per-user MFA back to disabled, mobile phone method deleted \(active -> rolledBack\)$/m);
    expect(removing).not.toContain('stay for');
    expect(sandbox.journal.entries().length).toBe(journal);

    await cli(settings, 'rollback', '--wave', waveId);
    expect(await cli(settings, 'resume', '--note', 'cause fixed')).toBe(`The rollback of wave ${waveId} no longer caps the wave size.\n`);
  });
});
