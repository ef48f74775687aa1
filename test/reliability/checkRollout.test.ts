import { describe, expect, it } from '@jest/globals';
import { checkRollout } from '../../chaos/checkRollout.js';
import { addGroupMember } from '../../shared/adapters/graph/groupMembership.js';
import { setPerUserMfaState } from '../../shared/adapters/graph/userAuthentication.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { setupPasskeys } from '../../shared/shell/setupPasskeys.js';
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

const passkeyTenant = useSandboxTenant({ users: 40, seed: 64, faults: { latency: false } });

describe('the chaos verdict on the passkey track', () => {
  it('names a phishing-resistant member without a passkey, a user with a passkey not moved on, a group add done twice and one the roster lost', async () => {
    const { sandbox } = passkeyTenant();
    const { campaign, phishingResistant, phoneRetired } = sandbox.manifest.groups;
    sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    const { config, rollout } = await passkeyTenant().open({ ...passkeyTrackSettings, MFA_PHISHING_RESISTANT_GROUP_ID: phishingResistant, ...tonight, MFA_RINGS: '[]' });
    const quiet = createLogger(() => undefined);
    expect((await setupPasskeys(config, rollout.ports, quiet, sandbox.state.now(), { apply: true, allUsers: false, campaignGroupOnly: false, runId: 'setup' })).posture.blocked).toBe(false);
    const night = async (runId: string) => runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId });
    expect((await night('enter')).outcome).toBe('wave');
    const nudged = sandbox.state.users.filter((user) => sandbox.state.isGroupMember(campaign, user.id)).map((user) => user.id);
    expect(nudged.length).toBeGreaterThan(4);
    for (const userId of nudged) sandbox.controls.registerMethod(userId, 'passkeySynced');
    // the nights after (a look records the passkey, a move writes the groups)
    for (let nights = 1; nights <= 3 && nudged.some((userId) => !sandbox.state.isGroupMember(phoneRetired, userId)); nights += 1) {
      sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 86_400_000));
      await night(`move-${nights}`);
    }

    const clean = await checkRollout({ sandbox, config, ports: rollout.ports });
    expect(clean).toMatchObject({ lostRecords: [], writtenTwice: [], phishingResistantWithoutPasskey: [], registeredNotMoved: [], unresolved: [] });
    for (const userId of nudged) expect([sandbox.state.isGroupMember(phishingResistant, userId), sandbox.state.isGroupMember(phoneRetired, userId)]).toEqual([true, true]);

    const [lostPasskey, notRetired, addedTwice, recordLost] = nudged as [string, string, string, string];
    // a passkey deleted after the move; someone takes a user out of the phone-retired group
    const passkey = sandbox.state.otherMethods(lostPasskey).find((method) => method.kind === 'fido2');
    if (passkey === undefined) throw new Error('expected a passkey');
    sandbox.state.deleteOtherMethod(lostPasskey, passkey.id);
    sandbox.state.removeGroupMember(phoneRetired, notRetired);
    // a second add of one campaign membership reaches Graph (after someone removed it)
    sandbox.state.removeGroupMember(campaign, addedTwice);
    expect(await addGroupMember(rollout.ports.gateway, campaign, addedTwice)).toBe('added');
    // a row loses the campaign step the rollout wrote
    let row: RosterRow | undefined;
    for await (const candidate of rollout.ports.roster.rows()) if (!isCorruptRow(candidate) && candidate.user.directory.id === recordLost) row = candidate;
    const progress = row?.user.progress;
    if (row === undefined || progress?.state !== 'active' || progress.journey.steps.joinCampaign?.wrote !== true) throw new Error('expected the user in the campaign group by the rollout');
    const { joinCampaign: _dropped, ...steps } = progress.journey.steps;
    await rollout.ports.roster.writeProgress(row, { ...progress, journey: { ...progress.journey, steps } });

    const bad = await checkRollout({ sandbox, config, ports: rollout.ports });
    expect(bad.phishingResistantWithoutPasskey).toEqual([`${lostPasskey}: in the phishing-resistant group without a passkey`]);
    expect(bad.registeredNotMoved).toEqual([`${notRetired}: holds a passkey, not in 1 of the move's groups (roster active)`]);
    expect(bad.writtenTwice).toEqual([`${addedTwice}: added 2 times by joinCampaign`]);
    expect(bad.lostRecords).toEqual([`${recordLost}: Graph took the rollout's joinCampaign add, the roster (active) has no such step`]);
  }, 60_000);
});
