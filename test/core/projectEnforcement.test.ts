import { describe, expect, it } from '@jest/globals';
import { projectEnforcementNights } from '../../shared/core/projectEnforcement.js';
import { testConfig } from './configBuilder.js';

const config = testConfig({ MFA_NOTICE_DAYS: '3', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20' });
const counts = (nights: readonly number[]) => {
  const byNight: Record<number, number> = {};
  for (const night of nights) byNight[night] = (byNight[night] ?? 0) + 1;
  return byNight;
};

describe('projectEnforcementNights', () => {
  it('from a standing start: the first three waves of the ramp, after the notice period', () => {
    const nights = projectEnforcementNights({ pilotPhase: false, rampSize: 5, rampEnforcedTonight: 0, backlog: [], pilotUnannounced: 0, announced: [{ rank: 1, users: 35 }] }, config);
    expect(counts(nights)).toEqual({ 3: 5, 4: 10, 5: 20 });
    expect(nights).toEqual([...nights].sort((a, b) => a - b)); // in plan order
  });

  it('users announced earlier go first; a wave that cannot fill does not grow the next', () => {
    // tonight enforced a full wave of 5 (-> 10); 4 announced earlier become enforceable tomorrow, 10 more the night after
    const nights = projectEnforcementNights({
      pilotPhase: false, rampSize: 5, rampEnforcedTonight: 5, pilotUnannounced: 0,
      backlog: [{ rank: 1, night: 1, users: 4 }, { rank: 1, night: 2, users: 10 }],
      announced: [{ rank: 1, users: 25 }],
    }, config);
    // night 1: 4 of 10 seats (not full: stays 10); night 2: 10 (full: 20); night 3: 20 of tonight's; night 4: the last 5
    expect(counts(nights)).toEqual({ 3: 20, 4: 5 });
  });

  it('pilot first: the pilot ring, announced as seats free up, then the ramp from the next night', () => {
    const small = testConfig({ MFA_NOTICE_DAYS: '1', MFA_WAVE_SIZE: '3', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '3' });
    const nights = projectEnforcementNights({
      pilotPhase: true, rampSize: 3, rampEnforcedTonight: 0, backlog: [], pilotUnannounced: 2,
      announced: [{ rank: 0, users: 3 }, { rank: 2, users: 4 }],
    }, small);
    // pilot: 3 on night 1 (the 2 others announced then), 2 on night 2; the ramp from night 3, 3 a night (the cap)
    expect(nights).toEqual([1, 1, 1, 3, 3, 3, 4]);
  });

  it('an earlier ring comes first among the users enforceable on a night', () => {
    const nights = projectEnforcementNights({
      pilotPhase: false, rampSize: 5, rampEnforcedTonight: 0, pilotUnannounced: 0,
      backlog: [{ rank: 2, night: 1, users: 20 }],
      announced: [{ rank: 1, users: 5 }],
    }, config);
    // nights 1 and 2 take 5 and 10 of the later ring; on night 3 tonight's ring-1 users are ahead of the other 5
    expect(nights).toEqual([3, 3, 3, 3, 3]);
  });
});
