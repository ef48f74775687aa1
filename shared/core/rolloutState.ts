import { RolloutError } from '../errors/RolloutError.js';
import { rolloutStates, type RolloutProgress, type RolloutState } from './rosterUser.js';

/**
 * The transitions of a user's progress before the journey (`announce`), and the state guard every caller narrows
 * with. The journey's own transitions (intent, outcome, failure, reconcile, rollback, readmit, release) live in
 * `journey/journeyTransitions.ts`; what to do next is decided by `journey/nextJourneyCommand.ts`.
 *
 *   new -announce-> announced -(a wave attends the user)-> the journey: inFlight | active | failed | parked | rolledBack
 */

/** The progress variant(s) of the given state(s). */
export type ProgressIn<S extends RolloutState> = Extract<RolloutProgress, { readonly state: S }>;

/** Type guard: narrows a progress to the given state(s). */
export function isInState<S extends RolloutState>(progress: RolloutProgress, ...states: readonly S[]): progress is ProgressIn<S> {
  return (states as readonly RolloutState[]).includes(progress.state);
}

/**
 * The notice went out: the user may be enforced from `enforceFrom`, the date the notice gives (the planner's
 * projection, never earlier than `noticeDays` after `now`).
 */
export function announce(progress: ProgressIn<'new'>, waveId: string, now: Date, enforceFrom: string): ProgressIn<'announced'> {
  const state: unknown = (progress as { state?: unknown } | null)?.state;
  if (!(rolloutStates as readonly unknown[]).includes(state)) throw new RolloutError('ROW_CORRUPT', 'rolloutState.announce: the progress has no known state');
  if (state !== 'new') throw new RolloutError('INTERNAL', `rolloutState.announce: not allowed from state '${String(state)}' (allowed: new)`);
  return { state: 'announced', waveId, announcedAt: now.toISOString(), enforceFrom };
}
