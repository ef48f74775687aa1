import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { readmitUsers } from '../../shared/shell/readmitUsers.js';
import { resumeRollout } from '../../shared/shell/resumeRollout.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { runWave, type NightResult } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 80, seed: 44 });
const quiet = createLogger(() => undefined);
const dayMs = 86_400_000;

function waveOf(result: NightResult) {
  if (result.outcome !== 'wave') throw new Error(`the night ran no wave: ${result.outcome}`);
  return result.wave;
}

async function stateOf(ports: RolloutPorts, ids: readonly string[]): Promise<string[]> {
  const states = new Map<string, string>();
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) states.set(row.user.directory.id, row.user.progress.state);
  return ids.map((id) => states.get(id) ?? 'missing');
}

describe('a rollback is a brake (issue 11 item 5)', () => {
  it('after a rollback the next wave is no larger than the rolled-back one until resume; rolled-back users are readmitted and enforced again', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '100' });
    const night = async (runId: string) => {
      sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
      return runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId });
    };
    const first = waveOf(await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n1' }));
    expect(first).toMatchObject({ status: 'completed', targetSize: 5, planned: 5 });
    const rollback = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: first.waveId, dryRun: false, removePhoneMethods: false, runId: 'rb' });
    expect(rollback.failed).toEqual([]);
    const rolledBack = rollback.actions.map((entry) => entry.userId);
    expect(rolledBack.length).toBeGreaterThan(0);

    // the first wave was clean and full: without the brake the next one would be 10
    expect(waveOf(await night('n2'))).toMatchObject({ status: 'completed', targetSize: 5 });

    // readmission: named users must all be rolled back; then the whole wave's users go back to `new`
    await expect(readmitUsers(config, rollout.ports, quiet, { users: [rolledBack[0] ?? '', 'nobody@contoso.com'] }, false))
      .rejects.toMatchObject({ code: 'USERS_NOT_ROLLED_BACK', message: 'readmit: not in the roster of rollout default: nobody@contoso.com. Nobody was readmitted.' });
    expect((await readmitUsers(config, rollout.ports, quiet, { wave: first.waveId }, true)).users).toHaveLength(rolledBack.length);
    expect(await stateOf(rollout.ports, rolledBack)).toEqual(rolledBack.map(() => 'rolledBack'));
    const readmitted = await readmitUsers(config, rollout.ports, quiet, { wave: first.waveId }, false);
    expect(readmitted.users.map((user) => user.userId).sort()).toEqual([...rolledBack].sort());
    expect(await stateOf(rollout.ports, rolledBack)).toEqual(rolledBack.map(() => 'new'));

    // still braked until resume, which lifts the brake; with nothing left to lift, resume says so
    expect(waveOf(await night('n3'))).toMatchObject({ targetSize: 5 });
    expect(await resumeRollout(config, rollout.ports, quiet, sandbox.state.now(), 'cause fixed (test)')).toEqual({ resumedWaveId: null, brakedBy: first.waveId });
    await expect(resumeRollout(config, rollout.ports, quiet, sandbox.state.now(), 'again')).rejects.toMatchObject({ code: 'ROLLOUT_NOT_HALTED' });
    expect(waveOf(await night('n4'))).toMatchObject({ targetSize: 10 });

    for (let more = 0; more < 6; more += 1) if ((await night(`n${5 + more}`)).outcome === 'nothingToDo') break;
    for (const id of rolledBack) expect(sandbox.state.perUserMfaState(id)).toBe('enforced');
  });
});
