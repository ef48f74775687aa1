import { describe, expect, it } from '@jest/globals';
import { createWavePlanner } from '../../shared/core/createWavePlanner.js';
import { planWave } from '../../shared/core/planWave.js';
import { rolloutOrderKey } from '../../shared/core/rings.js';
import type { RolloutProgress, RosterUser } from '../../shared/core/rosterUser.js';
import { waitingReasons, type WavePlan } from '../../shared/core/wavePlan.js';
import { breakGlassUpn, exclusionGroupId, itGroupId, pilotGroupId, testConfig } from './configBuilder.js';
import { announced, enforced, failed, inFlight, now, parked, rolledBack, rosterUser, rosterUsers, userId } from './userBuilder.js';
import { night, wave } from './waveBuilder.js';

const direct = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '3', MFA_MAX_WAVE_SIZE: '10' });
const withPilot = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '3', MFA_MAX_WAVE_SIZE: '10', MFA_PILOT_GROUP_ID: pilotGroupId });
const noticed = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '3', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '10' });

const ids = (plan: WavePlan, list: 'enforce' | 'announce' = 'enforce'): string[] => plan[list].map((user) => user.id);
const byHash = (users: readonly RosterUser[]): string[] =>
  users.map((user) => user.directory.id).sort((a, b) => rolloutOrderKey('default', a) - rolloutOrderKey('default', b));
const waitingTotal = (plan: WavePlan): number => Object.values(plan.waiting).reduce((sum, count) => sum + count, 0);

describe('planWave: basics', () => {
  it('an empty roster has nothing to do', () => {
    const plan = planWave([], [], direct, now);
    expect(plan).toMatchObject({ status: 'nothingToDo', pilot: false, targetSize: 3, enforce: [], announce: [], probe: [], total: 0, excluded: 0, notReady: 0 });
  });

  it('lists every waiting reason, zeros included', () => {
    expect(Object.keys(planWave([], [], direct, now).waiting).sort()).toEqual([...waitingReasons].sort());
  });

  it('enforces the first waveSize ready users in hash order', () => {
    const users = rosterUsers(8);
    const plan = planWave(users, [], direct, now);
    expect(plan.status).toBe('plan');
    expect(ids(plan)).toEqual(byHash(users).slice(0, 3));
    expect(plan.waiting.laterWave).toBe(5);
  });

  it('describes each planned user', () => {
    const plan = planWave([rosterUser({ id: userId(1), userPrincipalName: 'ann@contoso.com', methods: 'registered' })], [], direct, now);
    expect(plan.enforce).toEqual([{ id: userId(1), upn: 'ann@contoso.com', ring: 'everyone', needsPhoneMethod: false, retry: false, attempts: 0 }]);
  });

  it('never exceeds the wave size from the history', () => {
    const plan = planWave(rosterUsers(20), [wave({ startedAt: night(-1), targetSize: 3, planned: 3, attempted: 3 })], direct, now);
    expect(plan.targetSize).toBe(6);
    expect(plan.enforce).toHaveLength(6);
  });

  it('applies a lowered maxWaveSize at once', () => {
    const lowered = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '2', MFA_MAX_WAVE_SIZE: '4' });
    const plan = planWave(rosterUsers(20), [wave({ startedAt: night(-1), targetSize: 8, planned: 8, attempted: 8 })], lowered, now);
    expect(plan.enforce).toHaveLength(4);
  });

  it('accounts for every user: enforce + waiting = total', () => {
    const users = [...rosterUsers(5), rosterUser({ id: userId(90), present: false }), rosterUser({ id: userId(91), phone: 'missing' })];
    const plan = planWave(users, [], direct, now);
    expect(plan.enforce.length + waitingTotal(plan)).toBe(7);
    expect(plan.total).toBe(7);
  });

  it('gives the same plan for the roster in any order', () => {
    const users = [...rosterUsers(30), ...rosterUsers(5, { groupIds: [pilotGroupId] }, 100)];
    expect(planWave([...users].reverse(), [], withPilot, now)).toEqual(planWave(users, [], withPilot, now));
  });

  it('createWavePlanner refuses add after finish', () => {
    const planner = createWavePlanner([], direct, now);
    planner.finish();
    expect(() => planner.add(rosterUser())).toThrow('add() after finish()');
  });
});

