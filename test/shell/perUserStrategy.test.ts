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

  it('verifies after MFA_VERIFY_AFTER_DAYS (capable from the report, MFA done from the sign-in log), and rolls back exactly the wave (twice safely)', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(everyoneTonight);
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n1' });
    expect(night1.outcome).toBe('wave');
    if (night1.outcome !== 'wave') return;
    const waveId = night1.wave.waveId;
    const enforced = [...(await progressById(rollout.ports)).entries()].filter(([, progress]) => progress.state === 'enforced');
    const changed = enforced.filter(([, progress]) => progress.state === 'enforced' && !progress.alreadyDone).map(([id]) => id);
    const created = enforced.filter(([, progress]) => progress.state === 'enforced' && progress.phoneMethodCreated).map(([id]) => id);
    expect(changed.length).toBeGreaterThan(10);

    // a third of the enforced users sign in during the day (and do MFA: per-user enforced demands it)
    const signedIn = enforced.slice(0, Math.floor(enforced.length / 3)).map(([id]) => id);
    for (const id of signedIn) sandbox.controls.signIn(id);
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
    const night2 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'n2' });
    // capable: everyone, the report shows the rollout's own phone a day later, sign-in or not; MFA done: those who signed in
    expect(night2.outcome === 'nothingToDo' && night2.verification).toEqual({ checked: enforced.length, registered: enforced.length, notRegistered: 0, mfaSignedIn: signedIn.length });
    const afterVerify = await progressById(rollout.ports);
    for (const [id] of enforced) {
      expect(afterVerify.get(id)).toMatchObject({ state: 'enforced', registration: 'registered', mfaCheckedAt: expect.any(String) });
      const seen = afterVerify.get(id)?.state === 'enforced' ? (afterVerify.get(id) as { mfaSignInAt?: string | null }).mfaSignInAt : undefined;
      if (signedIn.includes(id)) expect(seen).toEqual(expect.any(String));
      else expect(seen ?? null).toBeNull();
    }

    // dry run: nothing written
    const journalBefore = sandbox.journal.entries().length;
    const dryRun = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: true, removePhoneMethods: true, runId: 'rb-dry' });
    expect(dryRun.actions.map((entry) => entry.userId).sort()).toEqual([...new Set([...changed, ...created])].sort());
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

    const again = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId, dryRun: false, removePhoneMethods: true, runId: 'rb-2' });
    expect(again).toMatchObject({ reverted: 0, alreadyReverted: rollback.reverted, actions: [] });
    expect(sandbox.journal.entries().length).toBe(journalBefore + writes.length);
  });

  it('refuses to roll back a wave that does not exist', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(everyoneTonight);
    await expect(rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: '2020-01-01T01-00-00Z', dryRun: false, removePhoneMethods: false, runId: 'rb-x' }))
      .rejects.toMatchObject({ code: 'PREFLIGHT_FAILED', message: expect.stringContaining('no wave 2020-01-01T01-00-00Z') });
  });
});
