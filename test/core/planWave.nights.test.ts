import { describe, expect, it } from '@jest/globals';
import type { Config } from '../../shared/config/configSchema.js';
import { planWave } from '../../shared/core/planWave.js';
import { announce, completeEnforced, fail, isInState, startWrite } from '../../shared/core/rolloutState.js';
import type { RosterUser } from '../../shared/core/rosterUser.js';
import type { WaveSummary } from '../../shared/core/waveHistory.js';
import { pilotGroupId, testConfig } from './configBuilder.js';
import { daysFrom, now, rosterUsers } from './userBuilder.js';
import { wave } from './waveBuilder.js';

interface Night {
  readonly enforced: number;
  readonly announced: number;
  readonly pilot: boolean;
}

/** Runs the planner night after night, applying its plan through the state machine as the shell would. */
function simulate(start: readonly RosterUser[], config: Config, nights: number, failing: ReadonlySet<string> = new Set()): Night[] {
  let roster = [...start];
  const history: WaveSummary[] = [];
  const result: Night[] = [];
  for (let night = 0; night < nights; night++) {
    const at = daysFrom(now, night);
    const waveId = `night-${night}`;
    const plan = planWave(roster, history, config, at);
    const toEnforce = new Set(plan.enforce.map((user) => user.id));
    const toAnnounce = new Set(plan.announce.map((user) => user.id));
    let failedTonight = 0;
    roster = roster.map((user) => {
      const { progress } = user;
      if (toEnforce.has(user.directory.id) && isInState(progress, 'new', 'announced', 'failed')) {
        if (isInState(progress, 'announced')) {
          expect(at.getTime() - Date.parse(progress.announcedAt)).toBeGreaterThanOrEqual(config.noticeDays * 86_400_000);
        }
        const writing = startWrite(progress, waveId, 'enforce', at, { previousMfaState: 'disabled', createsPhoneMethod: true, phoneConflict: false, alreadyDone: false });
        if (failing.has(user.directory.id)) {
          failedTonight++;
          return { ...user, progress: fail(writing, { errorCode: 'GRAPH_UNAVAILABLE', requestId: 'r' }, config, at) };
        }
        return { ...user, progress: completeEnforced(writing, { previousMfaState: 'disabled', phoneMethodCreated: true, alreadyDone: false, phoneConflict: false }, at) };
      }
      if (toAnnounce.has(user.directory.id) && isInState(progress, 'new')) return { ...user, progress: announce(progress, waveId, at) };
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
    result.push({ enforced: plan.enforce.length, announced: plan.announce.length, pilot: plan.pilot });
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
