import { exclusionReasons, type ExclusionReason } from './exclusions.js';
import { notReadyReasons, type NotReadyReason } from './readiness.js';

/** One user the shell acts on tonight. */
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
  /**
   * Users announced tonight only: the date their notice gives (ISO), the night the ramp is projected to reach them
   * (`projectEnforcementNights`), never earlier than MFA_NOTICE_DAYS from now. They are never enforced before it.
   */
  readonly enforceFrom?: string;
  readonly payload: P;
}

/**
 * Why a user is not enforced tonight. Every user fed to the planner is either in `enforce` or counted under
 * exactly one reason, the first that applies in this order:
 * `notPresent` (gone from the directory); the progress states that are never planned again (`inFlight`; in the
 * journey past its entry: `enforced` (MFA is required of them) or `awaitingTap` (on the passkey or Authenticator
 * track with no method yet: a helpdesk Temporary Access Pass is their way in); `parked`, `rolledBack`); the exclusion reasons; the not-ready reasons; then, for ready users, `halted` (the
 * rollout is halted), `awaitingNotice` (announced, tonight included, notice not yet served), `promisedDate`
 * (announced, notice served, but the notice gave a later date), `pilotFirst` (a non-pilot user who could go, held
 * while pilot users are still to enforce), `laterWave` (not yet their turn).
 */
export type WaitingReason =
  | 'notPresent'
  | 'inFlight'
  | 'enforced'
  | 'awaitingTap'
  | 'parked'
  | 'rolledBack'
  | ExclusionReason
  | NotReadyReason
  | 'halted'
  | 'awaitingNotice'
  | 'promisedDate'
  | 'pilotFirst'
  | 'laterWave';

export const waitingReasons: readonly WaitingReason[] = [
  'notPresent',
  'inFlight',
  'enforced',
  'awaitingTap',
  'parked',
  'rolledBack',
  ...exclusionReasons,
  ...notReadyReasons,
  'halted',
  'awaitingNotice',
  'promisedDate',
  'pilotFirst',
  'laterWave',
];

/** One ring's share of tonight's plan. */
export interface RingPlan {
  readonly ring: string;
  /** Its place in the rollout order: 0 = pilot, then the configured rings, last = everyone. */
  readonly rank: number;
  /** Users of the ring fed to the planner (their ring as the directory snapshot places them). */
  readonly users: number;
  /** Enforced tonight. */
  readonly planned: number;
  /** Announced tonight. */
  readonly announced: number;
  /** Everybody else in the ring, by reason (only reasons with users). */
  readonly waiting: Readonly<Partial<Record<WaitingReason, number>>>;
}

/** What the planner knows about the dates notices gave. */
export interface NoticePromises {
  /**
   * Announced users held tonight only by the date their notice gave: without it they would have had a seat in
   * tonight's wave (the settings now allow earlier enforcement than the notice said, e.g. a larger wave size).
   */
  readonly heldTonight: number;
  /** Announced users whose date has come (tonight or earlier) and who are not in tonight's wave: later than promised. */
  readonly late: number;
}

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
  /**
   * Not-ready users held back only by the phone (counted under its reason) whose methods are due a read (never read,
   * or more than 7 days ago): `probe` is tonight's share, the rest follow on later nights. Those with another MFA
   * method become ready after the read.
   */
  readonly probeDue: number;
  /** Every ring in rollout order (pilot, the configured rings, everyone), zeros included. */
  readonly rings: readonly RingPlan[];
  readonly promises: NoticePromises;
  /** Everybody not in `enforce`, by reason (every reason present, zeros included). */
  readonly waiting: Readonly<Record<WaitingReason, number>>;
  /** Users fed to the planner. */
  readonly total: number;
  /** Of `waiting`: the exclusion reasons together. */
  readonly excluded: number;
  /** Of `waiting`: the not-ready reasons together. */
  readonly notReady: number;
}
