import { RolloutError } from '../../errors/RolloutError.js';
import { retryDecision } from '../retryDecision.js';
import type { PerUserMfaState } from '../rosterUser.js';
import type {
  FailureRecord,
  GraphWrite,
  InJourney,
  Journey,
  JourneyProgress,
  JourneySettings,
  JourneyStep,
  PendingWrite,
  StepsDone,
} from './journeyTypes.js';

/**
 * The transitions of a user's journey progress. Each takes the legal source state(s) only (in its type, and checked
 * at run time for values that came from a table), and returns a new progress; nothing here reads a clock or Graph.
 */

type ProgressOf<S extends JourneyProgress['state']> = Extract<JourneyProgress, { readonly state: S }>;

export function isInJourney(progress: JourneyProgress): progress is InJourney {
  return progress.state !== 'new' && progress.state !== 'announced';
}

/** The journey a user starts when a wave first attends them (nothing written yet). */
export function beginJourney(progress: ProgressOf<'new' | 'announced'>, waveId: string, now: Date): Journey {
  return {
    enteredWaveId: waveId,
    enteredAt: now.toISOString(),
    announcedAt: progress.state === 'announced' ? progress.announcedAt : null,
    enforceFrom: progress.state === 'announced' ? (progress.enforceFrom ?? null) : null,
    entryCompleteAt: null,
    steps: {},
    phoneConflict: false,
    registration: null,
    lastCheckedAt: null,
    methods: null,
    mfaSeenAt: null,
    attempts: 0,
  };
}

/** The journey of any progress, begun (in memory) for a user who has none yet. */
export function workingJourney(progress: JourneyProgress, waveId: string, now: Date): Journey {
  return isInJourney(progress) ? progress.journey : beginJourney(progress, waveId, now);
}

/** Write-ahead: what is about to be written, recorded before the write. */
export function recordIntent(
  journey: Journey,
  step: JourneyStep,
  write: GraphWrite,
  waveId: string,
  now: Date,
  previousMfaState: PerUserMfaState | null,
): ProgressOf<'inFlight'> {
  const pending: PendingWrite = { step, waveId, since: now.toISOString(), write, previousMfaState };
  return { state: 'inFlight', journey, pending };
}

/** The write landed (Graph answered 2xx, or a later read shows it done): the step is recorded with the wave that wrote it. */
export function completeWrite(progress: ProgressOf<'inFlight'>, now: Date): ProgressOf<'active'> {
  expect(progress, ['inFlight'], 'completeWrite');
  const { journey, pending } = progress;
  return { state: 'active', journey: { ...withStep(journey, pending, now.toISOString(), true), attempts: 0 } };
}

/** A step Graph already had (nothing written): recorded as done by tonight's wave, with `wrote: false`. */
export function recordFoundDone(journey: Journey, step: JourneyStep, write: GraphWrite, waveId: string, now: Date, previousMfaState: PerUserMfaState | null): Journey {
  const pending: PendingWrite = { step, waveId, since: now.toISOString(), write, previousMfaState };
  return { ...withStep(journey, pending, now.toISOString(), false), attempts: 0 };
}

function withStep(journey: Journey, pending: PendingWrite, at: string, wrote: boolean): Journey {
  const base = { waveId: pending.waveId, at, wrote };
  const write = pending.write;
  let steps: StepsDone;
  switch (pending.step) {
    case 'phoneMethod':
      steps = { ...journey.steps, phoneMethod: { ...base, action: write.kind === 'updateMobileMethod' ? 'update' : 'create' } };
      break;
    case 'enforceMfa':
      steps = {
        ...journey.steps,
        enforceMfa:
          write.kind === 'addGroupMember'
            ? { ...base, via: 'mfaGroup', previousMfaState: null, groupId: write.groupId }
            : { ...base, via: 'perUserMfa', previousMfaState: pending.previousMfaState },
      };
      break;
    case 'joinCampaign':
    case 'joinPhishingResistant':
    case 'joinPhoneRetired':
      steps = { ...journey.steps, [pending.step]: { ...base, groupId: write.kind === 'addGroupMember' ? write.groupId : '' } };
      break;
  }
  return { ...journey, steps };
}

/**
 * A write (or the reads before it) failed: `failed`, retried on a later night, or `parked` for a person, by
 * `retryDecision` (codes that are the user's own data park at once; others after MFA_MAX_ATTEMPTS attempts).
 * Steps done before stay on record: a mobile method created before an enforcement that failed is still the
 * rollout's, and a rollback of that wave still finds it.
 */
