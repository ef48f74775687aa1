import type { Config } from '../config/configSchema.js';
import { boundedHeap } from '../core/boundedHeap.js';
import { operatorHint } from '../errors/errorCodes.js';
import { isInJourney } from '../core/journey/journeyTransitions.js';
import type { Journey } from '../core/journey/journeyTypes.js';
import type { RosterUser } from '../core/rosterUser.js';

/** An enforced user who has still not registered the target method `stuckAfterDays` after enforcement: one for the helpdesk. */
export interface StuckUser {
  readonly userId: string;
  readonly upn: string;
  readonly waveId: string;
  readonly enforcedAt: string;
  /** Whole days since enforcement at the report's time. */
  readonly days: number;
  /** When the registration was last checked (and found missing). */
  readonly lastCheckedAt: string | null;
}

/** A user who failed `MFA_MAX_ATTEMPTS` nights in a row and is no longer retried: a person must look. */
export interface ParkedUser {
  readonly userId: string;
  readonly upn: string;
  readonly waveId: string;
  readonly parkedAt: string;
  readonly attempts: number;
  readonly errorCode: string;
  readonly requestId: string | null;
  readonly hint: string;
}

export interface RosterFacts {
  /** Registration of the target method (MFA_TARGET_METHOD) by the enforced (present) users, as the rollout last looked. */
  readonly registration: { readonly registered: number; readonly notRegistered: number; readonly unknown: number };
  /** Present enforced users by the UTC date they were enforced (`YYYY-MM-DD` -> count). */
  readonly enforcedOn: Readonly<Record<string, number>>;
  /** Present enforced users seen registered, by the UTC date the rollout first saw it. */
  readonly registeredOn: Readonly<Record<string, number>>;
  readonly stuck: { readonly count: number; readonly afterDays: number; readonly users: readonly StuckUser[] };
  readonly parked: { readonly count: number; readonly users: readonly ParkedUser[] };
}

export interface RosterFactsCollector {
  add(user: RosterUser): void;
  finish(): RosterFacts;
}

const dayMs = 86_400_000;

/**
 * Streams the roster (pure: the users, the config and `now` in, counts out) for what the planner does not say:
 * registration, progress by date for the chart, stuck and parked users. Memory: two date maps and bounded
 * lists of at most `listLimit` users each (the oldest first), whatever the roster size.
 *
 * Enforced: the journey's `enforceMfa` step is done. Registered: the target method was seen (passkey, Authenticator)
 * or, on the phone track, a sign-in showed the user doing MFA (`registeredAt`). Stuck: enforced at least
 * `MFA_STUCK_AFTER_DAYS` ago and not registered at the last look. Users never looked at are unknown, not stuck.
 */
export function collectRosterFacts(config: Pick<Config, 'stuckAfterDays' | 'targetMethod'>, now: Date, listLimit = 200): RosterFactsCollector {
  const registration = { registered: 0, notRegistered: 0, unknown: 0 };
  const enforcedOn: Record<string, number> = {};
  const registeredOn: Record<string, number> = {};
  const stuck = boundedHeap<StuckUser>(listLimit, (a, b) => compareBy(a.enforcedAt, b.enforcedAt) || compareBy(a.userId, b.userId));
  const parked = boundedHeap<ParkedUser>(listLimit, (a, b) => compareBy(a.parkedAt, b.parkedAt) || compareBy(a.userId, b.userId));
  let stuckCount = 0;
  let parkedCount = 0;
  const stuckBefore = now.getTime() - config.stuckAfterDays * dayMs;

  return {
    add(user) {
      if (!user.present) return; // the planner counts them as notPresent, whatever their progress
      const progress = user.progress;
      const { id: userId, userPrincipalName: upn } = user.directory;
      if (progress.state === 'parked') {
        parkedCount += 1;
        const { failure } = progress;
        parked.offer({ userId, upn, waveId: failure.waveId, parkedAt: failure.at, attempts: progress.journey.attempts, errorCode: failure.errorCode, requestId: failure.requestId, hint: operatorHint(failure.errorCode) });
        return;
      }
      if (!isInJourney(progress)) return;
      const { journey } = progress;
      const enforced = journey.steps.enforceMfa;
      if (enforced === undefined) return;
      bump(enforcedOn, enforced.at);
      const seen = registeredAt(journey, config.targetMethod);
      if (seen !== null) {
        registration.registered += 1;
        bump(registeredOn, seen);
      } else if (journey.lastCheckedAt !== null) {
        registration.notRegistered += 1;
        const enforcedAt = Date.parse(enforced.at);
        if (enforcedAt <= stuckBefore) {
          stuckCount += 1;
          stuck.offer({ userId, upn, waveId: enforced.waveId, enforcedAt: enforced.at, days: Math.floor((now.getTime() - enforcedAt) / dayMs), lastCheckedAt: journey.lastCheckedAt });
        }
      } else {
        registration.unknown += 1;
      }
    },
    finish() {
      return {
        registration: { ...registration },
        enforcedOn: { ...enforcedOn },
        registeredOn: { ...registeredOn },
        stuck: { count: stuckCount, afterDays: config.stuckAfterDays, users: stuck.sorted() },
        parked: { count: parkedCount, users: parked.sorted() },
      };
    },
  };
}

/**
 * When the user was first seen registered for the track, or null. On the phone track the rollout put the phone there
 * itself, so a phone proves nothing: a user counts once a sign-in showed them doing MFA (or a look found a method of
 * their own: Authenticator, a passkey, OATH).
 */
function registeredAt(journey: Journey, targetMethod: Config['targetMethod']): string | null {
  if (journey.registration !== null) return journey.registration.seenAt;
  if (targetMethod !== 'phone') return null;
  if (journey.mfaSeenAt !== null) return journey.mfaSeenAt;
  const { methods } = journey;
  return methods !== null && journey.lastCheckedAt !== null && (methods.passkey || methods.authenticator || methods.other) ? journey.lastCheckedAt : null;
}

/** The UTC calendar date of an ISO instant. */
export function utcDate(instant: string | Date): string {
  return (typeof instant === 'string' ? new Date(instant) : instant).toISOString().slice(0, 10);
}

function bump(counts: Record<string, number>, instant: string): void {
  if (Number.isNaN(Date.parse(instant))) return;
  const date = utcDate(instant);
  counts[date] = (counts[date] ?? 0) + 1;
}

function compareBy(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
