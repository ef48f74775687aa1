import { describe, expect, it } from '@jest/globals';
import { TableClient } from '@azure/data-tables';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { seededRandom } from '../../chaos/random.js';
import type { RolloutLab } from '../../chaos/rolloutLab.js';
import { checkLab, enforceableUserIds, eventsOf, expectClean, useLabs } from './labHelpers.js';

const labs = useLabs();

/** Roster rows left in flight (intent recorded, outcome not). */
async function inFlightRows(lab: RolloutLab): Promise<number> {
  const { rollout } = await lab.open();
  let count = 0;
  for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row) && row.user.progress.state === 'inFlight') count += 1;
  return count;
}

/** Reruns until a night completes its wave with no failure (or has nothing left to do); returns every run's result. */
async function finish(lab: RolloutLab) {
  const runs = [];
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const result = await lab.run();
    runs.push(result);
    expect(result.code).toBe(0);
    if (/completed: .* failed 0|Nothing to do tonight\./.test(result.stdout)) return runs;
  }
  throw new Error(`no clean night after ${runs.length} runs: ${runs.map((run) => run.stdout).join(' | ')}`);
}

describe('SIGKILL of a real `mfa-rollout run-wave` process mid-wave, then reruns (write-ahead + reconcile)', () => {
  it('killed right after its k-th Graph write took effect (k = 1, 3, 10, 30 in successive runs): the reruns lose nothing and write nothing twice', async () => {
    // every kill interrupts every user in flight (up to 160 with batching), and an interruption counts as an attempt:
    // room for four of them, so that all end enforced rather than parked after MFA_MAX_ATTEMPTS (3). The writes in
    // flight at a kill still land, so each kill can use up dozens of writes: with 60 users the fourth run sometimes
    // had fewer than 30 left and was never killed; 240 users leave it plenty.
    const lab = await labs.start({ label: 'killk', sandbox: { users: 240, seed: 21 }, settings: { MFA_MAX_ATTEMPTS: '6' } });
    let leftInFlight = 0;
    for (const k of [1, 3, 10, 30]) {
      const child = lab.spawn();
      const kills = await lab.killAt([child], { write: k });
      expect(kills).toBe(1);
      leftInFlight += await inFlightRows(lab);
      await lab.settle();
      expect(await lab.expireLease()).toBe(true); // the dead run never released its lease
    }
    expect(leftInFlight).toBeGreaterThan(0); // the kills did land between an intent and its outcome

    const runs = await finish(lab);
    const reconciled = eventsOf(runs[0]!).filter((event) => event.event === 'roster.reconciled');
    expect(reconciled.length).toBeGreaterThan(0);
    expect(eventsOf(runs[0]!).some((event) => event.event === 'night.leaseTakenOver')).toBe(true);

    // the waves the dead runs opened are closed for the record by the next run, not left `running`
    expect(eventsOf(runs[0]!).filter((event) => event.event === 'wave.closedAfterRunDied').length).toBeGreaterThan(0);
    const { rollout } = await lab.open();
    const waves = await rollout.ports.waves.history();
    expect(waves.filter((wave) => wave.status === 'stopped' && wave.reason?.startsWith('the run died')).length).toBeGreaterThanOrEqual(1);
    expect(waves.filter((wave) => wave.status === 'running')).toEqual([]);

    const check = await checkLab(lab);
    expectClean(check);
    expect(check.states['enforced']).toBe(enforceableUserIds(lab).length);
  }, 90_000);

  it('killed while announcing users (MFA_NOTICE_DAYS 3): no user is left announced without a notice on record', async () => {
    const lab = await labs.start({ label: 'killann', sandbox: { users: 200, seed: 23 }, settings: { MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '20' } });
    const roster = TableClient.fromConnectionString(labs.azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Roster`, { allowInsecureConnection: true });
    const announced = async () => {
      let count = 0;
      for await (const _row of roster.listEntities({ queryOptions: { filter: "state eq 'announced'", select: ['RowKey'] } })) count += 1;
      return count;
    };
    const child = lab.spawn();
    while ((await announced().catch(() => 0)) < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill();
    expect((await child.done).killed).toBe(true);
    expect((await checkLab(lab)).lostRecords).toEqual([]); // each user announced so far has its notice
    await lab.expireLease();
    const rerun = await lab.run();
    expect(rerun.stdout).toMatch(/announced \d+/);
    const check = await checkLab(lab);
    expectClean(check);
    expect(check.states['announced']).toBeGreaterThan(20);
  });

  it('killed at random moments (two runs, conditional-access group strategy, batching off): the same promises hold', async () => {
    // writes answer in 20-60 ms and four users go at a time, so that a wave lasts long enough to be hit mid-way
    const lab = await labs.start({
      label: 'killt',
      sandbox: { users: 60, seed: 22, faults: { latency: { minMs: 0, maxMs: 0, writes: { minMs: 20, maxMs: 60 } } } },
      settings: { MFA_STRATEGY: 'conditionalAccessGroup', MFA_GRAPH_USE_BATCH: 'false', MFA_GRAPH_CONCURRENCY: '2' },
    });
    const random = seededRandom(22);
    let kills = 0;
    for (let run = 0; run < 2; run += 1) {
      const child = lab.spawn();
      kills += await lab.killAt([child], { msAfterFirstWrite: random.int(0, 500) });
      await lab.settle();
      await lab.expireLease();
    }
    expect(kills).toBe(2);
    await finish(lab);
    const check = await checkLab(lab);
    expectClean(check);
    expect(check.states['enforced']).toBe(enforceableUserIds(lab).length);
    // every enforcement went through exactly one group add
    const adds = lab.sandbox.journal.entries().filter((entry) => entry.operation === 'groups.addMember' && entry.status < 300);
    expect(new Set(adds.map((entry) => entry.userId)).size).toBe(adds.length);
  }, 90_000);
});
