import type { Config } from '../config/configSchema.js';
import { RolloutError } from '../errors/RolloutError.js';
import { retryDecision } from './retryDecision.js';
import { rolloutStates, type PerUserMfaState, type RolloutProgress, type RolloutState, type WriteIntent, type WriteStep } from './rosterUser.js';

/**
 * Transitions of one user's `RolloutProgress`. Each accepts only its legal source states in its parameter type,
 * so an illegal transition does not compile on a narrowed value; a value that reached it through a cast or an
 * unchecked row throws RolloutError INTERNAL (known state, wrong transition) or ROW_CORRUPT (unknown state).
 *
 *   new -announce-> announced
 *   new | announced | failed -startWrite-> inFlight (attempts + 1); inFlight -startWrite(next step, same wave)-> inFlight
 *   inFlight -completeEnforced-> enforced -recordRegistration-> enforced -rollBack-> rolledBack
 *   inFlight -fail-> failed | parked (retryDecision)
 *   inFlight -recoverInFlight-> enforced | failed | parked (after a run died mid-write)
 *   parked -releaseParked-> failed (attempts 0; an operator fixed the cause)
 */

/** The progress variant(s) of the given state(s). */
export type ProgressIn<S extends RolloutState> = Extract<RolloutProgress, { readonly state: S }>;

/** Type guard: narrows a progress to the given state(s). */
export function isInState<S extends RolloutState>(progress: RolloutProgress, ...states: readonly S[]): progress is ProgressIn<S> {
  return (states as readonly RolloutState[]).includes(progress.state);
}

/** The notice went out: the user may be enforced `noticeDays` later. */
export function announce(progress: ProgressIn<'new'>, waveId: string, now: Date): ProgressIn<'announced'> {
  expectState(progress, ['new'], 'announce');
  return { state: 'announced', waveId, announcedAt: now.toISOString() };
}

const stepOrder: Record<WriteStep, number> = { phoneMethod: 0, enforce: 1 };

/**
 * Records the intent before a Graph write: the step and what the attempt is about to write (`intent`, decided
 * from Graph's answers before any write). From `new`, `announced` or `failed` it starts an attempt
 * (attempts + 1, the notice time carried along); from `inFlight` of the same wave it moves on to a later step
 * (`phoneMethod` -> `enforce`) within the same attempt, keeping the intent.
 */
export function startWrite(
  progress: ProgressIn<'new' | 'announced' | 'failed' | 'inFlight'>,
  waveId: string,
  step: WriteStep,
  now: Date,
  intent: WriteIntent,
): ProgressIn<'inFlight'> {
  expectState(progress, ['new', 'announced', 'failed', 'inFlight'], 'startWrite');
  const since = now.toISOString();
  switch (progress.state) {
    case 'new':
      return { state: 'inFlight', waveId, step, since, attempts: 1, announcedAt: null, intent };
    case 'announced':
      return { state: 'inFlight', waveId, step, since, attempts: 1, announcedAt: progress.announcedAt, intent };
    case 'failed':
      return { state: 'inFlight', waveId, step, since, attempts: progress.attempts + 1, announcedAt: progress.announcedAt, intent };
    case 'inFlight':
      if (progress.waveId !== waveId) {
        throw new RolloutError('INTERNAL', 'rolloutState.startWrite: the user is in flight in another wave; recover it first (recoverInFlight)');
      }
      if (stepOrder[step] <= stepOrder[progress.step]) {
        throw new RolloutError('INTERNAL', `rolloutState.startWrite: step '${step}' does not follow step '${progress.step}'`);
      }
      return { ...progress, step, since };
  }
}

/** What the enforce step found and did, for the enforced record (and a later rollback). */
export interface EnforceOutcome {
  readonly previousMfaState: PerUserMfaState | null;
  readonly phoneMethodCreated: boolean;
  readonly alreadyDone: boolean;
  readonly phoneConflict: boolean;
}

/** The enforce step succeeded. Only from `inFlight` at step `enforce`. */
export function completeEnforced(progress: ProgressIn<'inFlight'>, outcome: EnforceOutcome, now: Date): ProgressIn<'enforced'> {
  expectState(progress, ['inFlight'], 'completeEnforced');
  if (progress.step !== 'enforce') {
    throw new RolloutError('INTERNAL', `rolloutState.completeEnforced: the user is at step '${progress.step}', not 'enforce'`);
  }
  return enforced(progress, outcome, now);
}

export interface WriteFailure {
  readonly errorCode: string;
  readonly requestId: string | null;
}

/**
 * A write failed: `failed` (retried on a later night) or `parked` for a person, by `retryDecision`. A mobile phone
 * method the attempt created stays on record (`phoneMethodCreated`): the attempt reached the `enforce` step, or
 * `mobileMethodExists` says the method it was about to create is there now.
 */
export function fail(
  progress: ProgressIn<'inFlight'>,
  failure: WriteFailure,
  config: Pick<Config, 'maxAttempts'>,
  now: Date,
  mobileMethodExists = false,
): ProgressIn<'failed' | 'parked'> {
  expectState(progress, ['inFlight'], 'fail');
  const at = now.toISOString();
  const base = { waveId: progress.waveId, attempts: progress.attempts, errorCode: failure.errorCode, requestId: failure.requestId };
  const phoneMethodCreated = progress.intent.createsPhoneMethod && (progress.step === 'enforce' || mobileMethodExists);
  return retryDecision({ attempts: progress.attempts, errorCode: failure.errorCode }, config) === 'park'
    ? { state: 'parked', ...base, parkedAt: at, ...(phoneMethodCreated ? { phoneMethodCreated } : {}) }
    : { state: 'failed', ...base, failedAt: at, announcedAt: progress.announcedAt, ...(phoneMethodCreated ? { phoneMethodCreated } : {}) };
}

