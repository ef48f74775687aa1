import { describe, expect, it } from '@jest/globals';
import { createTrackPlanner, type TrackCandidate } from '../../../shared/core/journey/createTrackPlanner.js';
import { rollbackPlan } from '../../../shared/core/journey/journeyRollback.js';
import type { StragglerSettings } from '../../../shared/core/journey/journeyStanding.js';
import type { Journey, JourneyProgress } from '../../../shared/core/journey/journeyTypes.js';
import { journeySettings } from './journeyDriver.js';

const now = new Date('2026-12-20T01:00:00.000Z');
const settings: StragglerSettings = { ...journeySettings(), passkeyNudgeDays: 14, deadlineWarningDays: 30 };
const step = (waveId: string, wrote = true) => ({ waveId, at: '2026-12-01T01:00:00.000Z', wrote });
const base: Journey = {
  enteredWaveId: 'w1', enteredAt: '2026-12-01T01:00:00.000Z', announcedAt: null, enforceFrom: null, entryCompleteAt: '2026-12-01T01:00:00.000Z', phoneConflict: false,
  steps: { phoneMethod: { ...step('w1'), action: 'create' }, enforceMfa: { ...step('w1'), via: 'perUserMfa', previousMfaState: 'disabled' }, joinCampaign: { ...step('w1'), groupId: 'campaign' } },
  registration: null, lastCheckedAt: '2026-12-10T01:00:00.000Z', methods: { phone: true, passkey: false, authenticator: false, other: true }, mfaSeenAt: null, attempts: 0,
};
const registered = { method: 'passkey' as const, seenAt: '2026-12-05T01:00:00Z', registeredAt: null, passkeyType: 'synced' as const, hadBefore: false };
const candidate = (n: number, journey: Partial<Journey>, ringRank = 1): TrackCandidate<number> => ({
  id: `u${String(n).padStart(3, '0')}`, ringRank, orderKey: 1000 - n, progress: { state: 'active', journey: { ...base, ...journey } } as JourneyProgress, isGlobalAdmin: false, tap: null, payload: n,
});

describe('createTrackPlanner', () => {
  it('advances registered users in plan order, no more than the wave size, and counts those left for later', () => {
    const planner = createTrackPlanner<number>(settings, { maxAdvance: 10, checksPerNight: 10 }, now);
    for (let n = 1; n <= 6; n += 1) planner.add(candidate(n, { registration: registered }, n === 6 ? 0 : 1));
    const plan = planner.finish(3);
    expect(plan.advance.map((entry) => entry.payload)).toEqual([6, 5, 4]);
    expect(plan.deferred.advance).toBe(3);
  });

  it('a halted night (wave size 0) advances nobody', () => {
    const planner = createTrackPlanner<number>(settings, { maxAdvance: 10, checksPerNight: 10 }, now);
    planner.add(candidate(1, { registration: registered }));
    expect(planner.finish(0).advance).toEqual([]);
  });

  it('checks SMS-only users near the deadline first, then those past the nudge days, then the longest unseen, within MFA_CHECKS_PER_NIGHT', () => {
    const late = new Date('2027-01-10T01:00:00.000Z');
    const planner = createTrackPlanner<number>(settings, { maxAdvance: 10, checksPerNight: 3 }, late);
    const smsOnly = { phone: true, passkey: false, authenticator: false, other: false };
    planner.add(candidate(1, { lastCheckedAt: '2027-01-01T01:00:00.000Z' }));
    planner.add(candidate(2, { lastCheckedAt: null }));
    planner.add(candidate(3, { methods: smsOnly, lastCheckedAt: '2027-01-09T01:00:00.000Z' }));
    planner.add(candidate(4, { lastCheckedAt: '2027-01-05T01:00:00.000Z', steps: { enforceMfa: { ...step('w1'), via: 'perUserMfa', previousMfaState: 'disabled' } } }));
    planner.add(candidate(5, { lastCheckedAt: '2027-01-10T00:30:00.000Z' }));
    const plan = planner.finish(10);
    expect(plan.check.map((entry) => entry.payload)).toEqual([3, 2, 1]);
    expect(plan.deferred.check).toBe(1);
  });
});

describe('rollbackPlan', () => {
  it('undoes exactly what the wave wrote, newest first; the phone method stays unless asked', () => {
    const journey: Journey = { ...base, registration: registered, steps: { ...base.steps, joinPhishingResistant: { ...step('w2'), groupId: 'pr' }, joinPhoneRetired: { ...step('w2'), groupId: 'retired' } } };
    expect(rollbackPlan(journey, 'w2', { removePhoneMethods: false, caGroupId: undefined })).toEqual({
      undo: [{ step: 'joinPhoneRetired', kind: 'removeGroupMember', groupId: 'retired' }, { step: 'joinPhishingResistant', kind: 'removeGroupMember', groupId: 'pr' }],
      kept: [],
    });
    expect(rollbackPlan(journey, 'w1', { removePhoneMethods: false, caGroupId: undefined })).toEqual({
      undo: [{ step: 'joinCampaign', kind: 'removeGroupMember', groupId: 'campaign' }, { step: 'enforceMfa', kind: 'restorePerUserMfaState', state: 'disabled' }],
      kept: ['phoneMethod'],
    });
    expect(rollbackPlan(journey, 'w1', { removePhoneMethods: true, caGroupId: undefined }).undo.at(-1)).toEqual({ step: 'phoneMethod', kind: 'deleteMobileMethod' });
  });

  it('a step the wave found already done is never undone; the MFA group left is the one joined', () => {
    const journey: Journey = { ...base, steps: { enforceMfa: { ...step('w1'), via: 'mfaGroup', previousMfaState: null, groupId: 'mfa-then' }, joinCampaign: { ...step('w1', false), groupId: 'campaign' } } };
    expect(rollbackPlan(journey, 'w1', { removePhoneMethods: true, caGroupId: 'mfa-now' })).toEqual({ undo: [{ step: 'enforceMfa', kind: 'removeGroupMember', groupId: 'mfa-then' }], kept: [] });
  });
});