describe('planWave: who is never planned', () => {
  const excludedConfig = testConfig({ MFA_NOTICE_DAYS: '0', MFA_EXCLUSION_GROUP_ID: exclusionGroupId });

  it.each([
    ['breakGlass', { userPrincipalName: breakGlassUpn }],
    ['exclusionGroup', { groupIds: [exclusionGroupId] }],
    ['serviceAccount', { userPrincipalName: 'Sync_server01@contoso.com' }],
    ['guest', { userType: 'Guest' as const }],
  ])('%s users are excluded and counted', (reason, overrides) => {
    const plan = planWave([rosterUser(overrides)], [], excludedConfig, now);
    expect(plan.enforce).toEqual([]);
    expect(plan.waiting[reason as 'guest']).toBe(1);
    expect(plan.excluded).toBe(1);
  });

  it.each([
    ['accountDisabled', { accountEnabled: false }],
    ['notSynced', { onPremisesSyncEnabled: false }],
    ['mobileMissing', { phone: 'missing' as const }],
    ['mobileInvalid', { phone: 'invalid' as const }],
    ['mobileNoCountryCode', { phone: 'noCountryCode' as const }],
    ['mobileIsLandline', { phone: 'landline' as const }],
    ['mobileHasExtension', { phone: 'hasExtension' as const }],
  ])('%s users are not ready and counted', (reason, overrides) => {
    const plan = planWave([rosterUser(overrides)], [], direct, now);
    expect(plan.enforce).toEqual([]);
    expect(plan.waiting[reason as 'notSynced']).toBe(1);
    expect(plan.notReady).toBe(1);
  });

  it('users gone from the directory', () => {
    const plan = planWave([rosterUser({ present: false })], [], direct, now);
    expect(plan.enforce).toEqual([]);
    expect(plan.waiting.notPresent).toBe(1);
  });

  it.each([
    ['inFlight', inFlight('w', 'enforceMfa')],
    ['parked', parked(3)],
    ['rolledBack', rolledBack('w', 'rb')],
    ['enforced', enforced('w', 0)],
  ] as const satisfies readonly (readonly [string, RolloutProgress])[])('%s users', (state, progress) => {
    const plan = planWave([rosterUser({ progress })], [], direct, now);
    expect(plan.enforce).toEqual([]);
    expect(plan.waiting[state]).toBe(1);
  });

  it('an excluded user who is also not ready counts as excluded', () => {
    const plan = planWave([rosterUser({ userType: 'Guest', phone: 'missing' })], [], direct, now);
    expect(plan.waiting.guest).toBe(1);
    expect(plan.notReady).toBe(0);
  });
});

