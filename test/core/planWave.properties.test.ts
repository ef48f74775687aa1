import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Config } from '../../shared/config/configSchema.js';
import { noticeServed } from '../../shared/core/awareness.js';
import { exclusionReason } from '../../shared/core/exclusions.js';
import { nightGraceMs } from '../../shared/core/nightGrace.js';
import { planWave } from '../../shared/core/planWave.js';
import { readiness } from '../../shared/core/readiness.js';
import { ringNames, ringOf } from '../../shared/core/rings.js';
import type { DirectoryUser, PhoneStatus, RolloutProgress, RosterUser } from '../../shared/core/rosterUser.js';
import type { WaveSummary } from '../../shared/core/waveHistory.js';
import { breakGlassId, breakGlassUpn, exclusionGroupId, itGroupId, pilotGroupId, testConfig } from './configBuilder.js';
import { daysFrom, enforced, inFlight, journey, now, parked, rolledBack, userId } from './userBuilder.js';
import { night, wave } from './waveBuilder.js';

const hours = (h: number): string => new Date(now.getTime() + h * 3_600_000).toISOString();

const configArb: fc.Arbitrary<Config> = fc
  .record({
    waveSize: fc.integer({ min: 1, max: 12 }),
    extraMax: fc.integer({ min: 0, max: 20 }),
    growth: fc.constantFrom('1', '1.5', '2', '3'),
    noticeDays: fc.integer({ min: 0, max: 4 }),
    pilotGroup: fc.boolean(),
    pilotUsers: fc.boolean(),
    exclusionGroup: fc.boolean(),
    rings: fc.boolean(),
    allowCloudOnly: fc.boolean(),
    autoResume: fc.integer({ min: 0, max: 3 }),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
    rolloutId: fc.constantFrom('default', 'contoso-2026'),
  })
  .map((c) =>
    testConfig({
      MFA_ROLLOUT_ID: c.rolloutId,
      MFA_WAVE_SIZE: String(c.waveSize),
      MFA_MAX_WAVE_SIZE: String(c.waveSize + c.extraMax),
      MFA_WAVE_GROWTH: c.growth,
      MFA_NOTICE_DAYS: String(c.noticeDays),
      MFA_ALLOW_CLOUD_ONLY: String(c.allowCloudOnly),
      MFA_AUTO_RESUME_AFTER_NIGHTS: String(c.autoResume),
      MFA_MAX_ATTEMPTS: String(c.maxAttempts),
      MFA_EXCLUDE_UPN_PATTERNS: 'Sync_*,svc-*',
      ...(c.pilotGroup ? { MFA_PILOT_GROUP_ID: pilotGroupId } : {}),
      ...(c.pilotUsers ? { MFA_PILOT_USERS: `user-0003@contoso.com,${userId(4)}` } : {}),
      ...(c.exclusionGroup ? { MFA_EXCLUSION_GROUP_ID: exclusionGroupId } : {}),
      ...(c.rings
        ? { MFA_RINGS: JSON.stringify([{ name: 'it', groupId: itGroupId }, { name: 'finance', attribute: 'department', values: ['Finance'] }]) }
        : {}),
    }),
  );

const progressArb: fc.Arbitrary<RolloutProgress> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<RolloutProgress>({ state: 'new' }) },
  {
    weight: 4,
    arbitrary: fc
      .record({ announced: fc.integer({ min: -24 * 6, max: 0 }), promisedAfterDays: fc.option(fc.integer({ min: 0, max: 6 })) })
      .map((f): RolloutProgress => ({
        state: 'announced',
        waveId: 'w',
        announcedAt: hours(f.announced),
        ...(f.promisedAfterDays === null ? {} : { enforceFrom: hours(f.announced + 24 * f.promisedAfterDays) }),
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ attempts: fc.integer({ min: 1, max: 4 }), announced: fc.option(fc.integer({ min: -24 * 9, max: -1 })) })
      .map((f): RolloutProgress => ({
        state: 'failed',
        journey: journey({ attempts: f.attempts, announcedAt: f.announced === null ? null : hours(f.announced) }),
        failure: { step: 'enforceMfa', waveId: 'w', at: hours(-24), errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req' },
      })),
  },
  { weight: 1, arbitrary: fc.constant<RolloutProgress>(inFlight('w', 'enforceMfa')) },
  { weight: 1, arbitrary: fc.constant<RolloutProgress>(enforced('w', 2)) },
  { weight: 1, arbitrary: fc.constant<RolloutProgress>(parked(3, 'X')) },
  { weight: 1, arbitrary: fc.constant<RolloutProgress>(rolledBack('w', 'rb')) },
);

const phoneArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<PhoneStatus>('validMobile') },
  { weight: 1, arbitrary: fc.constantFrom<PhoneStatus>('missing', 'invalid', 'noCountryCode', 'landline', 'hasExtension') },
);

