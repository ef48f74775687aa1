import { describe, expect, it } from '@jest/globals';
import { planWave } from '../../shared/core/planWave.js';
import type { PhoneStatus, RolloutProgress, RosterUser } from '../../shared/core/rosterUser.js';
import { itGroupId, pilotGroupId, testConfig } from './configBuilder.js';
import { daysFrom, now, userId } from './userBuilder.js';

const phones: readonly PhoneStatus[] = ['validMobile', 'validMobile', 'validMobile', 'validMobile', 'missing', 'landline', 'invalid'];
const announcedLongAgo: RolloutProgress = { state: 'announced', waveId: 'w', announcedAt: daysFrom(now, -5).toISOString() };

/** A generated roster, streamed: the planner never sees an array. */
function* roster(count: number): Generator<RosterUser> {
  for (let index = 0; index < count; index++) {
    yield {
      directory: {
        id: userId(index),
        userPrincipalName: `user${index}@contoso.com`,
        accountEnabled: index % 50 !== 7,
        userType: index % 97 === 0 ? 'Guest' : 'Member',
        onPremisesSyncEnabled: index % 40 === 3 ? null : true,
        onPremisesLastSyncDateTime: null,
        department: index % 3 === 0 ? 'Finance' : 'Sales',
        phone: phones[index % phones.length] as PhoneStatus,
        groupIds: index % 1000 === 0 ? [pilotGroupId] : index % 10 === 0 ? [itGroupId] : [],
        methods: index % 11 === 0 ? 'unknown' : 'none',
        methodsCheckedAt: null,
      },
      progress: index % 1000 === 0 || index % 4 === 0 ? announcedLongAgo : { state: 'new' },
      present: index % 500 !== 1,
    };
  }
}

describe('planWave at scale', () => {
  it('plans 100,000 streamed users', () => {
    const config = testConfig({
      MFA_PILOT_GROUP_ID: pilotGroupId,
      MFA_RINGS: JSON.stringify([{ name: 'it', groupId: itGroupId }, { name: 'finance', attribute: 'department', values: ['Finance'] }]),
      MFA_MAX_WAVE_SIZE: '2000',
    });
    const plan = planWave(roster(100_000), [], config, now);
    expect(plan.total).toBe(100_000);
    expect(plan.pilot).toBe(true);
    expect(plan.enforce.length).toBeGreaterThan(0);
    expect(plan.enforce.length).toBeLessThanOrEqual(plan.targetSize);
    expect(plan.enforce.every((user) => user.ring === 'pilot')).toBe(true);
    expect(plan.probe.length).toBeLessThanOrEqual(5 * plan.targetSize);
    expect(plan.enforce.length + Object.values(plan.waiting).reduce((sum, count) => sum + count, 0)).toBe(100_000);
  });
});