describe('planWave: rings and order', () => {
  const ringed = testConfig({
    MFA_NOTICE_DAYS: '0',
    MFA_WAVE_SIZE: '4',
    MFA_RINGS: JSON.stringify([{ name: 'it', groupId: itGroupId }]),
  });

  it('takes an earlier ring before a later one', () => {
    const everyone = rosterUsers(10);
    const it = rosterUsers(2, { groupIds: [itGroupId] }, 50);
    const plan = planWave([...everyone, ...it], [], ringed, now);
    expect(plan.enforce.slice(0, 2).map((user) => user.ring)).toEqual(['it', 'it']);
    expect(plan.enforce.slice(2).map((user) => user.ring)).toEqual(['everyone', 'everyone']);
  });

  it('retries come first in their ring, marked with their attempts', () => {
    const fresh = rosterUsers(6);
    const retry = rosterUser({ id: userId(77), progress: failed(2) });
    const plan = planWave([...fresh, retry], [], ringed, now);
    expect(plan.enforce[0]).toMatchObject({ id: userId(77), retry: true, attempts: 2 });
  });

  it('a retry does not jump ahead of an earlier ring', () => {
    const plan = planWave([rosterUser({ id: userId(77), progress: failed(1) }), ...rosterUsers(1, { groupIds: [itGroupId] }, 50)], [], ringed, now);
    expect(plan.enforce.map((user) => user.ring)).toEqual(['it', 'everyone']);
  });

  it('counts every ring in rollout order: planned, announced and waiting by reason', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '2', MFA_WAVE_SIZE: '2', MFA_MAX_WAVE_SIZE: '10', MFA_PILOT_GROUP_ID: pilotGroupId, MFA_RINGS: JSON.stringify([{ name: 'it', groupId: itGroupId }, { name: 'finance', attribute: 'department', values: ['Finance'] }]) });
    const users = [
      ...rosterUsers(2, { groupIds: [pilotGroupId], progress: announced(3) }, 100),
      rosterUser({ id: userId(102), groupIds: [pilotGroupId], phone: 'landline' }),
      ...rosterUsers(3, { groupIds: [itGroupId], progress: announced(3) }, 200),
      ...rosterUsers(2, { groupIds: [itGroupId] }, 210),
      rosterUser({ id: userId(300), department: 'Finance', userType: 'Guest' }),
      ...rosterUsers(4, {}, 400),
    ];
    const plan = planWave(users, [], config, now);
    expect(plan.pilot).toBe(true);
    expect(plan.rings).toEqual([
      { ring: 'pilot', rank: 0, users: 3, planned: 2, announced: 0, waiting: { mobileIsLandline: 1 } },
      { ring: 'it', rank: 1, users: 5, planned: 0, announced: 2, waiting: { awaitingNotice: 2, pilotFirst: 3 } },
      { ring: 'finance', rank: 2, users: 1, planned: 0, announced: 0, waiting: { guest: 1 } },
      // the ramp is announced ahead of the pilot's end: the first two ramp waves (2 + 4), less the 3 announced already
      { ring: 'everyone', rank: 3, users: 4, planned: 0, announced: 1, waiting: { awaitingNotice: 1, laterWave: 3 } },
    ]);
  });
});

describe('planWave: pilot first', () => {
  const pilots = rosterUsers(4, { groupIds: [pilotGroupId] }, 100);

  it('the pilot wave is the whole ready pilot ring and only the pilot ring', () => {
    const plan = planWave([...rosterUsers(10), ...pilots], [], withPilot, now);
    expect(plan).toMatchObject({ pilot: true, targetSize: 4 });
    expect(plan.enforce.map((user) => user.ring)).toEqual(['pilot', 'pilot', 'pilot', 'pilot']);
    expect(plan.waiting.pilotFirst).toBe(10);
  });

  it('is capped by maxWaveSize', () => {
    const small = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '2', MFA_MAX_WAVE_SIZE: '3', MFA_PILOT_GROUP_ID: pilotGroupId });
    const plan = planWave(pilots, [], small, now);
    expect(plan.enforce).toHaveLength(3);
    expect(plan.waiting.laterWave).toBe(1);
  });

  it('counts pilot users listed by UPN', () => {
    const listed = testConfig({ MFA_NOTICE_DAYS: '0', MFA_PILOT_USERS: 'ann@contoso.com' });
    const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(200), userPrincipalName: 'Ann@contoso.com' })], [], listed, now);
    expect(ids(plan)).toEqual([userId(200)]);
    expect(plan.pilot).toBe(true);
  });

  it('a not-ready pilot user does not hold the others back', () => {
    const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(100), groupIds: [pilotGroupId], phone: 'missing' })], [], withPilot, now);
    expect(plan).toMatchObject({ pilot: false, targetSize: 3 });
  });

  it('a pilot user awaiting a retry still holds the others back', () => {
    const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(100), groupIds: [pilotGroupId], progress: failed(1) })], [], withPilot, now);
    expect(ids(plan)).toEqual([userId(100)]);
  });

  it('a pilot user in flight holds the others back and is not planned', () => {
    const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(100), groupIds: [pilotGroupId], progress: inFlight('w', 'enforceMfa') })], [], withPilot, now);
    expect(plan).toMatchObject({ pilot: true, enforce: [] });
    expect(plan.waiting.pilotFirst).toBe(5);
  });

  it('once the pilot is enforced, the ramp starts at waveSize', () => {
    const history = [wave({ startedAt: night(-1), pilot: true, targetSize: 4, planned: 4, attempted: 4 })];
    const plan = planWave([...rosterUsers(10), ...rosterUsers(4, { groupIds: [pilotGroupId], progress: enforced('p', 1) }, 100)], history, withPilot, now);
    expect(plan).toMatchObject({ pilot: false, targetSize: 3 });
    expect(plan.enforce.every((user) => user.ring === 'everyone')).toBe(true);
  });

  it('a pilot user waiting for notice holds the ramp back', () => {
    const pilotNoticed = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '3', MFA_PILOT_GROUP_ID: pilotGroupId });
    const plan = planWave([...rosterUsers(5, { progress: announced(5) }), rosterUser({ id: userId(100), groupIds: [pilotGroupId], progress: announced(1) })], [], pilotNoticed, now);
    expect(plan).toMatchObject({ pilot: true, enforce: [] });
    expect(plan.waiting.pilotFirst).toBe(5);
    expect(plan.waiting.awaitingNotice).toBe(1);
  });
});