const userArb = (index: number): fc.Arbitrary<RosterUser> =>
  fc
    .record({
      upnKind: fc.constantFrom('plain', 'plain', 'plain', 'plain', 'breakGlassUpn', 'breakGlassId', 'sync', 'svc'),
      enabled: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      userType: fc.constantFrom<'Member' | 'Guest'>('Member', 'Member', 'Member', 'Guest'),
      sync: fc.constantFrom<boolean | null>(true, true, true, null, false),
      department: fc.constantFrom<string | null>('Sales', 'Finance', 'finance', null),
      phone: phoneArb,
      groupIds: fc.subarray([pilotGroupId, itGroupId, exclusionGroupId]),
      methods: fc.constantFrom<DirectoryUser['methods']>('unknown', 'none', 'none', 'registered'),
      checkedDaysAgo: fc.option(fc.integer({ min: 0, max: 10 })),
      progress: progressArb,
      present: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    })
    .map((u) => {
      const id = u.upnKind === 'breakGlassId' ? breakGlassId : userId(index);
      const upn =
        u.upnKind === 'breakGlassUpn'
          ? breakGlassUpn
          : u.upnKind === 'sync'
            ? `Sync_${index}@contoso.com`
            : u.upnKind === 'svc'
              ? `svc-${index}@contoso.com`
              : `user-${String(index).padStart(4, '0')}@contoso.com`;
      return {
        directory: {
          id,
          userPrincipalName: upn,
          accountEnabled: u.enabled,
          userType: u.userType,
          onPremisesSyncEnabled: u.sync,
          onPremisesLastSyncDateTime: null,
          department: u.department,
          phone: u.phone,
          groupIds: u.groupIds,
          methods: u.methods,
          methodsCheckedAt: u.checkedDaysAgo === null ? null : daysFrom(now, -u.checkedDaysAgo).toISOString(),
        },
        progress: u.progress,
        present: u.present,
      };
    });

/** Up to 60 users with distinct ids (at most one break-glass id). */
const rosterArb: fc.Arbitrary<RosterUser[]> = fc
  .integer({ min: 0, max: 60 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => userArb(index + 1))))
  .map((users) => {
    const seen = new Set<string>();
    return users.filter((user) => !seen.has(user.directory.id) && seen.add(user.directory.id));
  });

