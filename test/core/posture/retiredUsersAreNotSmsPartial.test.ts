import { describe, expect, it } from '@jest/globals';
import { decideTenantPosture } from '../../../shared/core/posture/decideTenantPosture.js';
import { phoneRetiredGroup, postureInput, postureSettings, rolloutMembership } from './postureBuilder.js';

/**
 * Found by the rehearsal to 1 February 2027 (200 users, seed 1, from 2026-12-01): from night 7 on, every night's
 * posture warned `smsVoicePartial` "N of M rollout users are not allowed SMS or voice by the methods policy: they get
 * no phone bridge", N growing night by night and always equal to the users the journey itself had put in the
 * phone-retired group (72 of 186 on night 10, 153 of 186 on night 22). Those users hold a passkey and were excluded
 * from SMS on purpose; the warning's fix ("include the users named as not allowed") would undo their retirement.
 */
describe('the methods posture once the journey retires phones', () => {
  it('does not count users in the phone-retired group as rollout users left without the phone bridge', () => {
    const retired = new Set(['u0', 'u1', 'u2', 'u3']);
    const input = postureInput({ rollout: { ...rolloutMembership, groupMembers: new Map([...rolloutMembership.groupMembers, [phoneRetiredGroup, retired]]) } });
    const posture = decideTenantPosture(input, postureSettings(), new Date('2026-12-15T01:00:00Z'));
    expect(posture.problems).toEqual([]);
  });
});
