import { describe, expect, it } from '@jest/globals';
import type { Config } from '../../shared/config/configSchema.js';
import { planWave } from '../../shared/core/planWave.js';
import { completeWrite, failStep, recordIntent, workingJourney } from '../../shared/core/journey/journeyTransitions.js';
import { announce, isInState } from '../../shared/core/rolloutState.js';
import type { RosterUser } from '../../shared/core/rosterUser.js';
import type { WaveSummary } from '../../shared/core/waveHistory.js';
import type { WavePlan } from '../../shared/core/wavePlan.js';
import { pilotGroupId, testConfig } from './configBuilder.js';
import { daysFrom, now, rosterUsers } from './userBuilder.js';
import { wave } from './waveBuilder.js';

interface Night {
  readonly enforced: number;
  readonly announced: number;
  readonly pilot: boolean;
  readonly plan: WavePlan;
}

/** What happened to one user over the simulated nights: the date their notice gave, and the night they were enforced. */
interface UserDates {
  readonly enforceFrom: string;
  enforcedAt?: string;
}

/**
 * Runs the planner night after night, applying its plan through the state machine as the shell would. `dates`
 * collects each announced user's promised date and enforcement; `tamper` may change the config from a night on.
 */
function simulate(
  start: readonly RosterUser[],
  config: Config,
  nights: number,
  failing: ReadonlySet<string> = new Set(),
  dates: Map<string, UserDates> = new Map(),
  configOf: (night: number) => Config = () => config,
): Night[] {
  let roster = [...start];
  const history: WaveSummary[] = [];
  const result: Night[] = [];
  for (let night = 0; night < nights; night++) {
    const at = daysFrom(now, night);
    const waveId = `night-${night}`;
    const tonight = configOf(night);
    const plan = planWave(roster, history, tonight, at);
    const toEnforce = new Set(plan.enforce.map((user) => user.id));
    const toAnnounce = new Map(plan.announce.map((user) => [user.id, user.enforceFrom ?? '']));
    let failedTonight = 0;
    roster = roster.map((user) => {
      const { progress } = user;
      if (toEnforce.has(user.directory.id) && isInState(progress, 'new', 'announced', 'failed')) {
        if (isInState(progress, 'announced')) {
          expect(at.getTime() - Date.parse(progress.announcedAt)).toBeGreaterThanOrEqual(tonight.noticeDays * 86_400_000);
          // never before the date the notice gave
          expect(Date.parse(progress.enforceFrom ?? '')).toBeLessThanOrEqual(at.getTime());
        }
        const told = dates.get(user.directory.id);
        if (told !== undefined && told.enforcedAt === undefined && !failing.has(user.directory.id)) told.enforcedAt = at.toISOString();
        const writing = recordIntent(workingJourney(progress, waveId, at), 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, waveId, at, 'disabled');
        if (failing.has(user.directory.id)) {
          failedTonight++;
          return { ...user, progress: failStep(writing, { step: 'enforceMfa', waveId, errorCode: 'GRAPH_UNAVAILABLE', requestId: 'r' }, config, at) };
        }
        const done = completeWrite(writing, at);
        return { ...user, progress: { ...done, journey: { ...done.journey, entryCompleteAt: at.toISOString() } } };
      }
      const enforceFrom = toAnnounce.get(user.directory.id);
      if (enforceFrom !== undefined && isInState(progress, 'new')) {
        dates.set(user.directory.id, { enforceFrom });
        return { ...user, progress: announce(progress, waveId, at, enforceFrom) };
      }
      return user;
    });
    history.push(
      wave({
        startedAt: at.toISOString(),
        waveId,
        pilot: plan.pilot,
        targetSize: plan.targetSize,
        planned: plan.enforce.length,
        attempted: plan.enforce.length,
        enforced: plan.enforce.length - failedTonight,
        failed: failedTonight,
        announced: plan.announce.length,
      }),
    );
    result.push({ enforced: plan.enforce.length, announced: plan.announce.length, pilot: plan.pilot, plan });
  }
  return result;
}

describe('planWave over many nights', () => {
  it('noticeDays 0: one growing wave per night from the first night', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20' });
    expect(simulate(rosterUsers(100), config, 8).map((night) => night.enforced)).toEqual([5, 10, 20, 20, 20, 20, 5, 0]);
  });

  it('noticeDays 3: a 3-night gap, then one wave per night', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20' });
    const nights = simulate(rosterUsers(200), config, 12);
    expect(nights.map((night) => night.enforced)).toEqual([0, 0, 0, 5, 10, 20, 20, 20, 20, 20, 20, 20]);
    expect(nights[0]?.announced).toBe(5 + 10 + 20);
  });

  it('with a pilot: pilot wave after the notice, then the ramp the next night', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20', MFA_PILOT_GROUP_ID: pilotGroupId });
    const users = [...rosterUsers(4, { groupIds: [pilotGroupId] }, 1000), ...rosterUsers(200)];
    const nights = simulate(users, config, 10);
    expect(nights.map((night) => night.enforced)).toEqual([0, 0, 0, 4, 5, 10, 20, 20, 20, 20]);
    expect(nights.map((night) => night.pilot)).toEqual([true, true, true, true, false, false, false, false, false, false]);
  });

  it('a failing user is retried first and parked after maxAttempts; a dirty wave does not grow', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '0', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20', MFA_MAX_ATTEMPTS: '2', MFA_WARN_FAILURE_RATE: '0.1' });
    const users = rosterUsers(100);
    const firstPlanned = planWave(users, [], config, now).enforce[0]?.id ?? '';
    const nights = simulate(users, config, 4, new Set([firstPlanned]));
    // night 0: 1 of 5 failed (20% > warn) -> 5 again; night 1: the retry fails again and is parked -> 5 again; then growth
    expect(nights.map((night) => night.enforced)).toEqual([5, 5, 5, 10]);
  });
});

