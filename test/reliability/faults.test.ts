import { describe, expect, it } from '@jest/globals';
import { TableClient } from '@azure/data-tables';
import { isCorruptRow, rosterPartitionKey, type RosterRow, type RosterTable } from '../../shared/adapters/tables/rosterTable.js';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { runWave } from '../../shared/shell/runWave.js';
import type { RolloutLab } from '../../chaos/rolloutLab.js';
import { checkLab, enforceableUserIds, eventsOf, expectClean, useLabs, useRestartableAzurite } from './labHelpers.js';

const storage = useRestartableAzurite('faults');
const currentAzurite = storage.current;
const labs = useLabs(currentAzurite);

/** Runs until a night completes its wave (or has nothing left to do). */
async function finish(lab: RolloutLab): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const result = await lab.run();
    if (result.code === 0 && /completed: .* failed 0|Nothing to do tonight\./.test(result.stdout)) return;
    if (result.code !== 0) await lab.expireLease();
  }
  throw new Error('no clean night after 4 runs');
}

describe('faults a night survives (real Azurite, the sandbox tenant, `mfa-rollout run-wave` processes)', () => {
  it('Azurite restarted mid-wave (on-disk, same port): nothing written before the restart is lost, and the rollout finishes without writing anything twice', async () => {
    const lab = await labs.start({ label: 'restart', sandbox: { users: 40, seed: 51 }, settings: { MFA_GRAPH_USE_BATCH: 'false', MFA_GRAPH_CONCURRENCY: '2' } });
    const child = lab.spawn();
    let restarted: Promise<void> | undefined;
    const stopWatching = lab.writes.onWrite(() => {
      if (restarted !== undefined || lab.sandbox.journal.entries().length < 10) return;
      restarted = (async () => {
        await storage.stop();
        await storage.start();
      })();
    });
    const result = await child.done;
    stopWatching();
    await restarted;
    expect(restarted).toBeDefined();
    // the table client retried through the restart, or the run stopped on TABLE_UNAVAILABLE: either way, no loss
    expect([0, 1]).toContain(result.code);
    await lab.expireLease();
    await finish(lab);
    const check = await checkLab(lab);
    expectClean(check);
    expect(check.states['enforced']).toBe(enforceableUserIds(lab).length);
    const { rollout } = await lab.open();
    expect((await rollout.ports.waves.history()).length).toBeGreaterThanOrEqual(1);
  });

  it('Table Storage 412 on a conflicting update: only that user is set aside (the wave goes on), and the next run reconciles it from Graph', async () => {
    const lab = await labs.start({ label: 'etag', sandbox: { users: 40, seed: 52 } });
    const { config, rollout } = await lab.open();
    const roster = rollout.ports.roster;
    const other = TableClient.fromConnectionString(currentAzurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Roster`, { allowInsecureConnection: true });
    const ready = lab.sandbox.manifest.users.filter((user) => user.category === 'ready');
    const [afterPhone, atIntent] = [ready[0]!.id, ready[1]!.id];
    // another writer changes these rows just before the run's next conditional write: their ETags no longer match
    const conflicting: RosterTable = Object.assign(Object.create(roster) as RosterTable, {
      writeProgress: async (row: RosterRow, progress: RolloutProgress) => {
        const id = row.user.directory.id;
        const touch = (id === afterPhone && progress.state === 'inFlight' && progress.pending.step === 'enforceMfa') || (id === atIntent && progress.state === 'inFlight');
        if (touch) await other.updateEntity({ partitionKey: rosterPartitionKey(config.rolloutId, id), rowKey: id, touchedBy: 'another writer' }, 'Merge');
        return roster.writeProgress(row, progress);
      },
    });
    const first = await runWave({ config, clock: () => new Date(), ports: { ...rollout.ports, roster: conflicting }, logger: createLogger(() => undefined), runId: 'conflicts' });
    expect(first.outcome).toBe('wave');
    if (first.outcome !== 'wave') return;
    expect(first.wave).toMatchObject({ status: 'completed', skipped: expect.objectContaining({ rowChanged: 2 }) });
    const rows = new Map<string, RosterRow>();
    for await (const row of roster.rows()) if (!isCorruptRow(row)) rows.set(row.user.directory.id, row);
    // its phone write landed and is on record; the entry stopped there, before the enforcement's write-ahead record
    expect(rows.get(afterPhone)?.user.progress).toMatchObject({ state: 'active', journey: { entryCompleteAt: null, steps: { phoneMethod: { wrote: true, action: 'create' } } } });
    expect(rows.get(atIntent)?.user.progress.state).toBe('new'); // set aside before any Graph write
    expect(lab.sandbox.journal.entries().filter((entry) => entry.userId === atIntent)).toEqual([]);

    const second = await lab.run();
    expect(second.code).toBe(0);
    // the next run finishes the entry from the step on record: the mobile method is not written twice
    expect(lab.sandbox.journal.entries().filter((entry) => entry.userId === afterPhone).map((entry) => entry.operation)).toEqual(['phoneMethods.create', 'requirements.update']);
    await finish(lab);
    const check = await checkLab(lab);
    expectClean(check); // includes: the phone method the interrupted attempt created is on the enforced record
    expect(check.states['enforced']).toBe(enforceableUserIds(lab).length);
  });

  it('Graph 503/504 bursts, 429s, hung connections and malformed answers (invalid JSON, a missing field, a wrong type, an empty page with a next link) mid-wave: retried, or failed by name and retried next night; never written on a guess', async () => {
    // a failure-rate halt is not what this test is about (haltAndResume.test.ts is): a few users failing must not stop the wave
    const lab = await labs.start({ label: 'graph', sandbox: { users: 40, seed: 53 }, settings: { MFA_GRAPH_TIMEOUT_SECONDS: '1', MFA_HALT_FAILURE_RATE: '0.5' } });
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'emptyPageWithNextLink', operations: ['users.list'], count: 3 });
    lab.sandbox.traffic.addFault({ kind: 'hang', count: 2, operations: ['batch.send'] }); // abandoned after MFA_GRAPH_TIMEOUT_SECONDS: reads retried, writes read back
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'invalidJson', operations: ['methods.list'], count: 2 });
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'missingField', operations: ['requirements.read'], count: 2 });
    // users of the wave, not the break-glass and admin accounts the night looks up first (a lookup it cannot read stops
    // the night: the 'stops' test below)
    const waveUsers = lab.sandbox.manifest.users.filter((user) => user.category === 'ready' || user.category === 'readyNational').slice(0, 6).map((user) => user.id);
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'wrongType', operations: ['users.read'], userIds: waveUsers, count: 2 });
    // the bursts start with the first write, so that the wave's writes meet them
    const stopWatching = lab.writes.onWrite(() => {
      stopWatching();
      lab.sandbox.traffic.addFault({ kind: 'unavailable', status: 503, count: 20, retryAfterSeconds: 0 });
      lab.sandbox.traffic.addFault({ kind: 'unavailable', status: 504, count: 10, operations: ['requirements.update', 'phoneMethods.create'] });
      lab.sandbox.traffic.addFault({ kind: 'throttle', count: 8, retryAfterSeconds: 0 });
    });
    const first = await lab.run();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Wave \S+ completed: /);
    expect(lab.sandbox.traffic.stats().injected).toEqual({
      serviceUnavailable503: 20, gatewayTimeout504: 10, throttled429: 8, hung: 2, answersLost: 0, slowed: 0,
      malformed: { invalidJson: 2, missingField: 2, wrongType: 2, emptyPageWithNextLink: 3 },
    });
    // an answer that could not be read fails that user with its code; nothing is written on a guess
    const { rollout } = await lab.open();
    const [wave] = await rollout.ports.waves.history();
    for (const { code } of wave?.topErrors ?? []) expect(['GRAPH_MALFORMED_RESPONSE', 'GRAPH_UNAVAILABLE', 'GRAPH_THROTTLED', 'GRAPH_TIMEOUT']).toContain(code);
    expect(wave?.topErrors.map((entry) => entry.code)).toContain('GRAPH_MALFORMED_RESPONSE');
    await finish(lab);
    const check = await checkLab(lab);
    expectClean(check);
    expect(check.states['enforced']).toBe(enforceableUserIds(lab).length);
  });

  it('a 503 storm at the start of the night, or a page of users that is not a collection: the run stops before any write, naming the call; the next night goes ahead', async () => {
    const lab = await labs.start({ label: 'stops', sandbox: { users: 30, seed: 57 } });
    lab.sandbox.traffic.addFault({ kind: 'unavailable', status: 503, count: 6, retryAfterSeconds: 0 });
    const storm = await lab.run();
    expect(storm.code).toBe(1);
    expect(storm.stderr).toContain('GRAPH_UNAVAILABLE: organization.read: Graph answered 503');
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'wrongType', operations: ['users.list'], count: 1 });
    const badPage = await lab.run();
    expect(badPage.code).toBe(1);
    expect(badPage.stderr).toContain('GRAPH_MALFORMED_RESPONSE: users.list: a page of the answer is not a collection');
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'wrongType', operations: ['users.read'], count: 1 });
    const badLookup = await lab.run();
    expect(badLookup.code).toBe(1);
    expect(badLookup.stderr).toContain("GRAPH_MALFORMED_RESPONSE: users.read: Graph's answer has an unexpected");
    expect(lab.sandbox.journal.entries()).toEqual([]);
    await finish(lab);
    expectClean(await checkLab(lab));
  });

  it('a corrupt row and an unknown-state row: reported by name, skipped, never written to, and the wave completes', async () => {
    const lab = await labs.start({ label: 'corrupt', sandbox: { users: 40, seed: 56 } });
    const table = TableClient.fromConnectionString(currentAzurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Roster`, { allowInsecureConnection: true });
    await table.createTable();
    const ready = lab.sandbox.manifest.users.filter((user) => user.category === 'ready');
    const [unknownState, missingIntent] = [ready[0]!, ready[1]!];
    await table.upsertEntity({ partitionKey: rosterPartitionKey(lab.config.rolloutId, unknownState.id), rowKey: unknownState.id, state: 'halfDone' });
    await table.upsertEntity({ partitionKey: rosterPartitionKey(lab.config.rolloutId, missingIntent.id), rowKey: missingIntent.id, state: 'inFlight', waveId: 'w0', step: 'enforce', since: '2026-11-24T01:00:00.000Z', attempts: 1 });
    const result = await lab.run();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wave \S+ completed: .* failed 0/);
    const reported = eventsOf(result).filter((event) => event.event === 'roster.corruptRow');
    expect(reported.map((event) => event.userId).sort()).toEqual([unknownState.id, missingIntent.id].sort());
    expect(reported.every((event) => event.errorCode === 'ROW_CORRUPT')).toBe(true);
    const touched = lab.sandbox.journal.entries().filter((entry) => entry.userId === unknownState.id || entry.userId === missingIntent.id);
    expect(touched).toEqual([]);
    const check = await checkLab(lab, new Set([unknownState.id, missingIntent.id]));
    expectClean(check);
    expect(check.states).toMatchObject({ corrupt: 2, enforced: enforceableUserIds(lab).length - 2 });
  });
});
