import { describe, expect, it } from '@jest/globals';
import { exitCodes } from '../../shared/cli/exitCodes.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { openTablePorts } from '../../shared/shell/rolloutPorts.js';
import { runCliForExit } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 64 });

describe('one wave per night (issue 11 item 4)', () => {
  it('a second run-wave the same night refuses, naming tonight\'s wave, and writes nothing; --again runs one more of tonight\'s size', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '100' });
    const first = await runCliForExit(settings, 'run-wave');
    const waveId = /^Wave (\S+) completed: planned 5, enforced 5/m.exec(first.out)?.[1];
    expect(waveId).toBeDefined();
    expect(first.exitCode).toBe(0);

    const journal = sandbox.journal.entries().length;
    const second = await runCliForExit(settings, 'run-wave');
    expect(second.exitCode).toBe(exitCodes.alreadyRan.code);
    expect(second.out).toMatch(new RegExp(`^Tonight's wave ${waveId ?? ''} \\(completed\\) already ran for the night of \\d{4}-\\d\\d-\\d\\d; nothing done\\. Pass --again to run another wave tonight\\.$`, 'm'));
    expect(sandbox.journal.entries().length).toBe(journal);
    const waves = (await openTablePorts(loadConfig(settings))).waves;
    expect(await waves.history()).toHaveLength(1);

    // the first wave was clean and full, yet the ramp counts nights: tonight's second wave is no bigger
    const again = await runCliForExit(settings, 'run-wave', '--again');
    expect(again.exitCode).toBe(0);
    expect(again.out).toMatch(/^Wave \S+ completed: planned 5, enforced 5/m);
    const history = await waves.history();
    expect(history.map((wave) => wave.targetSize)).toEqual([5, 5]);
  });
});