const waveArb = (n: number): fc.Arbitrary<WaveSummary> =>
  fc
    .record({
      kind: fc.constantFrom<WaveSummary['kind']>('enforce', 'enforce', 'enforce', 'held', 'resume', 'rollback'),
      status: fc.constantFrom<WaveSummary['status']>('completed', 'completed', 'stopped', 'halted', 'running'),
      pilot: fc.boolean(),
      targetSize: fc.integer({ min: 1, max: 30 }),
      planned: fc.integer({ min: 0, max: 30 }),
      failedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((w) => {
      const planned = Math.min(w.planned, w.targetSize);
      const failed = Math.floor(planned * w.failedShare);
      return wave({ startedAt: night(-n), kind: w.kind, status: w.status, pilot: w.pilot, targetSize: w.targetSize, planned, attempted: planned, failed, enforced: planned - failed });
    });

const historyArb: fc.Arbitrary<WaveSummary[]> = fc
  .integer({ min: 0, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => waveArb(index + 1))));

/** A deterministic shuffle, so a failing case can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0 || 1;
  for (let index = result.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

const plannable = (user: RosterUser, config: Config): boolean =>
  user.present &&
  ['new', 'announced', 'failed'].includes(user.progress.state) &&
  exclusionReason(user.directory, config) === null &&
  readiness(user.directory, config).ready;

const byId = (users: readonly RosterUser[]): Map<string, RosterUser> => new Map(users.map((user) => [user.directory.id, user]));

const scenario = fc.record({ users: rosterArb, history: historyArb, config: configArb });

describe('planWave properties', () => {
  it('never selects or announces an excluded, not-ready, absent or unplannable user', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        const index = byId(users);
        for (const planned of [...plan.enforce, ...plan.announce]) {
          const user = index.get(planned.id);
          expect(user).toBeDefined();
          expect(plannable(user as RosterUser, config)).toBe(true);
        }
        for (const planned of plan.announce) expect(index.get(planned.id)?.progress.state).toBe('new');
      }),
    );
  });

  it('never exceeds the wave size, nor maxWaveSize; probes stay bounded', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        expect(plan.enforce.length).toBeLessThanOrEqual(plan.targetSize);
        expect(plan.targetSize).toBeLessThanOrEqual(config.maxWaveSize);
        expect(plan.probe.length).toBeLessThanOrEqual(5 * plan.targetSize);
      }),
    );
  });

  it('pilot before every other ring', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        if (plan.pilot) expect(plan.enforce.every((user) => user.ring === 'pilot')).toBe(true);
        if (plan.enforce.some((user) => user.ring !== 'pilot')) {
          const pendingPilot = users.filter(
            (user) =>
              ringOf(user.directory, config).name === 'pilot' &&
              user.present &&
              ['new', 'announced', 'failed', 'inFlight'].includes(user.progress.state) &&
              exclusionReason(user.directory, config) === null &&
              readiness(user.directory, config).ready,
          );
          expect(pendingPilot).toEqual([]);
        }
      }),
    );
  });

  it('same input, same plan, in any roster order', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), ({ users, history, config }, seed) => {
        const plan = planWave(users, history, config, now);
        expect(planWave(users, history, config, now)).toEqual(plan);
        expect(planWave(shuffle(users, seed), shuffle(history, seed + 1), config, now)).toEqual(plan);
      }),
    );
  });

  it('a halted rollout plans nothing', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        // Halted an hour ago, after every other record: too early for any auto-resume.
        const halted = wave({ startedAt: night(0).replace('T01', 'T00'), status: 'halted', reason: 'breaker' });
        const plan = planWave(users, [...history, halted], config, now);
        expect(plan.status).toBe('halted');
        expect(plan.enforce).toEqual([]);
        expect(plan.announce).toEqual([]);
        expect(plan.probe).toEqual([]);
      }),
    );
  });

  it('announced users are enforced only after noticeDays (at most the start-time grace early); new users only without notice', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        const index = byId(users);
        for (const planned of plan.enforce) {
          const progress = (index.get(planned.id) as RosterUser).progress;
          if (progress.state === 'announced') expect(Date.parse(progress.announcedAt) + config.noticeDays * 86_400_000).toBeLessThanOrEqual(now.getTime() + nightGraceMs);
          if (progress.state === 'announced' && progress.enforceFrom !== undefined) expect(Date.parse(progress.enforceFrom)).toBeLessThanOrEqual(now.getTime() + nightGraceMs);
          if (progress.state === 'new') expect(config.noticeDays).toBe(0);
          expect(planned.retry).toBe(progress.state === 'failed');
        }
      }),
    );
  });

  it('every user announced tonight is given a date no earlier than MFA_NOTICE_DAYS from now', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        for (const user of plan.announce) {
          expect(user.enforceFrom).toBeDefined();
          expect(Date.parse(user.enforceFrom ?? '')).toBeGreaterThanOrEqual(now.getTime() + config.noticeDays * 86_400_000);
        }
      }),
    );
  });

  it('the rings add up to the plan: per ring, planned + waiting = users, and the reasons sum to the totals', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        expect(plan.rings.map((ring) => ring.ring)).toEqual(ringNames(config));
        for (const ring of plan.rings) {
          expect(ring.planned + Object.values(ring.waiting).reduce((sum, count) => sum + (count ?? 0), 0)).toBe(ring.users);
          expect(ring.planned).toBe(plan.enforce.filter((user) => user.ring === ring.ring).length);
          expect(ring.announced).toBe(plan.announce.filter((user) => user.ring === ring.ring).length);
        }
        for (const [reason, count] of Object.entries(plan.waiting)) {
          expect(plan.rings.reduce((sum, ring) => sum + (ring.waiting[reason as keyof typeof ring.waiting] ?? 0), 0)).toBe(count);
        }
        expect(plan.rings.reduce((sum, ring) => sum + ring.users, 0)).toBe(users.length);
      }),
    );
  });

  it('accounts for every user exactly once and plans nobody twice', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        const waiting = Object.values(plan.waiting).reduce((sum, count) => sum + count, 0);
        expect(plan.enforce.length + waiting).toBe(users.length);
        const planned = [...plan.enforce, ...plan.announce].map((user) => user.id);
        expect(new Set(planned).size).toBe(planned.length);
      }),
    );
  });

  it('fills the wave when it can: a short wave leaves no due user of its phase behind', () => {
    fc.assert(
      fc.property(scenario, ({ users, history, config }) => {
        const plan = planWave(users, history, config, now);
        if (plan.status !== 'plan' || plan.enforce.length === plan.targetSize) return;
        const chosen = new Set(plan.enforce.map((user) => user.id));
        const leftBehind = users.filter(
          (user) =>
            plannable(user, config) &&
            noticeServed(user.progress, config, now) &&
            (ringOf(user.directory, config).name === 'pilot') === plan.pilot &&
            !chosen.has(user.directory.id),
        );
        expect(leftBehind).toEqual([]);
      }),
    );
  });
});