describe('planWave over many nights: the date each notice gives', () => {
  const noticed = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20' });
  const nightOf = (instant: string | undefined) => (instant === undefined ? null : Math.round((Date.parse(instant) - now.getTime()) / 86_400_000));
  const byNight = (values: readonly (number | null)[]) => {
    const counts: Record<string, number> = {};
    for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
    return counts;
  };

  it('each user is told the night the ramp reaches them, and is enforced on exactly that night when every wave is clean', () => {
    const dates = new Map<string, UserDates>();
    simulate(rosterUsers(200), noticed, 12, new Set(), dates);
    const first = [...dates.values()].filter((user) => nightOf(user.enforceFrom) !== null && Date.parse(user.enforceFrom) <= daysFrom(now, 5).getTime());
    // announced on night 0 for the first three waves (5, 10, 20): three dates, not one
    expect(byNight(first.map((user) => nightOf(user.enforceFrom)))).toEqual({ 3: 5, 4: 10, 5: 20 });
    const enforced = [...dates.values()].filter((user) => user.enforcedAt !== undefined);
    expect(enforced.length).toBeGreaterThan(100);
    for (const user of enforced) expect(user.enforcedAt).toBe(user.enforceFrom);
  });

  it('with a pilot ring: the pilot night first, then the ramp, each on the date given', () => {
    const config = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20', MFA_PILOT_GROUP_ID: pilotGroupId });
    const dates = new Map<string, UserDates>();
    simulate([...rosterUsers(4, { groupIds: [pilotGroupId] }, 1000), ...rosterUsers(200)], config, 10, new Set(), dates);
    const enforced = [...dates.values()].filter((user) => user.enforcedAt !== undefined);
    expect(byNight(enforced.map((user) => nightOf(user.enforcedAt)))).toEqual({ 3: 4, 4: 5, 5: 10, 6: 20, 7: 20, 8: 20, 9: 20 });
    for (const user of enforced) expect(user.enforcedAt).toBe(user.enforceFrom);
  });

  it('a settings change never enforces anyone before the date they were given: the planner waits, and says how many it holds', () => {
    const bigger = testConfig({ MFA_NOTICE_DAYS: '1', MFA_WAVE_SIZE: '20', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '40' });
    const dates = new Map<string, UserDates>();
    // nights 0-2 under the announced settings (first wave on night 3), then notice 1 day and waves of 20 from night 3 on
    const nights = simulate(rosterUsers(200), noticed, 6, new Set(), dates, (night) => (night >= 3 ? bigger : noticed));
    const changed = nights[3]?.plan;
    // 35 users were told nights 3, 4 and 5; tonight's 20 seats find only the 5 told night 3
    expect(changed?.enforce).toHaveLength(5);
    expect(changed?.waiting.promisedDate).toBe(30);
    expect(changed?.promises.heldTonight).toBe(15);
    // and nobody was enforced before their date (simulate checks every enforcement against it)
    for (const user of dates.values()) if (user.enforcedAt !== undefined) expect(Date.parse(user.enforcedAt)).toBeGreaterThanOrEqual(Date.parse(user.enforceFrom));
  });

  it('a ramp slower than projected enforces users later than told, never earlier, and the plan counts them as late', () => {
    const users = rosterUsers(200);
    const dates = new Map<string, UserDates>();
    const clean = simulate(users, noticed, 4, new Set(), dates);
    const firstWave = clean[3]?.plan.enforce.map((user) => user.id) ?? [];
    // the same nights, with one of the first wave failing: 1 of 5 is above MFA_WARN_FAILURE_RATE, so night 4's wave stays at 5
    const slowDates = new Map<string, UserDates>();
    const slow = simulate(users, noticed, 6, new Set(firstWave.slice(0, 1)), slowDates);
    expect(slow[4]?.plan.targetSize).toBe(5);
    expect(slow[4]?.plan.promises.late).toBe(10 - 4); // 10 told night 4; the retry takes a seat, 4 of them get one
    for (const user of slowDates.values()) if (user.enforcedAt !== undefined) expect(Date.parse(user.enforcedAt)).toBeGreaterThanOrEqual(Date.parse(user.enforceFrom));
    expect([...slowDates.values()].filter((user) => user.enforcedAt !== undefined && user.enforcedAt > user.enforceFrom).length).toBeGreaterThan(0);
  });
});