describe('planWave: notice period', () => {
  it('first night: announces the next noticeDays projected waves, enforces nobody', () => {
    const users = rosterUsers(40);
    const plan = planWave(users, [], noticed, now);
    expect(plan.enforce).toEqual([]);
    expect(ids(plan, 'announce')).toEqual(byHash(users).slice(0, 3 + 6 + 10));
    expect(plan.waiting.awaitingNotice).toBe(19);
    expect(plan.waiting.laterWave).toBe(21);
  });

  it('announced users are planned only once noticeDays have passed', () => {
    const due = rosterUsers(2, { progress: announced(3) }, 1);
    const early = rosterUsers(2, { progress: announced(2) }, 10);
    const plan = planWave([...due, ...early], [], noticed, now);
    expect(ids(plan).sort()).toEqual([userId(1), userId(2)]);
    expect(plan.waiting.awaitingNotice).toBeGreaterThanOrEqual(2);
  });

  it('a retry needs no new notice', () => {
    const plan = planWave([rosterUser({ id: userId(5), progress: failed(1) })], [], noticed, now);
    expect(ids(plan)).toEqual([userId(5)]);
  });

  it('a new user is never enforced while noticeDays > 0', () => {
    const plan = planWave(rosterUsers(5), [], noticed, now);
    expect(plan.enforce).toEqual([]);
  });

  it('announces the shortfall after tonight’s wave', () => {
    const due = rosterUsers(3, { progress: announced(3) }, 1);
    const waiting = rosterUsers(6, { progress: announced(1) }, 10);
    const plan = planWave([...due, ...waiting, ...rosterUsers(50, {}, 100)], [], noticed, now);
    expect(plan.enforce).toHaveLength(3);
    // after tonight 6 remain announced; the next 3 waves are 6, 10, 10
    expect(plan.announce).toHaveLength(6 + 10 + 10 - 6);
  });

  it('announces nobody and enforces directly with noticeDays 0', () => {
    const plan = planWave(rosterUsers(5), [], direct, now);
    expect(plan.announce).toEqual([]);
    expect(plan.enforce).toHaveLength(3);
  });

  it('announces every new ready pilot user at once', () => {
    const pilotNoticed = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '3', MFA_PILOT_GROUP_ID: pilotGroupId });
    const plan = planWave(rosterUsers(7, { groupIds: [pilotGroupId] }, 100), [], pilotNoticed, now);
    expect(plan.announce.filter((user) => user.ring === 'pilot')).toHaveLength(7);
  });

  it('never announces excluded or not-ready users', () => {
    const plan = planWave([rosterUser({ id: userId(1), userType: 'Guest' }), rosterUser({ id: userId(2), phone: 'landline' }), rosterUser({ id: userId(3) })], [], noticed, now);
    expect(ids(plan, 'announce')).toEqual([userId(3)]);
  });
});

