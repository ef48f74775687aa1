import { describe, expect, it } from '@jest/globals';
import {
  beginJourney,
  completeWrite,
  failStep,
  recordFoundDone,
  recordIntent,
  releaseParked,
  stepsWrittenBy,
} from '../../../shared/core/journey/journeyTransitions.js';
import type { JourneyProgress } from '../../../shared/core/journey/journeyTypes.js';
import { journeySettings } from './journeyDriver.js';

const now = new Date('2026-12-02T01:00:00.000Z');
const later = new Date('2026-12-03T01:00:00.000Z');
const settings = journeySettings({ maxAttempts: 3 });
const announced: JourneyProgress = { state: 'announced', waveId: 'w0', announcedAt: '2026-11-25T01:00:00.000Z', enforceFrom: '2026-12-02T00:00:00.000Z' };

describe('the write-ahead record and its outcome', () => {
  it('an announced user begins the journey carrying the notice; the intent names the step, the wave and the write', () => {
    const journey = beginJourney(announced as Extract<JourneyProgress, { state: 'announced' }>, 'w1', now);
    expect(journey).toMatchObject({ enteredWaveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z', enforceFrom: '2026-12-02T00:00:00.000Z', steps: {}, attempts: 0 });
    const pending = recordIntent(journey, 'phoneMethod', { kind: 'createMobileMethod', graphNumber: '+46 701234567' }, 'w1', now, null);
    expect(pending).toEqual({ state: 'inFlight', journey, pending: { step: 'phoneMethod', waveId: 'w1', since: now.toISOString(), write: { kind: 'createMobileMethod', graphNumber: '+46 701234567' }, previousMfaState: null } });
  });

  it('a landed write becomes the step done by that wave; the per-user state read before it is kept for a rollback', () => {
    const journey = beginJourney({ state: 'new' }, 'w1', now);
    const done = completeWrite(recordIntent(journey, 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w1', now, 'enabled'), later);
    expect(done.state).toBe('active');
    expect(done.journey.steps.enforceMfa).toEqual({ waveId: 'w1', at: later.toISOString(), wrote: true, via: 'perUserMfa', previousMfaState: 'enabled' });
    expect(stepsWrittenBy(done.journey, 'w1')).toEqual(['enforceMfa']);
  });

  it('a step Graph already had is done with wrote: false, so no rollback ever undoes it', () => {
    const journey = recordFoundDone(beginJourney({ state: 'new' }, 'w1', now), 'enforceMfa', { kind: 'addGroupMember', groupId: 'g-mfa' }, 'w1', now, null);
    expect(journey.steps.enforceMfa).toMatchObject({ wrote: false, via: 'mfaGroup', groupId: 'g-mfa' });
    expect(stepsWrittenBy(journey, 'w1')).toEqual([]);
  });

  it('completeWrite refuses a user not in flight (a row changed under the run), at run time too', () => {
    const active = completeWrite(recordIntent(beginJourney({ state: 'new' }, 'w1', now), 'joinCampaign', { kind: 'addGroupMember', groupId: 'g' }, 'w1', now, null), now);
    // @ts-expect-error completeWrite takes an in-flight user only
    expect(() => completeWrite(active, now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    expect(() => completeWrite({ state: 'enforced' } as never, now)).toThrow(expect.objectContaining({ code: 'ROW_CORRUPT' }));
  });
});

describe('failStep and releaseParked', () => {
  const inFlight = recordIntent(beginJourney({ state: 'new' }, 'w1', now), 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w1', now, 'disabled');

  it('a failure below MFA_MAX_ATTEMPTS is retried later, with its code and request-id; steps done before stay', () => {
    const withPhone = completeWrite(recordIntent(beginJourney({ state: 'new' }, 'w1', now), 'phoneMethod', { kind: 'createMobileMethod', graphNumber: '+46 701234567' }, 'w1', now, null), now);
    const failed = failStep(recordIntent(withPhone.journey, 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w1', now, 'disabled'), { step: 'enforceMfa', waveId: 'w1', errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-1' }, settings, now);
    expect(failed.state).toBe('failed');
    expect(failed.failure).toEqual({ step: 'enforceMfa', waveId: 'w1', at: now.toISOString(), errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-1' });
    expect(failed.journey.attempts).toBe(1);
    expect(failed.journey.steps.phoneMethod?.wrote).toBe(true);
  });

  it('the third failure parks the user; a code that is the user\'s own data parks at once', () => {
    let progress: JourneyProgress = inFlight;
    for (const wave of ['w1', 'w2', 'w3']) progress = failStep(progress, { step: 'enforceMfa', waveId: wave, errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, settings, now);
    expect(progress.state).toBe('parked');
    expect(failStep(inFlight, { step: 'enforceMfa', waveId: 'w1', errorCode: 'GRAPH_PHONE_INVALID', requestId: null }, settings, now).state).toBe('parked');
  });

  it('a released user gets MFA_MAX_ATTEMPTS new attempts, keeping the last failure on record', () => {
    const parked = failStep(inFlight, { step: 'phoneMethod', waveId: 'w1', errorCode: 'GRAPH_PHONE_INVALID', requestId: 'req-9' }, settings, now);
    if (parked.state !== 'parked') throw new Error('expected parked');
    const released = releaseParked(parked);
    expect(released).toEqual({ state: 'failed', journey: { ...parked.journey, attempts: 0 }, failure: parked.failure });
    expect(failStep(released, { step: 'phoneMethod', waveId: 'w2', errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, settings, later).state).toBe('failed');
  });

  it('a parked or rolled-back user cannot fail again without an operator', () => {
    const parked = failStep(inFlight, { step: 'enforceMfa', waveId: 'w1', errorCode: 'GRAPH_PHONE_INVALID', requestId: null }, settings, now);
    expect(() => failStep(parked, { step: 'enforceMfa', waveId: 'w2', errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, settings, later)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
