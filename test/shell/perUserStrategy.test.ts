import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { createLogger } from '../../shared/log/logEvent.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 70, seed: 21 });
const quiet = createLogger(() => undefined);
const dayMs = 86_400_000;
const everyoneTonight = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_VERIFY_AFTER_DAYS: '1', MFA_STUCK_AFTER_DAYS: '3' };

async function progressById(ports: RolloutPorts): Promise<Map<string, RolloutProgress>> {
  const byId = new Map<string, RolloutProgress>();
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) byId.set(row.user.directory.id, row.user.progress);
  return byId;
}

describe('strategy perUserMfa', () => {
  it('refuses to start while an enabled CA policy already requires MFA for the same users, unless acknowledged', async () => {
    const { sandbox } = tenant();
    sandbox.controls.setConditionalAccess({ scenario: 'allUsersMfa' });
    try {
      const { config, rollout, logLines } = await tenant().open(everyoneTonight);
      const journalBefore = sandbox.journal.entries().length;
      const refused = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger((_level, line) => logLines.push(line)), runId: 'overlap' });
      expect(refused.outcome).toBe('held');
      if (refused.outcome !== 'held') return;
      expect(refused.code).toBe('PREFLIGHT_FAILED');
      expect(refused.wave.reason).toMatch(/^preflight: enabled Conditional Access policies already require MFA for users of this rollout: '.+' \(\d+ user\(s\)\).*MFA_ACK_CA_OVERLAP=true/);
      expect(sandbox.journal.entries().length).toBe(journalBefore);

      const acknowledged = await tenant().open({ ...everyoneTonight, MFA_ACK_CA_OVERLAP: 'true', MFA_WAVE_SIZE: '1', MFA_MAX_WAVE_SIZE: '1' });
      const lines: string[] = [];
      const result = await runWave({ config: acknowledged.config, clock: () => sandbox.state.now(), ports: acknowledged.rollout.ports, logger: createLogger((_level, line) => lines.push(line)), runId: 'overlap-ack' });
      expect(result.outcome).toBe('wave');
      expect(lines.some((line) => line.includes('"preflight.warning"') && line.includes('acknowledged by MFA_ACK_CA_OVERLAP'))).toBe(true);
    } finally {
      sandbox.controls.setConditionalAccess({ scenario: 'default' });
    }
  });

  it('looks at the enforced users\' live methods a week on, and rolls back exactly the wave (twice safely)', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(everyoneTonight);
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n1' });
    expect(night1.outcome).toBe('wave');
    if (night1.outcome !== 'wave') return;
    const waveId = night1.wave.waveId;
    const inJourney = (progress: RolloutProgress) => (progress.state === 'active' ? progress.journey : null);
    const enforced = [...(await progressById(rollout.ports)).entries()].filter(([, progress]) => inJourney(progress)?.steps.enforceMfa !== undefined);
    const changed = enforced.filter(([, progress]) => inJourney(progress)?.steps.enforceMfa?.wrote === true).map(([id]) => id);
    const created = enforced.filter(([, progress]) => inJourney(progress)?.steps.phoneMethod?.wrote === true).map(([id]) => id);
    expect(changed.length).toBeGreaterThan(10);
    expect(night1.wave.enforced).toBe(enforced.length);
    for (const id of changed) expect(sandbox.state.perUserMfaState(id)).toBe('enforced');

    // the phone track looks at each of them again a week on (until a sign-in shows MFA done), as Graph has them then
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 7 * dayMs));
    const lookedFrom = sandbox.state.now().getTime();
    const night2 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n2' });
    expect(night2.outcome).toBe('wave');
    if (night2.outcome !== 'wave') return;
    expect(night2.wave).toMatchObject({ planned: 0, enforced: 0, journey: { checked: enforced.length } });
    const afterCheck = await progressById(rollout.ports);
    for (const [id] of enforced) {
      const journey = inJourney(afterCheck.get(id) ?? { state: 'new' });
      expect(Date.parse(journey?.lastCheckedAt ?? '')).toBeGreaterThanOrEqual(lookedFrom);
      expect(Date.parse(journey?.lastCheckedAt ?? '')).toBeLessThanOrEqual(sandbox.state.now().getTime());
      expect(journey?.methods?.phone).toBe(sandbox.state.phoneMethods(id).some((method) => method.phoneType === 'mobile'));
    }

    // dry run: nothing written
    const journalBefore = sandbox.journal.entries().length;
    const dryRun = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: true, removePhoneMethods: true, runId: 'rb-dry' });
    expect(dryRun.actions.map((entry) => entry.userId).sort()).toEqual([...new Set([...changed, ...created])].sort());
    // each user's line names the state they return to: the per-user MFA state recorded before the wave wrote it
    for (const entry of dryRun.actions) {
      const undo = [...(changed.includes(entry.userId) ? [{ kind: 'restorePerUserMfaState', state: 'disabled' }] : []), ...(created.includes(entry.userId) ? [{ kind: 'deleteMobileMethod' }] : [])];
      expect(entry).toMatchObject({ state: 'active', undo: undo.map((write) => expect.objectContaining(write)), kept: [] });
    }
    expect(dryRun.phoneMethodsKept).toBe(0); // all removed with removePhoneMethods
    expect((await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: true, removePhoneMethods: false, runId: 'rb-dry2' })).phoneMethodsKept).toBe(created.length);
    expect(sandbox.journal.entries().length).toBe(journalBefore);

    const rollback = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: false, removePhoneMethods: true, runId: 'rb-1' });
    expect(rollback).toMatchObject({ reverted: dryRun.actions.length, failed: [] });
    // each phone the wave created is its user's only strong method, so their default MFA method: Graph keeps it
    expect(rollback.phoneKept.map((entry) => [entry.userId, entry.reason]).sort()).toEqual(created.map((id) => [id, 'defaultMethod']).sort());
    for (const id of created) expect(sandbox.state.phoneMethods(id).some((method) => method.phoneType === 'mobile')).toBe(true);
    const writes = sandbox.journal.entries().slice(journalBefore);
    expect(writes.filter((entry) => entry.operation === 'requirements.update').map((entry) => entry.userId).sort()).toEqual([...changed].sort());
    expect(writes.filter((entry) => entry.operation === 'requirements.update').every((entry) => entry.detail['perUserMfaState'] === 'disabled')).toBe(true);
    expect(writes.filter((entry) => entry.operation === 'phoneMethods.delete').map((entry) => [entry.userId, entry.status]).sort()).toEqual(created.map((id) => [id, 400]).sort());
    expect(writes).toHaveLength(changed.length + created.length);
    for (const id of changed) expect(sandbox.state.perUserMfaState(id)).toBe('disabled');
    const untouched = sandbox.manifest.users.filter((user) => expectedStanding[user.category] !== 'enforced' || user.category === 'alreadyEnforced');
    expect(writes.filter((entry) => untouched.some((user) => user.id === entry.userId))).toEqual([]);

    const history = await rollout.ports.waves.history();
    expect(history.find((wave) => wave.kind === 'rollback')).toMatchObject({ targetWaveId: waveId, status: 'done', enforced: rollback.reverted });

    // a second run has nothing left to write but the mobiles Graph kept: refused again while they are the default
    const again = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: false, removePhoneMethods: true, runId: 'rb-2' });
    expect(again).toMatchObject({ alreadyReverted: rollback.reverted, failed: [] });
    expect(again.actions.map((entry) => [entry.userId, entry.undo.map((write) => write.kind)]).sort()).toEqual(created.map((id) => [id, ['deleteMobileMethod']]).sort());
    expect(again.phoneKept.map((entry) => entry.userId).sort()).toEqual([...created].sort());
    const againWrites = sandbox.journal.entries().slice(journalBefore + writes.length);
    expect(againWrites.map((entry) => [entry.userId, entry.operation, entry.status]).sort()).toEqual(created.map((id) => [id, 'phoneMethods.delete', 400]).sort());
  });

  it('refuses to roll back a wave that does not exist, naming the recent waves', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(everyoneTonight);
    await expect(rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: '2020-01-01T01-00-00Z', dryRun: false, removePhoneMethods: false, runId: 'rb-x' }))
      .rejects.toMatchObject({ code: 'WAVE_NOT_FOUND', message: 'rollback: rollout default has no wave 2020-01-01T01-00-00Z; it has run no wave yet' });
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n1' });
    if (night.outcome !== 'wave') throw new Error(`no wave: ${night.outcome}`);
    await expect(rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: 'nope', dryRun: true, removePhoneMethods: false, runId: 'rb-y' }))
      .rejects.toMatchObject({ code: 'WAVE_NOT_FOUND', message: `rollback: rollout default has no wave nope; the recent waves are ${night.wave.waveId} (completed)` });
  });
});