export function failStep(
  progress: JourneyProgress,
  failure: { readonly step: JourneyStep | 'read'; readonly waveId: string; readonly errorCode: string; readonly requestId: string | null },
  settings: Pick<JourneySettings, 'maxAttempts'>,
  now: Date,
): ProgressOf<'failed' | 'parked'> {
  expect(progress, ['new', 'announced', 'inFlight', 'active', 'failed'], 'failStep');
  const journey = workingJourney(progress, failure.waveId, now);
  const attempts = journey.attempts + 1;
  const record: FailureRecord = { ...failure, at: now.toISOString() };
  const next = { ...journey, attempts };
  return retryDecision({ attempts, errorCode: failure.errorCode }, settings) === 'park'
    ? { state: 'parked', journey: next, failure: record }
    : { state: 'failed', journey: next, failure: record };
}

/** `mfa-rollout retry-parked`: the cause is fixed; the user gets MFA_MAX_ATTEMPTS new attempts, first in their ring. */
export function releaseParked(progress: ProgressOf<'parked'>): ProgressOf<'failed'> {
  expect(progress, ['parked'], 'releaseParked');
  return { state: 'failed', journey: { ...progress.journey, attempts: 0 }, failure: progress.failure };
}

/** The steps a rollback of `targetWaveId` undoes for this user: those that wave wrote (not those it found done). */
export function stepsWrittenBy(journey: Journey, targetWaveId: string): JourneyStep[] {
  return (Object.entries(journey.steps) as [JourneyStep, { waveId: string; wrote: boolean }][])
    .filter(([, record]) => record.waveId === targetWaveId && record.wrote)
    .map(([step]) => step);
}

/**
 * A rollback undid `undone` (the steps `targetWaveId` wrote that the rollback reverted): they leave the record,
 * and the user is held (`rolledBack`) until an operator readmits them. A phone method left in place (no
 * `--remove-phone-methods`) stays on record as the rollout's, so a later rollback can still remove it.
 */
export function rollBackSteps(progress: InJourney, undone: readonly JourneyStep[], rollback: { readonly rollbackWaveId: string; readonly targetWaveId: string; readonly at: Date }): ProgressOf<'rolledBack'> {
  expect(progress, ['active', 'failed', 'parked', 'rolledBack'], 'rollBackSteps');
  const steps: Record<string, unknown> = { ...progress.journey.steps };
  for (const step of undone) delete steps[step];
  const entryUndone = undone.some((step) => step === 'enforceMfa' || step === 'joinCampaign' || step === 'phoneMethod');
  const journey: Journey = { ...progress.journey, steps: steps as StepsDone, entryCompleteAt: entryUndone ? null : progress.journey.entryCompleteAt, attempts: 0 };
  return { state: 'rolledBack', journey, rollback: { rollbackWaveId: rollback.rollbackWaveId, targetWaveId: rollback.targetWaveId, at: rollback.at.toISOString() } };
}

/**
 * An operator readmits a rolled-back user once the cause is fixed. When the rollback undid the user's entry (MFA no
 * longer required of them, out of the campaign), they start again at `new` and are announced with a new date before
 * anything is written: the date they were told has passed and MFA was taken away since. When it undid only later
 * steps (the phishing-resistant or phone-retired group), the journey goes on from the steps that remain: MFA has been
 * required of them all along. A mobile method a rollback left in place is no longer claimed on the `new` path (the
 * next entry finds it and writes nothing for it).
 */
export function readmit(progress: ProgressOf<'rolledBack'>): ProgressOf<'new' | 'active'> {
  expect(progress, ['rolledBack'], 'readmit');
  return progress.journey.entryCompleteAt === null ? { state: 'new' } : { state: 'active', journey: progress.journey };
}

function expect(progress: JourneyProgress, allowed: readonly JourneyProgress['state'][], transition: string): void {
  const state: unknown = (progress as { state?: unknown } | null)?.state;
  const known: readonly unknown[] = ['new', 'announced', 'inFlight', 'active', 'failed', 'parked', 'rolledBack'];
  if (!known.includes(state)) throw new RolloutError('ROW_CORRUPT', `journey.${transition}: the progress has no known state`);
  if (!allowed.includes(state as JourneyProgress['state'])) {
    throw new RolloutError('INTERNAL', `journey.${transition}: not allowed from state '${String(state)}' (allowed: ${allowed.join(', ')})`);
  }
}
