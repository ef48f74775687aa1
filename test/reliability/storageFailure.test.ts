import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { userConcurrency } from '../../shared/core/userConcurrency.js';
import type { RolloutLab } from '../../chaos/rolloutLab.js';
import type { ProcessResult } from '../../chaos/rolloutProcess.js';
import { azuriteConnectionString } from '../../rehearsal/startAzurite.js';
import { startCuttableTcpProxy } from '../helpers/cuttableTcpProxy.js';
import { eventsOf, useLabs, useRestartableAzurite } from './labHelpers.js';

const storage = useRestartableAzurite('storage');
const labs = useLabs(storage.current);

/** Writes answer in 20-60 ms, so that the wave is well under way when storage stops. */
const slowWrites = { latency: { minMs: 0, maxMs: 0, writes: { minMs: 20, maxMs: 60 } } };

/**
 * How long Table Storage is unreachable in the outage test: longer than the table SDK's default retries take at the
 * fastest (@azure/core-rest-pipeline's defaultRetryPolicy: 3 retries after 0.5-1 s, 1-2 s and 2-4 s, so a write gives
 * up after 3.5-7 s; the product does not change them), shorter than they take at the slowest. Of the table writes under
 * way when storage goes, some give up (the run's first failed table write), the others go through once it is back.
 */
const outageMs = 5000;

/**
 * A `run-wave` process whose Table Storage stops (gracefully: its data stays on disk) after the sandbox journaled
 * `afterWrites` writes, and comes back once the run has ended. Returns the run, its wave id and the writes that
 * landed after storage went away.
 */
async function nightWhoseStorageDies(lab: RolloutLab, afterWrites: number): Promise<{ run: ProcessResult; waveId: string; writesAfterStop: number }> {
  const child = lab.spawn();
  let stopped: Promise<void> | undefined;
  let writesAtStop = 0;
  const stopWatching = lab.writes.onWrite(() => {
    if (stopped !== undefined || lab.writes.count < afterWrites) return;
    writesAtStop = lab.writes.count;
    stopped = storage.stop();
  });
  const run = await child.done;
  stopWatching();
  await stopped;
  await lab.settle();
  const writesAfterStop = lab.sandbox.journal.entries(writesAtStop).filter((entry) => entry.status < 300).length;
  await storage.start();
  const started = eventsOf(run).find((event) => event.event === 'wave.started');
  if (started === undefined) throw new Error(`the run never started a wave: ${run.stderr}`);
  return { run, waveId: String(started['waveId']), writesAfterStop };
}

/** Users whose enforcement (per-user MFA) or phone method the sandbox journaled as written. */
function written(lab: RolloutLab, operation: 'requirements.update' | 'phoneMethods.create'): string[] {
  return [...new Set(lab.sandbox.journal.entries().filter((entry) => entry.operation === operation && entry.status < 300).map((entry) => entry.userId ?? ''))];
}

