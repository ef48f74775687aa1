import { describe, expect, it } from '@jest/globals';
import type { RolloutProgress, WriteIntent } from '../../shared/core/rosterUser.js';
import {
  announce,
  completeEnforced,
  fail,
  isInState,
  recordMfaSignal,
  recordRegistration,
  recoverInFlight,
  releaseParked,
  rollBack,
  startWrite,
  type EnforceOutcome,
  type ProgressIn,
} from '../../shared/core/rolloutState.js';
import { testConfig } from './configBuilder.js';
import { announced, daysFrom, failed, now } from './userBuilder.js';

const config = testConfig({ MFA_MAX_ATTEMPTS: '3' });
const at = now.toISOString();
const outcome: EnforceOutcome = { previousMfaState: 'disabled', phoneMethodCreated: true, alreadyDone: false, phoneConflict: false };
const intent: WriteIntent = { previousMfaState: 'disabled', createsPhoneMethod: true, phoneConflict: false, alreadyDone: false };
const inFlight = (overrides: Partial<ProgressIn<'inFlight'>> = {}): ProgressIn<'inFlight'> => ({
  state: 'inFlight',
  waveId: 'w1',
  step: 'enforce',
  since: at,
  attempts: 1,
  announcedAt: null,
  intent,
  ...overrides,
});
const enforced = completeEnforced(inFlight(), outcome, now);

