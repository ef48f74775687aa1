import { describe, expect, it } from '@jest/globals';
import { RunLease } from '../../shared/adapters/tables/runLease.js';
import { createRolloutTables } from '../../shared/adapters/tables/tableClients.js';
import { isCorruptRow, type RosterTable } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { runWave } from '../../shared/shell/runWave.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 80, seed: 11 });

/** One night with no pilot group and a wave large enough for everyone: the whole ready tenant in one go. */
const wholeTenantTonight = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_GRAPH_USE_BATCH: 'false' };

describe('runWave, one night end to end (sandbox tenant over HTTPS + Azurite)', () => {
  it('enrols every ready user: one phone-method write where none existed, one enforcement write, nothing else', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(wholeTenantTonight);
    const journalBefore = sandbox.journal.entries().length;

    const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'night-1' });

    const manifestUsers = sandbox.manifest.users;
    const toEnforce = manifestUsers.filter((user) => expectedStanding[user.category] === 'enforced');
    // a valid synced mobile and no phone method: a passkey does not stop the phone track from pre-registering the mobile
    // a user with a passkey (and a valid mobile) can do MFA already: the journey pre-registers no phone for them
    const needsPhone = toEnforce.filter((user) => user.category === 'ready' || user.category === 'readyNational');
    const alreadyEnforced = toEnforce.filter((user) => user.category === 'alreadyEnforced');
    expect(result.outcome).toBe('wave');
    if (result.outcome !== 'wave') return;
    expect(result.wave).toMatchObject({ status: 'completed', enforced: toEnforce.length, failed: 0, phoneMethodsRegistered: needsPhone.length, alreadyDone: alreadyEnforced.length });

    const writes = sandbox.journal.entries().slice(journalBefore);
    const byOperation = (operation: string) => writes.filter((entry) => entry.operation === operation);
    expect(byOperation('phoneMethods.create').map((entry) => entry.userId).sort()).toEqual(needsPhone.map((user) => user.id).sort());
    expect(byOperation('requirements.update').map((entry) => entry.userId).sort()).toEqual(
      toEnforce.filter((user) => user.category !== 'alreadyEnforced').map((user) => user.id).sort(),
    );
    expect(writes.every((entry) => entry.status < 300)).toBe(true);
    expect(writes).toHaveLength(needsPhone.length + toEnforce.length - alreadyEnforced.length);

    for (const user of toEnforce) {
      expect(sandbox.state.perUserMfaState(user.id)).toBe('enforced');
      expect(sandbox.state.hasStrongMethod(user.id)).toBe(true);
    }
    const untouched = manifestUsers.filter((user) => expectedStanding[user.category] !== 'enforced');
    expect(writes.filter((entry) => untouched.some((user) => user.id === entry.userId))).toEqual([]);

    const rows = [];
    for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row)) rows.push(row);
    const ready = rows.find((row) => row.user.directory.id === needsPhone[0]?.id);
    expect(ready?.user.progress).toMatchObject({
      state: 'active',
      journey: { enteredWaveId: result.wave.waveId, steps: { phoneMethod: { waveId: result.wave.waveId, wrote: true, action: 'create' }, enforceMfa: { waveId: result.wave.waveId, wrote: true, via: 'perUserMfa', previousMfaState: 'disabled' } } },
    });
    const [waveRecord] = await rollout.ports.waves.history();
    expect(waveRecord).toMatchObject({ waveId: result.wave.waveId, kind: 'enforce', status: 'completed', enforced: toEnforce.length });
  });

  it('a second night writes nothing: everyone ready is done; a week on they are looked at again, still writing nothing', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(wholeTenantTonight);
    await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'night-1' });
    const journalBefore = sandbox.journal.entries().length;
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 86_400_000));
    const second = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'night-2' });
    expect(second.outcome).toBe('nothingToDo');
    expect(sandbox.journal.entries().length).toBe(journalBefore);
    // the phone track looks again once a week until a sign-in shows MFA done (the entry night was the first look)
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 7 * 86_400_000));
    const week = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'night-9' });
    expect(week.outcome).toBe('wave');
    if (week.outcome !== 'wave') return;
    const enforced = sandbox.manifest.users.filter((user) => expectedStanding[user.category] === 'enforced').length;
    expect(week.wave).toMatchObject({ planned: 0, attempted: 0, enforced: 0, journey: { checked: enforced } });
    expect(sandbox.journal.entries().length).toBe(journalBefore);
  });

  it('reads the roster once a night after the refresh, twice only when probed users turned out ready', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(wholeTenantTonight);
    let scans = 0;
    const roster: RosterTable = Object.assign(Object.create(rollout.ports.roster) as RosterTable, {
      rows: () => {
        scans += 1;
        return rollout.ports.roster.rows();
      },
    });
    const ports = { ...rollout.ports, roster };
    const first = await runWave({ config, clock: () => sandbox.state.now(), ports, logger: createLogger(() => undefined), runId: 'scan-1' });
    expect(first.outcome).toBe('wave');
    // the tenant has users with only an authenticator app: the probe finds them ready, so the night plans again
    expect(sandbox.manifest.users.some((user) => user.category === 'authenticatorOnly')).toBe(true);
    expect(scans).toBe(2);
    scans = 0;
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 86_400_000));
    const second = await runWave({ config, clock: () => sandbox.state.now(), ports, logger: createLogger(() => undefined), runId: 'scan-2' });
    expect(second.outcome).toBe('nothingToDo');
    expect(scans).toBe(1);
  });

  it('a stale directory sync holds the night: a held wave with the reason, and no write at all', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ ...wholeTenantTonight, MFA_MAX_SYNC_AGE_MINUTES: '120' });
    sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 300 });
    const journalBefore = sandbox.journal.entries().length;
    try {
      const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'held-night' });
      expect(result.outcome).toBe('held');
      const history = await rollout.ports.waves.history();
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ kind: 'held', status: 'held' });
      expect(history[0]?.reason).toMatch(/^syncStale \(last sync (29\d|30\d) min ago\)$/);
      expect(sandbox.journal.entries().length).toBe(journalBefore);
      let rows = 0;
      for await (const _row of rollout.ports.roster.rows()) rows += 1;
      expect(rows).toBe(0);
    } finally {
      sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
    }
  });

  it('a second run while the lease is held exits at once and writes nothing', async () => {
    const { sandbox } = tenant();
    const settings = tenant().settings(wholeTenantTonight);
    const { config, rollout } = await tenant().open(settings);
    const lease = new RunLease(createRolloutTables(config).lease, config.rolloutId);
    const held = await lease.acquire('the-other-run', sandbox.state.now(), 600);
    expect('held' in held).toBe(false);
    const journalBefore = sandbox.journal.entries().length;
    const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'late-run' });
    expect(result).toMatchObject({ outcome: 'leaseHeld', holder: 'the-other-run' });
    expect(sandbox.journal.entries().length).toBe(journalBefore);
  });
});
