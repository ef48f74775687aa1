import { describe, expect, it } from '@jest/globals';
import { createWavePlanner } from '../../shared/core/createWavePlanner.js';
import type { MethodAvailability } from '../../shared/core/journey/journeyTypes.js';
import { planWave } from '../../shared/core/planWave.js';
import { passkeyTrack, testConfig } from './configBuilder.js';
import { enforced, enteredSteps, failed, now, rosterUser, rosterUsers, userId } from './userBuilder.js';

const passkey = testConfig({ ...passkeyTrack, MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '10' });
const phone = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '10' });
const retired: MethodAvailability = { phone: false, phoneBlockedBy: 'retired', fido2: true, authenticator: true };

describe('planning on the passkey track', () => {
  it('a user with no usable mobile and no method enters too (the helpdesk pass is their way in), with no phone write', () => {
    const plan = planWave([rosterUser({ id: userId(1), phone: 'missing', methods: 'none' }), rosterUser({ id: userId(2) })], [], passkey, now);
    expect(plan.enforce.map((user) => [user.id, user.needsPhoneMethod])).toEqual(expect.arrayContaining([[userId(1), false], [userId(2), true]]));
    expect(plan.notReady).toBe(0);
  });

  it('the same user on the phone track waits for a phone, by the phone\'s reason', () => {
    const plan = planWave([rosterUser({ id: userId(1), phone: 'missing', methods: 'none' })], [], phone, now);
    expect(plan.enforce).toEqual([]);
    expect(plan.waiting.mobileMissing).toBe(1);
  });

  it('after the retirement date the phone track plans nobody who needs the bridge, and names why', () => {
    const planner = createWavePlanner([], phone, now, { availability: () => retired });
    for (const user of rosterUsers(3)) planner.add(user);
    planner.add(rosterUser({ id: userId(50), methods: 'registered' }));
    const plan = planner.finish();
    expect(plan.enforce.map((user) => user.id)).toEqual([userId(50)]);
    expect(plan.waiting.smsRetired).toBe(3);
  });

  it('users in the journey are never entered again: MFA required counts as enforced, entered without a method as awaiting a pass', () => {
    const awaiting = { state: 'active', journey: { ...(enforced('w', 2) as Extract<ReturnType<typeof enforced>, { state: 'active' }>).journey, steps: { joinCampaign: enteredSteps('w', 2).joinCampaign } } } as const;
    const plan = planWave([
      rosterUser({ id: userId(1), progress: enforced('w', 2) }),
      rosterUser({ id: userId(2), progress: awaiting }),
      rosterUser({ id: userId(3), progress: failed(1, 'GRAPH_UNAVAILABLE', { entryCompleteAt: now.toISOString(), steps: enteredSteps('w', 1) }) }),
      rosterUser({ id: userId(4), progress: failed(1) }),
    ], [], passkey, now);
    expect(plan.enforce.map((user) => [user.id, user.retry])).toEqual([[userId(4), true]]);
    expect(plan.waiting.enforced).toBe(2);
    expect(plan.waiting.awaitingTap).toBe(1);
  });

  it('an entry a run left half-way (its row changed under it after the phone step) is finished like a retry, without a new notice', () => {
    const halfway = { state: 'active', journey: { ...(enforced('w', 1) as Extract<ReturnType<typeof enforced>, { state: 'active' }>).journey, entryCompleteAt: null, steps: { phoneMethod: enteredSteps('w', 1).phoneMethod } } } as const;
    const noticed = testConfig({ ...passkeyTrack, MFA_NOTICE_DAYS: '5', MFA_WAVE_SIZE: '10' });
    const plan = planWave([rosterUser({ id: userId(1), progress: halfway }), rosterUser({ id: userId(2) })], [], noticed, now);
    expect(plan.enforce.map((user) => [user.id, user.retry])).toEqual([[userId(1), true]]);
    expect(plan.announce.map((user) => user.id)).toEqual([userId(2)]);
  });
});
