import { describe, expect, it } from '@jest/globals';
import { TableClient } from '@azure/data-tables';
import { createLogger } from '../../shared/log/logEvent.js';
import { RunLease } from '../../shared/adapters/tables/runLease.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { checkLab, eventsOf, expectClean, useLabs } from './labHelpers.js';

const labs = useLabs();
const leaseHeldMessage = /^Another run holds the lease \(cli-run-wave-[0-9a-f-]{36}, until \d{4}-\d\d-\d\dT[\d:.]+Z\); nothing done\.$/;

describe('the run lease, with real processes', () => {
  it('two processes started together on one rollout: one works, the other exits at once saying who holds the lease; no user is written twice', async () => {
    const lab = await labs.start({ label: 'overlap', sandbox: { users: 40, seed: 31 } });
    const [first, second] = await Promise.all([lab.spawn().done, lab.spawn().done]);
    const results = [first!, second!];
    const refused = results.filter((result) => result.code === 3);
    const worked = results.filter((result) => result.code === 0);
    expect(refused).toHaveLength(1);
    expect(worked).toHaveLength(1);
    expect(refused[0]!.stdout.trim()).toMatch(leaseHeldMessage);
    expect(refused[0]!.ms).toBeLessThan(worked[0]!.ms);
    expect(eventsOf(refused[0]!).map((event) => event.event)).toEqual(['night.leaseHeld']);
    expect(worked[0]!.stdout).toMatch(/^Wave \S+ completed/);
    expectClean(await checkLab(lab));
  });

  it('a run killed mid-wave keeps the lease until it expires: a run started meanwhile exits at once naming it; after expiry the lease is taken over and the wave finished', async () => {
    const lab = await labs.start({ label: 'dead', sandbox: { users: 40, seed: 32 } });
    const dead = lab.spawn();
    await lab.killAt([dead], { write: 5 });
    await lab.settle();
    const leaseTable = TableClient.fromConnectionString(labs.azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Lease`, { allowInsecureConnection: true });
    const deadRunId = (await leaseTable.getEntity<{ holder?: unknown }>('lease', lab.config.rolloutId)).holder;
    expect(deadRunId).toMatch(/^cli-/);

    const early = await lab.run();
    expect(early.code).toBe(3);
    expect(early.stdout.trim()).toMatch(leaseHeldMessage);
    expect(early.stdout).toContain(`(${String(deadRunId)}, until `);
    expect(lab.sandbox.journal.entries().filter((entry) => entry.at > new Date(Date.now() - early.ms).toISOString())).toEqual([]);

    // the same rollout code, in this process, with its clock past the dead run's lease (MFA_LEASE_SECONDS = 15)
    const lines: string[] = [];
    const { config, rollout } = await lab.open();
    const later = () => new Date(Date.now() + 16_000);
    // the dead run's wave is tonight's: finishing the night is another wave tonight
    const result = await runWave({ config, clock: later, ports: rollout.ports, logger: createLogger((_level, line) => lines.push(line)), runId: 'after-expiry', again: true });
    expect(result.outcome).toBe('wave');
    expect(lines.some((line) => line.includes('"night.leaseTakenOver"'))).toBe(true);
    expect(lines.some((line) => line.includes('"roster.reconciled"'))).toBe(true);
    expectClean(await checkLab(lab));
  });

  it('a wave that outlives the lease length keeps its lease by renewing it: nobody can take it meanwhile, and it is released at the end', async () => {
    const lab = await labs.start({ label: 'renew', sandbox: { users: 30, seed: 33 } });
    // The rollout's clock runs twice as fast as real time here, so the 15 s lease (MFA_LEASE_SECONDS' minimum) lasts
    // 7.5 s of real time; the renewal timer is real time (every 5 s). One enforcement write answers after 10 s, so the
    // wave outlives its first lease and needs two renewals.
    const origin = Date.now();
    const clock = () => new Date(origin + (Date.now() - origin) * 2);
    lab.sandbox.traffic.addFault({ kind: 'latency', minMs: 10_000, maxMs: 10_000, operations: ['requirements.update'], count: 1 });
    const { config, rollout } = await lab.open();
    const leaseTable = TableClient.fromConnectionString(labs.azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Lease`, { allowInsecureConnection: true });
    const night = runWave({ config, clock, ports: rollout.ports, logger: createLogger(() => undefined), runId: 'long-wave' });

    let taken: { expiresAt?: unknown } | undefined;
    while (taken === undefined) {
      taken = await leaseTable.getEntity<{ expiresAt?: unknown }>('lease', config.rolloutId).catch(() => undefined);
      if (taken === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const firstExpiry = Date.parse(String(taken.expiresAt));
    while (clock().getTime() <= firstExpiry + 1000) await new Promise((resolve) => setTimeout(resolve, 100));

    const current = await leaseTable.getEntity<{ holder?: unknown; expiresAt?: unknown }>('lease', config.rolloutId);
    expect(current.holder).toBe('long-wave');
    expect(Date.parse(String(current.expiresAt))).toBeGreaterThan(clock().getTime()); // renewed
    const other = await new RunLease(leaseTable, config.rolloutId).acquire('another-run', clock(), 15);
    expect(other).toEqual({ held: { holder: 'long-wave', expiresAt: current.expiresAt } });

    const result = await night;
    expect(result.outcome).toBe('wave');
    if (result.outcome === 'wave') expect(result.wave.status).toBe('completed');
    expect(clock().getTime() - firstExpiry).toBeGreaterThan(0);
    await expect(leaseTable.getEntity('lease', config.rolloutId)).rejects.toMatchObject({ statusCode: 404 }); // released
    expectClean(await checkLab(lab));
  });

  it('a rollback that outlives the lease length renews its lease too: no night can start meanwhile, and it is released at the end', async () => {
    const lab = await labs.start({ label: 'rbrenew', sandbox: { users: 30, seed: 34 } });
    const night = await lab.run();
    const waveId = /^Wave (\S+) completed/m.exec(night.stdout)?.[1] ?? '';
    expect(waveId).not.toBe('');
    // one restoring write answers after 17 s: longer than the 15 s lease (MFA_LEASE_SECONDS' minimum), renewed every 5 s
    lab.sandbox.traffic.addFault({ kind: 'latency', minMs: 17_000, maxMs: 17_000, operations: ['requirements.update'], count: 1 });
    const { config, rollout } = await lab.open();
    const leaseTable = TableClient.fromConnectionString(labs.azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Lease`, { allowInsecureConnection: true });
    const started = Date.now();
    const rollback = rollbackWave(config, rollout.ports, createLogger(() => undefined), new Date(), { waveId, dryRun: false, removePhoneMethods: false, runId: 'long-rollback' });
    while (Date.now() - started < 16_000) await new Promise((resolve) => setTimeout(resolve, 250));
    const other = await new RunLease(leaseTable, config.rolloutId).acquire('a-night', new Date(), 15);
    expect(other).toMatchObject({ held: { holder: 'long-rollback' } });
    const result = await rollback;
    expect(result).toMatchObject({ failed: [] });
    expect(result.reverted).toBeGreaterThan(0);
    await expect(leaseTable.getEntity('lease', config.rolloutId)).rejects.toMatchObject({ statusCode: 404 }); // released
  }, 60_000);
});
