import { describe, expect, it } from '@jest/globals';
import { checkRollout } from '../../chaos/checkRollout.js';
import { setPerUserMfaState } from '../../shared/adapters/graph/userAuthentication.js';
import { isCorruptRow, type RosterRow } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 63, faults: { latency: false } });
const tonight = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_GRAPH_USE_BATCH: 'false', MFA_MAX_ATTEMPTS: '1', MFA_GRAPH_MAX_ATTEMPTS: '2', MFA_HALT_FAILURE_RATE: '0.9' };

describe('the chaos verdict (chaos/checkRollout.ts) judges what Graph holds', () => {
  it('explains a user the faults parked, and names a roster that says more than Graph, or less than the journal', async () => {
    const { sandbox } = tenant();
    const ready = sandbox.manifest.users.filter((user) => user.category === 'ready').map((user) => user.id);
    const [unlucky, disabledLater, recordLost] = ready as [string, string, string];
    // Graph refuses every enforcement of one user with 503s until the rollout gives up: parked after one night
    sandbox.traffic.addFault({ kind: 'unavailable', status: 503, retryAfterSeconds: 0, operations: ['requirements.update'], userIds: [unlucky] });
    const { config, rollout } = await tenant().open(tonight);
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'verdict' });
    expect(night.outcome).toBe('wave');
    sandbox.traffic.clearFaults();

    const clean = await checkRollout({ sandbox, config, ports: rollout.ports });
    expect(clean).toMatchObject({ lostRecords: [], enforceableNotEnforced: [], duplicateWrites: 0 });
    expect(clean.parkedByFaults).toEqual([`${unlucky}: parked after GRAPH_UNAVAILABLE`]);

    // someone switches one enforced user's MFA off in Graph; the roster still says enforced
    await setPerUserMfaState(rollout.ports.gateway, disabledLater, 'disabled');
    // and one row loses the record that the rollout created the user's mobile method
    let row: RosterRow | undefined;
    for await (const candidate of rollout.ports.roster.rows()) if (!isCorruptRow(candidate) && candidate.user.directory.id === recordLost) row = candidate;
    const progress = row?.user.progress;
    if (row === undefined || progress?.state !== 'active' || progress.journey.steps.phoneMethod === undefined) throw new Error('expected the user enforced with a mobile method the rollout created');
    expect(progress.journey.steps.phoneMethod.wrote).toBe(true);
    await rollout.ports.roster.writeProgress(row, { ...progress, journey: { ...progress.journey, steps: { ...progress.journey.steps, phoneMethod: { ...progress.journey.steps.phoneMethod, wrote: false } } } });

    const bad = await checkRollout({ sandbox, config, ports: rollout.ports });
    expect(bad.lostRecords).toEqual(expect.arrayContaining([
      `${disabledLater}: enforced in the roster, not in Graph`,
      `${recordLost}: the rollout created the mobile method, the roster (active) does not say so`,
    ]));
    expect(bad.enforceableNotEnforced).toEqual([`${disabledLater}: enforceable, not enforced in Graph (roster active)`]);
    expect(bad.parkedByFaults).toEqual([`${unlucky}: parked after GRAPH_UNAVAILABLE`]);
  });
});