describe('planWave: halted', () => {
  const halted = wave({ startedAt: night(-1), status: 'halted', reason: 'failure rate above 0.1', targetSize: 3, planned: 3, attempted: 3, failed: 1 });

  it('plans nothing while halted', () => {
    const plan = planWave([...rosterUsers(5), rosterUser({ id: userId(50), phone: 'missing', methods: 'unknown' })], [halted], direct, now);
    expect(plan).toMatchObject({ status: 'halted', haltedWaveId: halted.waveId, haltedSince: halted.endedAt, haltReason: 'failure rate above 0.1', enforce: [], announce: [], probe: [], targetSize: 0 });
    expect(plan.waiting.halted).toBe(5);
    expect(plan.waiting.mobileMissing).toBe(1);
    expect(plan.probeDue).toBe(1);
  });

  it('plans again after a resume, at the halted wave size', () => {
    const resume = wave({ startedAt: night(-1).replace('T01', 'T10'), kind: 'resume', status: 'done', targetWaveId: halted.waveId });
    expect(planWave(rosterUsers(5), [halted, resume], direct, now).enforce).toHaveLength(3);
  });

  it('resumes on its own after autoResumeAfterNights and says so', () => {
    const auto = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '3', MFA_AUTO_RESUME_AFTER_NIGHTS: '1' });
    const plan = planWave(rosterUsers(5), [halted], auto, now);
    expect(plan).toMatchObject({ status: 'plan', autoResumeOf: halted.waveId });
    expect(plan.enforce).toHaveLength(3);
  });
});

describe('planWave: methods probe', () => {
  it('a user without a usable mobile shows the phone\'s reason even before the methods are read, and counts as due a probe', () => {
    const unread = rosterUsers(51, { phone: 'missing', methods: 'unknown', methodsCheckedAt: null }, 10);
    const landlines = rosterUsers(4, { phone: 'landline', methods: 'unknown', methodsCheckedAt: null }, 100);
    const readRecently = rosterUsers(3, { phone: 'missing', methods: 'none', methodsCheckedAt: night(-1) }, 200);
    const plan = planWave([...rosterUsers(2), ...unread, ...landlines, ...readRecently], [], direct, now);
    expect(plan.waiting).toMatchObject({ mobileMissing: 54, mobileIsLandline: 4 });
    expect(plan.probeDue).toBe(55);
    expect(plan.probe).toHaveLength(15); // tonight's share: 5 × the wave of 3
  });

  it('asks to probe users held back only by the phone, in plan order', () => {
    const unknown = rosterUsers(3, { phone: 'missing', methods: 'unknown', methodsCheckedAt: null }, 10);
    const plan = planWave([...rosterUsers(2), ...unknown], [], direct, now);
    expect(plan.probe).toEqual(byHash(unknown));
  });

  it('probes at most 5 × targetSize users', () => {
    const plan = planWave(rosterUsers(40, { phone: 'missing', methods: 'unknown' }), [], direct, now);
    expect(plan.probe).toHaveLength(15);
    expect(plan.status).toBe('plan');
  });

  it('does not probe excluded, disabled or recently checked users', () => {
    const users = [
      rosterUser({ id: userId(1), userType: 'Guest', phone: 'missing', methods: 'unknown' }),
      rosterUser({ id: userId(2), accountEnabled: false, phone: 'missing', methods: 'unknown' }),
      rosterUser({ id: userId(3), phone: 'missing', methods: 'none', methodsCheckedAt: night(-1) }),
      rosterUser({ id: userId(4), phone: 'missing', methods: 'unknown', present: false }),
    ];
    expect(planWave(users, [], direct, now)).toMatchObject({ probe: [], status: 'nothingToDo' });
  });
});
