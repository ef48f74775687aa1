import { exclusionReasons, type ExclusionReason } from './exclusions.js';
import { notReadyReasons, type NotReadyReason } from './readiness.js';

/** One user the shell acts on tonight, with the payload the shell fed the planner for them (see WavePlanner). */
export interface PlannedUser<P = void> {
  readonly id: string;
  readonly upn: string;
  readonly ring: string;
  /** Pre-register the mobile phone method before enforcing (no strong method known). */
  readonly needsPhoneMethod: boolean;
  /** A retry of a failed user (first in their ring, no new notice). */
  readonly retry: boolean;
  /** Attempts made before tonight. */
  readonly attempts: number;
  readonly payload: P;
}

/**
 * Why a user is not enforced tonight. Every user fed to the planner is either in `enforce` or counted under
 * exactly one reason, the first that applies in this order:
 * `notPresent` (gone from the directory); the progress states that are never planned (`inFlight`, `enforced`,
 * `parked`, `rolledBack`); the exclusion reasons; the not-ready reasons; then, for ready users, `halted` (the
 * rollout is halted), `awaitingNotice` (announced, tonight included, notice not yet served), `pilotFirst`
 * (a non-pilot user who could go, held while pilot users are still to enforce), `laterWave` (not yet their turn).
 */
export type WaitingReason =
  | 'notPresent'
  | 'inFlight'
  | 'enforced'
  | 'parked'
  | 'rolledBack'
  | ExclusionReason
  | NotReadyReason
  | 'halted'
  | 'awaitingNotice'
  | 'pilotFirst'
  | 'laterWave';

export const waitingReasons: readonly WaitingReason[] = [
  'notPresent',
  'inFlight',
  'enforced',
  'parked',
  'rolledBack',
  ...exclusionReasons,
  ...notReadyReasons,
  'halted',
  'awaitingNotice',
  'pilotFirst',
  'laterWave',
];

/** Tonight's decisions. The planner decides; the shell writes. */
export interface WavePlan<P = void> {
  /** `plan`: there is something to do (enforce, announce or probe); `halted`: nothing is planned until a resume. */
  readonly status: 'plan' | 'halted' | 'nothingToDo';
  /** The halted wave, when and why it halted (status `halted`). */
  readonly haltedWaveId?: string;
  readonly haltedSince?: string;
  readonly haltReason?: string | null;
  /** The halted wave that tonight resumes from on its own (`autoResumeAfterNights`); the shell records a `resume` for it. */
  readonly autoResumeOf?: string;
  /** Tonight is a pilot wave: only pilot users are enforced, and it does not count for ramp-up. */
  readonly pilot: boolean;
  /** The wave size aimed for (0 when halted). */
  readonly targetSize: number;
  /** Users to enforce tonight, in order; never more than `targetSize`. */
  readonly enforce: readonly PlannedUser<P>[];
  /** Users to announce tonight (notice period), in order. */
  readonly announce: readonly PlannedUser<P>[];
  /** Ids of users whose authentication methods the shell should read (at most 5 × targetSize), in plan order. */
  readonly probe: readonly string[];
  /** Everybody not in `enforce`, by reason (every reason present, zeros included). */
  readonly waiting: Readonly<Record<WaitingReason, number>>;
  /** Users fed to the planner. */
  readonly total: number;
  /** Of `waiting`: the exclusion reasons together. */
  readonly excluded: number;
  /** Of `waiting`: the not-ready reasons together. */
  readonly notReady: number;
}
