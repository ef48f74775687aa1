import { describe, expect, it } from '@jest/globals';
import type { ProgressIn } from '../../shared/core/rolloutState.js';
import { fail, recoverInFlight, startWrite } from '../../shared/core/rolloutState.js';
import type { WriteIntent } from '../../shared/core/rosterUser.js';
import { testConfig } from '../helpers/testConfig.js';

const config = testConfig({ MFA_MAX_ATTEMPTS: '5' });
const now = new Date('2026-11-25T01:00:00Z');
const creates: WriteIntent = { previousMfaState: 'disabled', createsPhoneMethod: true, phoneConflict: false, alreadyDone: false };
const inFlight = (step: 'phoneMethod' | 'enforce', intent: WriteIntent = creates): ProgressIn<'inFlight'> => ({
  state: 'inFlight', waveId: 'w1', step, since: now.toISOString(), attempts: 1, announcedAt: null, intent,
});

/** What the write-ahead records keep about a mobile phone method the rollout created, across failures and dead runs. */
describe('the record of a phone method the rollout created survives an interrupted or failed attempt', () => {
  it('a run that died after the create (Graph: method there, not enforced): failed RUN_INTERRUPTED, still saying the rollout created it', () => {
    expect(recoverInFlight(inFlight('phoneMethod'), { enforced: false, mobileMethodExists: true }, config, now)).toMatchObject({
      state: 'failed', errorCode: 'RUN_INTERRUPTED', phoneMethodCreated: true,
    });
  });

  it('a run that died before the create (no method in Graph): failed, nothing created', () => {
    expect(recoverInFlight(inFlight('phoneMethod'), { enforced: false, mobileMethodExists: false }, config, now)).not.toHaveProperty('phoneMethodCreated');
  });

  it('a method the attempt did not mean to create is never claimed', () => {
    const keeps: WriteIntent = { ...creates, createsPhoneMethod: false };
    expect(recoverInFlight(inFlight('enforce', keeps), { enforced: false, mobileMethodExists: true }, config, now)).not.toHaveProperty('phoneMethodCreated');
  });

  it('an attempt that failed at the enforce step had created its method', () => {
    expect(fail(inFlight('enforce'), { errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, config, now)).toMatchObject({ state: 'failed', phoneMethodCreated: true });
  });

  it('the retry starts from the failed record: the next attempt records the creation in its intent, and a dead retry is recovered with it', () => {
    const failed = recoverInFlight(inFlight('phoneMethod'), { enforced: false, mobileMethodExists: true }, config, now);
    if (failed.state !== 'failed') throw new Error('expected failed');
    // enrolUser carries the creation into the retry's intent when it finds the method in place
    const retry = startWrite(failed, 'w2', 'phoneMethod', now, { ...creates, createsPhoneMethod: failed.phoneMethodCreated === true });
    expect(recoverInFlight({ ...retry, step: 'enforce' }, { enforced: true, mobileMethodExists: true }, config, now)).toMatchObject({
      state: 'enforced', waveId: 'w2', attempts: 2, phoneMethodCreated: true,
    });
  });
});
