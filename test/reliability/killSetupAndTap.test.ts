import { describe, expect, it } from '@jest/globals';
import { TableClient } from '@azure/data-tables';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { useLabs } from './labHelpers.js';

/**
 * SIGKILL of a real `mfa-rollout setup-passkeys --apply` and `mfa-rollout issue-tap` right after a write took effect
 * in the sandbox tenant: the setup's before-state is on record before its first write, so a rerun finishes the job and
 * `--restore` of the killed one puts back what it wrote; a pass created by a killed run is replaced by the next one,
 * never left beside it. Graph's state is read from the sandbox.
 */
const labs = useLabs();

describe('SIGKILL in the middle of setup-passkeys and issue-tap', () => {
  it('setup-passkeys killed after its first write: the rerun writes only what is left, and the killed setup can still be restored', async () => {
    const lab = await labs.start({ label: 'killsetup', sandbox: { users: 40, seed: 51 }, settings: { ...passkeyTrackSettings } });
    const { sandbox } = lab;
    const before = structuredClone(sandbox.state.methodsPolicy());
    const from = sandbox.journal.entries().length;

    const child = lab.spawn(['setup-passkeys', '--apply']);
    expect(await lab.killAt([child], { write: 1 })).toBe(1);
    await lab.settle();
    const first = sandbox.journal.entries(from).filter((entry) => entry.status < 300);
    expect(first.map((entry) => entry.operation)).toEqual(['methodConfigurations.update']);
    const setups = TableClient.fromConnectionString(labs.azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Setup`, { allowInsecureConnection: true });
    const records: { rowKey?: string; appliedAt?: string }[] = [];
    for await (const entity of setups.listEntities<{ appliedAt?: string }>()) records.push(entity);
    // on record before the first write, not applied (the run died part way)
    expect(records).toHaveLength(1);
    expect(records[0]?.appliedAt).toBeUndefined();
    const killedId = records[0]?.rowKey ?? '';

    const rerun = await lab.run(['setup-passkeys', '--apply']);
    expect(rerun.code).toBe(0);
    const second = sandbox.journal.entries(from).filter((entry) => entry.status < 300).slice(first.length);
    expect(second.map((entry) => entry.operation)).toEqual(['methodsPolicy.update']);
    expect(sandbox.state.methodsPolicy().registrationEnforcement.authenticationMethodsRegistrationCampaign.state).toBe('enabled');
    expect(sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms.excludeTargets).toEqual([{ id: sandbox.manifest.groups.phoneRetired, targetType: 'group' }]);

    // the killed setup's own write (SMS excluding the phone-retired group) is put back by restoring it
    const restored = await lab.run(['setup-passkeys', '--restore', killedId]);
    expect(restored.code).toBe(0);
    expect(sandbox.state.methodsPolicy().authenticationMethodConfigurations.Sms.excludeTargets).toEqual(before.authenticationMethodConfigurations.Sms.excludeTargets);
  }, 120_000);

  it('issue-tap killed after the pass was created: the rerun issues one that replaces it, and the roster records it', async () => {
    const lab = await labs.start({ label: 'killtap', sandbox: { users: 40, seed: 52 }, settings: { ...passkeyTrackSettings } });
    const { sandbox } = lab;
    expect((await lab.run(['plan'])).code).toBe(0); // the roster refresh: issue-tap names users the roster knows
    const user = sandbox.manifest.users.find((candidate) => candidate.category === 'missingMobile');
    expect(user).toBeDefined();
    const id = user?.id ?? '';
    const from = sandbox.journal.entries().length;

    const child = lab.spawn(['issue-tap', id]);
    expect(await lab.killAt([child], { write: 1 })).toBe(1);
    await lab.settle();
    const firstPass = sandbox.controls.temporaryAccessPass(id);
    expect(firstPass.issued).toBe(true);

    const rerun = await lab.run(['issue-tap', id, '--json']);
    expect(rerun.code).toBe(0);
    const created = sandbox.journal.entries(from).filter((entry) => entry.operation === 'temporaryAccessPassMethods.create' && entry.status < 300);
    expect(created).toHaveLength(2);
    const now = sandbox.controls.temporaryAccessPass(id);
    expect(now.issued && firstPass.issued && now.id !== firstPass.id).toBe(true);
    const issued = (JSON.parse(rerun.stdout) as { issued: { temporaryAccessPass: string }[] }).issued;
    expect(sandbox.controls.checkTemporaryAccessPass(id, issued[0]?.temporaryAccessPass ?? '')).toBe(true);

    const { rollout } = await lab.open();
    let recorded = null;
    for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row) && row.user.directory.id === id) recorded = row.tap;
    expect(recorded).toMatchObject({ count: expect.any(Number), expiresAt: expect.any(String) });
  }, 120_000);
});