/** What the shell found in Graph for a user left `inFlight` by a run that died. */
export type InFlightObservation =
  | { readonly enforced: true; readonly mobileMethodExists: boolean }
  | { readonly enforced: false; readonly mobileMethodExists?: boolean; readonly requestId?: string | null };

/**
 * Resolves a user left `inFlight` by a run that died or timed out mid-write, once the shell has looked at
 * Graph: already enforced there -> `enforced` (whatever step was recorded), with the outcome taken from the
 * recorded intent (a mobile method that the intent was about to create and that exists now was created by the
 * rollout, since the attempt read that there was none); not enforced, or enforced but the mobile method the attempt
 * was about to create is missing (the user was enforced before, and the pre-registration never happened) -> the
 * interrupted attempt counts as a failure with code RUN_INTERRUPTED, so it is retried (the retry re-reads Graph and
 * writes only what is missing), and a user who keeps killing the run is parked after `maxAttempts` instead of looping.
 */
export function recoverInFlight(
  progress: ProgressIn<'inFlight'>,
  observation: InFlightObservation,
  config: Pick<Config, 'maxAttempts'>,
  now: Date,
): ProgressIn<'enforced' | 'failed' | 'parked'> {
  expectState(progress, ['inFlight'], 'recoverInFlight');
  if (observation.enforced && (observation.mobileMethodExists || !progress.intent.createsPhoneMethod)) {
    const { intent } = progress;
    return enforced(progress, {
      previousMfaState: intent.previousMfaState,
      phoneMethodCreated: intent.createsPhoneMethod && observation.mobileMethodExists,
      alreadyDone: intent.alreadyDone,
      phoneConflict: intent.phoneConflict,
    }, now);
  }
  const requestId = observation.enforced ? null : (observation.requestId ?? null);
  return fail(progress, { errorCode: 'RUN_INTERRUPTED', requestId }, config, now, observation.mobileMethodExists === true);
}

/**
 * An operator fixed what parked the user (their directory data, a permission, a conflicting phone method) and
 * released them (`mfa-rollout retry-parked`): back to `failed` with no attempts counted, so the next nights retry
 * them first in their ring, without a new notice, up to `maxAttempts` times again. The last error code and
 * request-id stay on the row until the retry replaces them.
 */
export function releaseParked(progress: ProgressIn<'parked'>, now: Date): ProgressIn<'failed'> {
  expectState(progress, ['parked'], 'releaseParked');
  return {
    state: 'failed', waveId: progress.waveId, failedAt: now.toISOString(), attempts: 0, errorCode: progress.errorCode, requestId: progress.requestId, announcedAt: null,
    ...(progress.phoneMethodCreated === true ? { phoneMethodCreated: true } : {}),
  };
}

/** The registration check after enforcement (`verifyAfterDays`) saw the user registered or not. */
export function recordRegistration(
  progress: ProgressIn<'enforced'>,
  registration: 'registered' | 'notRegistered',
  now: Date,
): ProgressIn<'enforced'> {
  expectState(progress, ['enforced'], 'recordRegistration');
  return { ...progress, registration, verifiedAt: now.toISOString() };
}

/**
 * The night's read of the sign-in log (docs/graph-behaviour.md#sign-in-activity) for an enforced user: `signInAt` is
 * their latest sign-in that satisfied MFA, or null when the log shows none. Only a sign-in at or after enforcement
 * (to the second) counts; an earlier signal already recorded is kept.
 */
export function recordMfaSignal(progress: ProgressIn<'enforced'>, signInAt: string | null, now: Date): ProgressIn<'enforced'> {
  expectState(progress, ['enforced'], 'recordMfaSignal');
  // the sign-in log gives whole seconds: a sign-in in the second of the enforcement counts
  const counts = signInAt !== null && Date.parse(signInAt) >= Math.floor(Date.parse(progress.enforcedAt) / 1000) * 1000;
  const known = progress.mfaSignInAt ?? null;
  const latest = counts && (known === null || signInAt > known) ? signInAt : known;
  return { ...progress, mfaSignInAt: latest, mfaCheckedAt: now.toISOString() };
}

/** An operator rolled the user's wave back. Only an enforced user can be rolled back. */
export function rollBack(progress: ProgressIn<'enforced'>, rollbackWaveId: string, now: Date): ProgressIn<'rolledBack'> {
  expectState(progress, ['enforced'], 'rollBack');
  return { state: 'rolledBack', waveId: progress.waveId, rolledBackAt: now.toISOString(), rollbackWaveId };
}

function enforced(progress: ProgressIn<'inFlight'>, outcome: EnforceOutcome, now: Date): ProgressIn<'enforced'> {
  return {
    state: 'enforced',
    waveId: progress.waveId,
    enforcedAt: now.toISOString(),
    attempts: progress.attempts,
    previousMfaState: outcome.previousMfaState,
    phoneMethodCreated: outcome.phoneMethodCreated,
    alreadyDone: outcome.alreadyDone,
    phoneConflict: outcome.phoneConflict,
    registration: 'unknown',
    verifiedAt: null,
  };
}

function expectState(progress: RolloutProgress, allowed: readonly RolloutState[], transition: string): void {
  const state: unknown = (progress as { state?: unknown } | null)?.state;
  if (!(rolloutStates as readonly unknown[]).includes(state)) {
    throw new RolloutError('ROW_CORRUPT', `rolloutState.${transition}: the progress has no known state`);
  }
  if (!allowed.includes(state as RolloutState)) {
    throw new RolloutError('INTERNAL', `rolloutState.${transition}: not allowed from state '${String(state)}' (allowed: ${allowed.join(', ')})`);
  }
}
