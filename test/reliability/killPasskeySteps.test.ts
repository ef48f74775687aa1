import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import type { RolloutLab } from '../../chaos/rolloutLab.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { checkLab, expectClean, useLabs } from './labHelpers.js';

/**
 * SIGKILL of a real `mfa-rollout run-wave` in the middle of the passkey track's own writes — joining the campaign
 * group on entry, the phishing-resistant and phone-retired groups on the move — then reruns: each kill leaves users
 * in flight on exactly those steps, and the reruns lose nothing and add nobody twice (the sandbox's duplicate-write
 * observer and group state are the judges, not the roster).
 */
const labs = useLabs();
const day = 86_400_000;

/** The pending step of every user left in flight. */
async function pendingSteps(lab: RolloutLab): Promise<string[]> {
  const { rollout } = await lab.open();
  const steps: string[] = [];
  for await (const row of rollout.ports.roster.rows()) if (!isCorruptRow(row) && row.user.progress.state === 'inFlight') steps.push(row.user.progress.pending.step);
  return steps;
}

/** Moves every journey's last look two days back, as two nights passing would (the CLI runs on the real clock). */
async function ageLooks(lab: RolloutLab): Promise<void> {
  const { rollout } = await lab.open();
  const back = new Date(Date.now() - 2 * day).toISOString();
  for await (const row of rollout.ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (!('journey' in progress) || progress.journey.lastCheckedAt === null) continue;
    await rollout.ports.roster.writeProgress(row, { ...progress, journey: { ...progress.journey, lastCheckedAt: back } });
  }
}

async function killThenSettle(lab: RolloutLab, writes: number): Promise<string[]> {
  const child = lab.spawn();
  expect(await lab.killAt([child], { write: writes })).toBe(1);
  const steps = await pendingSteps(lab);
  await lab.settle();
  expect(await lab.expireLease()).toBe(true);
  return steps;
}

async function runClean(lab: RolloutLab): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const result = await lab.run();
    expect(result.code).toBe(0);
    if (/completed: .* failed 0|Nothing to do tonight\./.test(result.stdout) && (await pendingSteps(lab)).length === 0) return;
  }
  throw new Error('no clean night after 4 runs');
}

describe('SIGKILL in the middle of the passkey track\'s writes, then reruns', () => {
  it('killed while joining users to the campaign, the phishing-resistant and the phone-retired groups: nothing lost, nobody added twice', async () => {
    const lab = await labs.start({ label: 'killpk', sandbox: { users: 160, seed: 41 }, settings: { ...passkeyTrackSettings, MFA_MAX_ATTEMPTS: '8', MFA_GRAPH_USE_BATCH: 'false' } });
    const { campaign, phishingResistant, phoneRetired } = lab.sandbox.manifest.groups;
    const phishing = { MFA_PHISHING_RESISTANT_GROUP_ID: phishingResistant };
    expect((await lab.run(['setup-passkeys', '--apply'])).code).toBe(0);

    // entry: phone bridge, MFA, campaign group per user, interleaved; kills land between an intent and its outcome
    const enteredPending = new Set<string>();
    for (const k of [25, 60, 110]) for (const step of await killThenSettle(lab, k)) enteredPending.add(step);
    expect(enteredPending.has('joinCampaign')).toBe(true);
    await runClean(lab);
    const nudged = lab.sandbox.state.users.filter((user) => lab.sandbox.state.isGroupMember(campaign, user.id));
    expect(nudged.length).toBeGreaterThan(40);

    // they register passkeys; a look records them, then the move's writes are killed in the middle
    for (const user of nudged) lab.sandbox.controls.registerMethod(user.id, 'passkeySynced');
    await ageLooks(lab);
    const looked = await lab.run(['run-wave', '--again'], phishing);
    expect(looked.code).toBe(0);
    const movedPending = new Set<string>();
    for (const k of [15, 50]) {
      const child = lab.spawn(['run-wave', '--again'], phishing);
      expect(await lab.killAt([child], { write: k })).toBe(1);
      for (const step of await pendingSteps(lab)) movedPending.add(step);
      await lab.settle();
      expect(await lab.expireLease()).toBe(true);
    }
    expect(movedPending.has('joinPhishingResistant') || movedPending.has('joinPhoneRetired')).toBe(true);
    for (let attempt = 0; attempt < 4 && (await pendingSteps(lab)).length + nudged.filter((user) => !lab.sandbox.state.isGroupMember(phoneRetired, user.id)).length > 0; attempt += 1) {
      expect((await lab.run(['run-wave', '--again'], phishing)).code).toBe(0);
    }

    // Graph's state: every nudged user is under the phishing-resistant policy and off SMS, each added once
    for (const user of nudged) {
      expect(lab.sandbox.state.isGroupMember(phishingResistant, user.id)).toBe(true);
      expect(lab.sandbox.state.isGroupMember(phoneRetired, user.id)).toBe(true);
    }
    expect(await pendingSteps(lab)).toEqual([]);
    expectClean(await checkLab(lab));
  }, 240_000);
});