describe('announce', () => {
  it('new -> announced at now', () => {
    expect(announce({ state: 'new' }, 'w1', now)).toEqual({ state: 'announced', waveId: 'w1', announcedAt: at });
  });

  it('does not compile from announced, and throws INTERNAL at runtime', () => {
    // @ts-expect-error announce accepts only a new user
    expect(() => announce(announced(1), 'w1', now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('startWrite', () => {
  it('new -> inFlight, first attempt', () => {
    expect(startWrite({ state: 'new' }, 'w1', 'phoneMethod', now, intent)).toEqual({ state: 'inFlight', waveId: 'w1', step: 'phoneMethod', since: at, attempts: 1, announcedAt: null, intent });
  });

  it('announced -> inFlight, carrying the notice time', () => {
    const progress = announced(3) as ProgressIn<'announced'>;
    expect(startWrite(progress, 'w1', 'enforce', now, intent)).toMatchObject({ state: 'inFlight', attempts: 1, announcedAt: progress.announcedAt });
  });

  it('failed -> inFlight, next attempt', () => {
    expect(startWrite(failed(2) as ProgressIn<'failed'>, 'w2', 'phoneMethod', now, intent)).toMatchObject({ state: 'inFlight', waveId: 'w2', attempts: 3 });
  });

  it('inFlight phoneMethod -> inFlight enforce in the same wave and attempt', () => {
    const later = daysFrom(now, 0.001);
    expect(startWrite(inFlight({ step: 'phoneMethod' }), 'w1', 'enforce', later, intent)).toEqual(inFlight({ step: 'enforce', since: later.toISOString() }));
  });

  it('refuses a step backwards', () => {
    expect(() => startWrite(inFlight({ step: 'enforce' }), 'w1', 'phoneMethod', now, intent)).toThrow("step 'phoneMethod' does not follow step 'enforce'");
  });

  it('refuses an in-flight user of another wave (recover it first)', () => {
    expect(() => startWrite(inFlight({ waveId: 'w0', step: 'phoneMethod' }), 'w1', 'enforce', now, intent)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('does not compile from enforced, and throws at runtime', () => {
    // @ts-expect-error startWrite does not accept an enforced user
    expect(() => startWrite(enforced, 'w1', 'enforce', now, intent)).toThrow("rolloutState.startWrite: not allowed from state 'enforced'");
  });

  it('does not compile from parked', () => {
    const parked: RolloutProgress = { state: 'parked', waveId: 'w', parkedAt: at, attempts: 3, errorCode: 'X', requestId: null };
    // @ts-expect-error a wide RolloutProgress must be narrowed first
    expect(() => startWrite(parked, 'w1', 'enforce', now, intent)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('throws ROW_CORRUPT for an unknown state', () => {
    expect(() => startWrite({ state: 'weird' } as unknown as ProgressIn<'new'>, 'w1', 'enforce', now, intent)).toThrow(expect.objectContaining({ code: 'ROW_CORRUPT' }));
  });
});

describe('completeEnforced', () => {
  it('inFlight at enforce -> enforced with the outcome, registration unknown', () => {
    expect(completeEnforced(inFlight({ attempts: 2 }), outcome, now)).toEqual({
      state: 'enforced',
      waveId: 'w1',
      enforcedAt: at,
      attempts: 2,
      previousMfaState: 'disabled',
      phoneMethodCreated: true,
      alreadyDone: false,
      phoneConflict: false,
      registration: 'unknown',
      verifiedAt: null,
    });
  });

  it('refuses a user still at the phone step', () => {
    expect(() => completeEnforced(inFlight({ step: 'phoneMethod' }), outcome, now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('does not compile from announced', () => {
    // @ts-expect-error only an in-flight user can complete
    expect(() => completeEnforced(announced(3), outcome, now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('fail', () => {
  it('-> failed below maxAttempts, keeping code, request-id and notice time', () => {
    expect(fail(inFlight({ attempts: 1, announcedAt: '2026-11-20T01:00:00.000Z' }), { errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-9' }, config, now)).toEqual({
      state: 'failed',
      waveId: 'w1',
      failedAt: at,
      attempts: 1,
      errorCode: 'GRAPH_UNAVAILABLE',
      requestId: 'req-9',
      announcedAt: '2026-11-20T01:00:00.000Z',
      phoneMethodCreated: true, // the attempt had reached the enforce step: the mobile method it meant to create exists
    });
  });

  it('-> parked at maxAttempts, with the last code and request-id (and the phone method the attempt created)', () => {
    expect(fail(inFlight({ attempts: 3 }), { errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-9' }, config, now)).toEqual({
      state: 'parked',
      waveId: 'w1',
      parkedAt: at,
      attempts: 3,
      errorCode: 'GRAPH_UNAVAILABLE',
      requestId: 'req-9',
      phoneMethodCreated: true,
    });
    expect(fail(inFlight({ attempts: 3, step: 'phoneMethod' }), { errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-9' }, config, now)).not.toHaveProperty('phoneMethodCreated');
  });

  it('-> parked at once for a code that parks at once', () => {
    expect(fail(inFlight({ attempts: 1 }), { errorCode: 'GRAPH_PHONE_INVALID', requestId: null }, config, now).state).toBe('parked');
  });

  it('does not compile from new', () => {
    // @ts-expect-error only an in-flight user can fail
    expect(() => fail({ state: 'new' }, { errorCode: 'X', requestId: null }, config, now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('recoverInFlight', () => {
  it('-> enforced when Graph shows the user enforced, the outcome taken from the recorded intent', () => {
    expect(recoverInFlight(inFlight({ step: 'phoneMethod' }), { enforced: true, mobileMethodExists: true }, config, now)).toMatchObject({
      state: 'enforced', attempts: 1, previousMfaState: 'disabled', phoneMethodCreated: true, alreadyDone: false,
    });
  });

  it('enforced in Graph, but the phone method the intent meant to create is not there: still missing, so retried (RUN_INTERRUPTED)', () => {
    expect(recoverInFlight(inFlight({ step: 'phoneMethod' }), { enforced: true, mobileMethodExists: false }, config, now)).toMatchObject({ state: 'failed', errorCode: 'RUN_INTERRUPTED' });
  });

  it('-> failed RUN_INTERRUPTED when the write did not land', () => {
    expect(recoverInFlight(inFlight({ attempts: 1 }), { enforced: false }, config, now)).toMatchObject({ state: 'failed', errorCode: 'RUN_INTERRUPTED', requestId: null });
  });

  it('-> parked when the user keeps interrupting runs', () => {
    expect(recoverInFlight(inFlight({ attempts: 3 }), { enforced: false, requestId: 'req-2' }, config, now)).toMatchObject({ state: 'parked', requestId: 'req-2' });
  });
});

describe('releaseParked', () => {
  const parked = fail(inFlight({ attempts: 3 }), { errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-9' }, config, now);
  const later = daysFrom(now, 2);

  it('parked -> failed with no attempts counted, the last code and request-id kept, the created phone method remembered', () => {
    if (!isInState(parked, 'parked')) throw new Error('expected parked');
    expect(releaseParked(parked, later)).toEqual({
      state: 'failed', waveId: 'w1', failedAt: later.toISOString(), attempts: 0, errorCode: 'GRAPH_UNAVAILABLE', requestId: 'req-9', announcedAt: null, phoneMethodCreated: true,
    });
  });

  it('the released user is retried up to maxAttempts again before it is parked again', () => {
    if (!isInState(parked, 'parked')) throw new Error('expected parked');
    let progress: RolloutProgress = releaseParked(parked, later);
    const outcomes: string[] = [];
    for (let night = 0; night < 3; night += 1) {
      if (!isInState(progress, 'failed')) break;
      progress = fail(startWrite(progress, `w${night + 2}`, 'enforce', later, intent), { errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, config, later);
      outcomes.push(progress.state);
    }
    expect(outcomes).toEqual(['failed', 'failed', 'parked']);
  });

  it('does not compile from failed, and throws at runtime', () => {
    // @ts-expect-error only a parked user can be released
    expect(() => releaseParked(failed(1), now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('recordRegistration', () => {
  it('records the registration check on an enforced user', () => {
    expect(recordRegistration(enforced, 'registered', now)).toMatchObject({ state: 'enforced', registration: 'registered', verifiedAt: at });
  });
});

describe('recordMfaSignal', () => {
  it('keeps the latest sign-in that satisfied MFA at or after enforcement (to the second), and when the log was read', () => {
    const enforcedAt = enforced.state === 'enforced' ? enforced.enforcedAt : at;
    const second = new Date(Math.floor(Date.parse(enforcedAt) / 1000) * 1000).toISOString();
    const before = new Date(Date.parse(enforcedAt) - 60_000).toISOString();
    const after = new Date(Date.parse(enforcedAt) + 60_000).toISOString();
    expect(recordMfaSignal(enforced, null, now)).toMatchObject({ mfaSignInAt: null, mfaCheckedAt: at });
    expect(recordMfaSignal(enforced, before, now)).toMatchObject({ mfaSignInAt: null });
    expect(recordMfaSignal(enforced, second, now)).toMatchObject({ mfaSignInAt: second });
    const seen = recordMfaSignal(enforced, after, now);
    // a later night's window may start after it: the signal already seen stays
    expect(recordMfaSignal(seen, null, now)).toMatchObject({ mfaSignInAt: after });
  });
});

describe('rollBack', () => {
  it('enforced -> rolledBack, naming the rollback', () => {
    expect(rollBack(enforced, 'rb-1', now)).toEqual({ state: 'rolledBack', waveId: 'w1', rolledBackAt: at, rollbackWaveId: 'rb-1' });
  });

  it('does not compile from failed', () => {
    // @ts-expect-error only an enforced user can be rolled back
    expect(() => rollBack(failed(1), 'rb-1', now)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});

describe('isInState', () => {
  it('narrows so that a legal transition compiles', () => {
    const progress: RolloutProgress = { state: 'new' };
    if (!isInState(progress, 'new')) throw new Error('expected new');
    expect(announce(progress, 'w1', now).state).toBe('announced');
  });

  it('accepts several states', () => {
    expect(isInState(failed(1), 'new', 'announced', 'failed')).toBe(true);
    expect(isInState(enforced, 'new', 'announced', 'failed')).toBe(false);
  });
});
