import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { runWave } from '../../shared/shell/runWave.js';
import { checkLab, enforceableUserIds, expectClean, useLabs } from './labHelpers.js';

const labs = useLabs();
const minute = 60_000;

/**
 * The time budget (MFA_TIME_BUDGET_MINUTES, whole minutes, 50 by default) is tested through runWave's `elapsed` port:
 * the real rollout code and adapters, with the budget's clock moved on at a chosen moment instead of waiting 50 minutes.
 * No test-only setting is needed.
 */
describe('the time budget', () => {
  it('stops the wave cleanly once spent: what was done and what remains are recorded, nobody is left in flight, and the next night continues', async () => {
    // two users at a time (no batching, concurrency 1), so the wave is still starting users when the budget runs out
    const lab = await labs.start({ label: 'budget', sandbox: { users: 50, seed: 41 }, settings: { MFA_GRAPH_USE_BATCH: 'false', MFA_GRAPH_CONCURRENCY: '1' } });
    const { config, rollout } = await lab.open();
    let spent = 0;
    const stopWatching = lab.writes.onWrite((entry) => {
      if (entry.operation === 'requirements.update' && lab.sandbox.journal.entries().filter((e) => e.operation === 'requirements.update').length === 8) spent = 51 * minute;
    });
    const lines: string[] = [];
    const logger = createLogger((level, line) => lines.push(`${level} ${line}`));
    const first = await runWave({ config, clock: () => new Date(), ports: rollout.ports, logger, runId: 'night-1', elapsed: () => spent });
    stopWatching();

    expect(first.outcome).toBe('wave');
    if (first.outcome !== 'wave') return;
    const wave = first.wave;
    const enforceable = enforceableUserIds(lab).length;
    expect(wave.status).toBe('stopped');
    expect(wave.enforced).toBeGreaterThanOrEqual(8);
    expect(wave.enforced).toBeLessThan(enforceable);
    expect(wave.reason).toBe(`time budget of 50 min reached; ${wave.planned - wave.attempted} planned users continue next night`);
    const [record] = await rollout.ports.waves.history();
    expect(record).toMatchObject({ waveId: wave.waveId, status: 'stopped', attempted: wave.attempted, enforced: wave.enforced, reason: wave.reason });
    expect(lines.some((line) => line.startsWith('warn ') && line.includes('"wave.closed"') && line.includes('"status":"stopped"'))).toBe(true);
    // the users already in the journey are not attended after the budget either (none were, on a first night)
    expect(wave.journey).toMatchObject({ advanced: 0, checked: 0 });
    const states: Record<string, number> = {};
    const recordedEnforced: string[] = [];
    for await (const row of rollout.ports.roster.rows()) {
      if (isCorruptRow(row)) continue;
      const progress = row.user.progress;
      const standing = progress.state === 'active' && progress.journey.steps.enforceMfa !== undefined ? 'enforced' : progress.state;
      if (standing === 'enforced') recordedEnforced.push(row.user.directory.id);
      states[standing] = (states[standing] ?? 0) + 1;
    }
    expect(states['inFlight']).toBeUndefined();
    expect(states['enforced']).toBe(wave.enforced);
    // what the roster says is what Graph has
    for (const id of recordedEnforced) expect(lab.sandbox.state.perUserMfaState(id)).toBe('enforced');
    const probe = await rollout.ports.lease.acquire('probe', new Date(), 15); // the stopped run released its lease
    if ('held' in probe) throw new Error(`the lease is still held by ${probe.held.holder}`);
    await probe.release();

    const second = await runWave({ config, clock: () => new Date(Date.now() + 1000), ports: rollout.ports, logger, runId: 'night-2', again: true }); // a rerun the same night
    expect(second.outcome).toBe('wave');
    if (second.outcome !== 'wave') return;
    expect(second.wave).toMatchObject({ status: 'completed', planned: enforceable - wave.enforced, enforced: enforceable - wave.enforced });
    expectClean(await checkLab(lab));
  });

  it('counts from the start of the run, as the host timeout does: a budget spent before the first write enforces nobody and leaves everyone for the next night', async () => {
    const lab = await labs.start({ label: 'budget0', sandbox: { users: 30, seed: 42 } });
    const { config, rollout } = await lab.open();
    let spent = 0;
    const logger = createLogger((_level, line) => {
      if (line.includes('"roster.refreshed"')) spent = 51 * minute; // the roster refresh of a large tenant ate the budget
    });
    const before = lab.sandbox.journal.entries().length;
    const result = await runWave({ config, clock: () => new Date(), ports: rollout.ports, logger, runId: 'slow-refresh', elapsed: () => spent });
    expect(result.outcome).toBe('wave');
    if (result.outcome !== 'wave') return;
    expect(result.wave).toMatchObject({ status: 'stopped', attempted: 0, enforced: 0 });
    expect(result.wave.reason).toBe(`time budget of 50 min reached; ${result.wave.planned} planned users continue next night`);
    expect(lab.sandbox.journal.entries().length).toBe(before);
  });
});
