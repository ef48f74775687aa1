import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { userConcurrency } from '../../shared/core/userConcurrency.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 150, seed: 43 });
const quiet = createLogger(() => undefined);

describe('a halt stops the wave it trips in', () => {
  it('with 503s on every MFA-state write: no user starts after the trip, the phone methods written count in the wave, and rollback removes them where Graph lets it (names the rest)', async () => {
    const { sandbox } = tenant();
    // batching on (the default), so that up to 40 users are in flight at once; Graph gives up on a write after 2 tries
    const { config, rollout } = await tenant().open({ MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100', MFA_GRAPH_MAX_ATTEMPTS: '2' });
    sandbox.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], retryAfterSeconds: 0 });
    const from = sandbox.journal.entries().length;

    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'halting' });
    sandbox.traffic.clearFaults();

    expect(night.outcome).toBe('wave');
    if (night.outcome !== 'wave') return;
    const wave = night.wave;
    expect(wave.planned).toBe(100);
    expect(wave.status).toBe('halted');
    expect(wave.reason).toMatch(/^failure rate \d+(\.\d)?% after 20 users exceeded MFA_HALT_FAILURE_RATE 10%/);
    // after the trip only the users already in flight finish: at most userConcurrency (40 with batching) of them
    expect(userConcurrency(config, 'enforce')).toBe(40);
    expect(wave.attempted).toBeLessThanOrEqual(config.haltMinAttempts + userConcurrency(config, 'enforce'));
    expect(wave.attempted).toBeLessThan(wave.planned);

    // every phone method the wave wrote is counted in it, and recorded on the (failed) user's row
    const created = sandbox.journal.entries(from).filter((entry) => entry.operation === 'phoneMethods.create' && entry.status < 300).map((entry) => entry.userId ?? '');
    expect(created.length).toBeGreaterThan(10);
    expect(created.length).toBeLessThanOrEqual(wave.failed);
    expect(wave.phoneMethodsRegistered).toBe(created.length);
    const recorded: string[] = [];
    for await (const row of rollout.ports.roster.rows()) {
      if (isCorruptRow(row)) continue;
      const progress = row.user.progress;
      if (progress.state === 'failed' && progress.failure.waveId === wave.waveId && progress.journey.steps.phoneMethod?.waveId === wave.waveId) recorded.push(row.user.directory.id);
    }
    expect(recorded.sort()).toEqual([...created].sort());

    // the dry run says the methods stay without --remove-phone-methods; with it, they are all deleted
    const plain = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: wave.waveId, dryRun: true, removePhoneMethods: false, runId: 'rb-dry' });
    expect(plain).toMatchObject({ actions: [], phoneMethodsKept: created.length });
    const removal = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: wave.waveId, dryRun: false, removePhoneMethods: true, runId: 'rb' });
    expect(removal).toMatchObject({ reverted: created.length, failed: [] });
    expect(removal.actions.every((entry) => entry.state === 'failed' && entry.undo.length === 1 && entry.undo[0]?.kind === 'deleteMobileMethod')).toBe(true);
    // each mobile is its user's only strong method, so their default MFA method: Graph refuses the delete, and the
    // rollback names every one of them with that reason (docs/graph-behaviour.md#phone-methods)
    const deletes = sandbox.journal.entries(from).filter((entry) => entry.operation === 'phoneMethods.delete').map((entry) => [entry.userId, entry.status]);
    expect(deletes.sort()).toEqual(created.map((userId) => [userId, 400]).sort());
    expect(removal.phoneKept.map((entry) => [entry.userId, entry.reason]).sort()).toEqual(created.map((userId) => [userId, 'defaultMethod']).sort());
    for (const userId of created) expect(sandbox.state.phoneMethods(userId).filter((method) => method.phoneType === 'mobile')).toHaveLength(1);
    // once a user's default is another method, a second run removes their mobile
    const [moved] = created;
    if (moved === undefined) throw new Error('no phone created');
    sandbox.state.setDefaultMfaMethod(moved, sandbox.state.addAuthenticatorMethod(moved).id);
    const again = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: wave.waveId, dryRun: false, removePhoneMethods: true, runId: 'rb-again' });
    expect(again.phoneKept.map((entry) => entry.userId)).not.toContain(moved);
    expect(sandbox.state.phoneMethods(moved).filter((method) => method.phoneType === 'mobile')).toEqual([]);
  });
});
