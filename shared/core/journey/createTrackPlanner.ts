import { RolloutError } from '../../errors/RolloutError.js';
import { boundedHeap } from '../boundedHeap.js';
import { dueMode, stragglerReason, type StragglerSettings } from './journeyStanding.js';
import type { JourneyProgress, TapRecord } from './journeyTypes.js';

/** A user already in the journey, as the track planner sees them (the shell adds whatever payload it needs back). */
export interface TrackCandidate<P> {
  readonly id: string;
  /** Place of the user's ring in the rollout order (0 = pilot). */
  readonly ringRank: number;
  /** The user's stable place within the ring (`rolloutOrderKey`). */
  readonly orderKey: number;
  readonly progress: JourneyProgress;
  readonly isGlobalAdmin: boolean;
  /** The Temporary Access Passes issued to the user (the row's record), or null. */
  readonly tap: TapRecord | null;
  readonly payload: P;
}

export interface TrackPlan<P> {
  /** Registered users moved on tonight (the phishing-resistant and phone-retired groups), in plan order, at most the wave size. */
  readonly advance: readonly TrackCandidate<P>[];
  /** Users whose live methods are read tonight, most urgent first, at most MFA_CHECKS_PER_NIGHT. */
  readonly check: readonly TrackCandidate<P>[];
  /** Users due but left for a later night by the budgets. */
  readonly deferred: { readonly advance: number; readonly check: number };
}

/** What a night does with the users already in the journey, as counts (for the night's result, the plan and the logs). */
export interface TrackCounts {
  readonly advance: number;
  readonly check: number;
  /** Due but left for a later night by the budgets (the wave size, MFA_CHECKS_PER_NIGHT). */
  readonly deferred: { readonly advance: number; readonly check: number };
}

export function trackCounts(plan: TrackPlan<unknown>): TrackCounts {
  return { advance: plan.advance.length, check: plan.check.length, deferred: plan.deferred };
}

export interface TrackPlanner<P> {
  add(candidate: TrackCandidate<P>): void;
  /** `advanceLimit` is tonight's wave size (the ramp paces enforcement of the phishing-resistant policy too); 0 when halted. */
  finish(advanceLimit: number): TrackPlan<P>;
}

/** Check order: the users the helpdesk must hear about soonest, then those looked at longest ago, then plan order. */
interface Ranked<P> {
  readonly candidate: TrackCandidate<P>;
  readonly urgency: number;
  readonly lastLook: number;
}

/**
 * Picks, in one pass over the roster, the users already in the journey who get a night tonight (pure; bounded
 * memory: heaps of at most `maxAdvance` and `checksPerNight` candidates):
 * - advance: `dueMode` says so; plan order (ring, then the stable key); at most `advanceLimit` (the wave size: a
 *   night puts no more users under the phishing-resistant policy and off SMS than it lets enter);
 * - check: `dueMode` says so; stragglers first (SMS-only near the deadline, then past the nudge days), then the
 *   users looked at longest ago; at most `checksPerNight`.
 */
export function createTrackPlanner<P>(settings: StragglerSettings, budget: { readonly maxAdvance: number; readonly checksPerNight: number }, now: Date): TrackPlanner<P> {
  const byPlanOrder = (a: TrackCandidate<P>, b: TrackCandidate<P>) => a.ringRank - b.ringRank || a.orderKey - b.orderKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const advance = boundedHeap<TrackCandidate<P>>(budget.maxAdvance, byPlanOrder);
  const check = boundedHeap<Ranked<P>>(budget.checksPerNight, (a, b) => a.urgency - b.urgency || a.lastLook - b.lastLook || byPlanOrder(a.candidate, b.candidate));
  let advanceDue = 0;
  let checkDue = 0;
  let finished = false;

  return {
    add(candidate) {
      if (finished) throw new RolloutError('INTERNAL', 'createTrackPlanner: add() after finish()');
      const mode = dueMode(candidate.progress, settings, now);
      if (mode === 'advance') {
        advanceDue += 1;
        advance.offer(candidate);
      } else if (mode === 'check') {
        checkDue += 1;
        const { progress } = candidate;
        const journey = progress.state === 'new' || progress.state === 'announced' ? null : progress.journey;
        const reason = journey === null ? null : stragglerReason(journey, settings, candidate.isGlobalAdmin, now, candidate.tap);
        const urgency = reason === 'smsOnlyNearDeadline' ? 0 : reason === 'notRegisteredAfterNudge' ? 1 : 2;
        const lastLook = journey?.lastCheckedAt == null ? Number.NaN : Date.parse(journey.lastCheckedAt);
        // never looked at (or an unreadable time) sorts first
        check.offer({ candidate, urgency, lastLook: Number.isNaN(lastLook) ? Number.NEGATIVE_INFINITY : lastLook });
      }
    },
    finish(advanceLimit) {
      if (finished) throw new RolloutError('INTERNAL', 'createTrackPlanner: finish() called twice');
      finished = true;
      const advancing = advance.sorted().slice(0, Math.max(0, advanceLimit));
      const checking = check.sorted().map((ranked) => ranked.candidate);
      return { advance: advancing, check: checking, deferred: { advance: advanceDue - advancing.length, check: checkDue - checking.length } };
    },
  };
}