describe('Table Storage fails mid-wave', () => {
  it('the wave is on record from its start, no Graph write starts once storage failed, and `rollback --wave` of the died wave undoes every write', async () => {
    const lab = await labs.start({ label: 'stordies', sandbox: { users: 300, seed: 71, faults: slowWrites } });
    const { run, waveId, writesAfterStop } = await nightWhoseStorageDies(lab, 20);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TABLE_UNAVAILABLE');
    // each user in flight has at most one write under way when storage goes: nothing new starts after it
    expect(writesAfterStop).toBeLessThanOrEqual(userConcurrency(lab.config, 'enforce'));

    // the wave was recorded as it started: the report lists it (still `running`: its run could not close it), as
    // does the history
    const report = await lab.run(['report']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(new RegExp(`^ {2}${waveId} +enforce +running `, 'm'));
    const { rollout } = await lab.open();
    expect((await rollout.ports.waves.history()).find((wave) => wave.waveId === waveId)).toMatchObject({ kind: 'enforce', status: 'running' });
    let inFlight = 0;
    for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row) && row.user.progress.state === 'inFlight') inFlight += 1;
    expect(inFlight).toBeGreaterThan(0);

    const enforced = written(lab, 'requirements.update');
    const phones = written(lab, 'phoneMethods.create');
    expect(phones.length).toBeGreaterThan(0);
    expect(enforced.length).toBeGreaterThan(0);
    for (const id of enforced) expect(lab.sandbox.state.perUserMfaState(id)).toBe('enforced');

    expect(await lab.expireLease()).toBe(true); // the dead run could not release it
    const rollback = await lab.run(['rollback', '--wave', waveId, '--remove-phone-methods']);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(new RegExp(`^Rollback \\S+: (\\d+) of \\1 user\\(s\\) of wave ${waveId} rolled back \\(0 already were\\), 0 failed\\.$`, 'm'));
    expect(rollback.stdout).toContain('(inFlight -> rolledBack)');
    for (const id of enforced) expect(lab.sandbox.state.perUserMfaState(id)).toBe('disabled');
    // each mobile the wave wrote is its user's only strong method, so their default MFA method: Graph refuses to delete
    // it (docs/graph-behaviour.md#phone-methods), and the rollback names every one of them instead of failing
    for (const id of phones) {
      const mobile = lab.sandbox.state.phoneMethods(id).find((method) => method.phoneType === 'mobile');
      expect(lab.sandbox.state.defaultMfaMethodId(id)).toBe(mobile?.id);
    }
    expect(rollback.stdout).toContain(`Mobile phone method kept for ${phones.length} user(s): Graph refuses to delete it`);
  }, 120_000);

  it('users the died wave wrote and the next night reconciled stay in the died wave: its rollback reaches them, not only the recovery wave\'s', async () => {
    const lab = await labs.start({ label: 'storrec', sandbox: { users: 300, seed: 72, faults: slowWrites } });
    const { waveId } = await nightWhoseStorageDies(lab, 20);
    const enforcedByDiedWave = written(lab, 'requirements.update');
    expect(enforcedByDiedWave.length).toBeGreaterThan(0);
    await lab.expireLease();

    const recovery = await lab.run();
    expect(recovery.code).toBe(0);
    expect(eventsOf(recovery).some((event) => event.event === 'wave.closedAfterRunDied' && event['waveId'] === waveId)).toBe(true);
    const { rollout } = await lab.open();
    expect((await rollout.ports.waves.history()).find((wave) => wave.waveId === waveId)).toMatchObject({ status: 'stopped' });

    const rollback = await lab.run(['rollback', '--wave', waveId]);
    expect(rollback.code).toBe(0);
    for (const id of enforcedByDiedWave) expect(lab.sandbox.state.perUserMfaState(id)).toBe('disabled');
  }, 120_000);

  it('storage unreachable for a few seconds, then back: after a table write failed no Graph write starts, besides the one each user in flight had under way', async () => {
    const proxy = await startCuttableTcpProxy(storage.current().port);
    try {
      const lab = await labs.start({
        label: 'storblip', sandbox: { users: 300, seed: 73, faults: slowWrites },
        settings: { MFA_TABLES_CONNECTION: azuriteConnectionString(proxy.port) },
      });
      const child = lab.spawn();
      let writesAtCut = 0;
      let outage: Promise<void> | undefined;
      const stopWatching = lab.writes.onWrite(() => {
        if (outage !== undefined || lab.writes.count < 20) return;
        writesAtCut = lab.writes.count;
        proxy.cut();
        outage = new Promise((resolve) => setTimeout(() => {
          proxy.restore();
          resolve();
        }, outageMs));
      });
      const run = await child.done;
      stopWatching();
      await outage;
      await lab.settle();
      expect(outage).toBeDefined();
      expect(proxy.resets).toBeGreaterThan(0);

      // Graph's side: from the moment storage went, each user has at most the one write that was under way (its
      // write-ahead record saved, or its request sent); no user goes on to another write once storage is back
      const after = lab.sandbox.journal.entries(writesAtCut);
      const writesPerUser = new Map<string, number>();
      for (const entry of after) writesPerUser.set(entry.userId ?? `(no user) ${entry.operation}`, (writesPerUser.get(entry.userId ?? `(no user) ${entry.operation}`) ?? 0) + 1);
      expect([...writesPerUser].filter(([, writes]) => writes > 1)).toEqual([]);
      expect(after.length).toBeLessThanOrEqual(userConcurrency(lab.config, 'enforce'));

      // the run stopped on the failed table write, and (storage being back) closed its wave as stopped, naming the code
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('TABLE_UNAVAILABLE');
      const waveId = String(eventsOf(run).find((event) => event.event === 'wave.started')?.['waveId']);
      const { rollout } = await lab.open();
      const wave = (await rollout.ports.waves.history()).find((record) => record.waveId === waveId);
      expect(wave).toMatchObject({ kind: 'enforce', status: 'stopped' });
      expect(wave?.reason).toMatch(/^TABLE_UNAVAILABLE: /);
      // its run could not count it: the record says its counts are those of its start
      expect(wave?.reason).toContain(`the counts are as saved at its start, not what the wave did (\`mfa-rollout rollback --wave ${waveId} --dry-run\``);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
