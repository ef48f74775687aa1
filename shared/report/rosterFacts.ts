import type { Config } from '../config/configSchema.js';
import { boundedHeap } from '../core/boundedHeap.js';
import { operatorHint } from '../errors/errorCodes.js';
import type { RosterUser } from '../core/rosterUser.js';

/** An enforced user with no sign-in that satisfied MFA `stuckAfterDays` after enforcement: one for the helpdesk. */
export interface StuckUser {
  readonly userId: string;
  readonly upn: string;
  readonly waveId: string;
  readonly enforcedAt: string;
  /** Whole days since enforcement at the report's time. */
  readonly days: number;
  /** When the sign-in log was last read for the user (and showed no MFA since enforcement). */
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
  /** Registration of the enforced (present) users, as the rollout last verified it. */
  readonly registration: { readonly registered: number; readonly notRegistered: number; readonly unknown: number };
  /** Present enforced users by the UTC date they were enforced (`YYYY-MM-DD` -> count). */
  readonly enforcedOn: Readonly<Record<string, number>>;
  /** Present enforced users verified registered, by the UTC date of that verification. */
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
 * Stuck: enforced at least `MFA_STUCK_AFTER_DAYS` ago and no sign-in since then that satisfied MFA, as the sign-in
 * log showed it at the last check (docs/graph-behaviour.md#sign-in-activity). The registration report cannot say it: it
 * shows the rollout's own phone write within hours, sign-in or not. Users whose sign-ins were never read (not checked
 * yet, or the log is unavailable: no licence or permission) are not listed as stuck. `registration` counts who is
 * MFA-capable (the report's policy-aware `isMfaCapable` and a live method).
 */
export function collectRosterFacts(config: Pick<Config, 'stuckAfterDays'>, now: Date, listLimit = 200): RosterFactsCollector {
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
        parked.offer({ userId, upn, waveId: progress.waveId, parkedAt: progress.parkedAt, attempts: progress.attempts, errorCode: progress.errorCode, requestId: progress.requestId, hint: operatorHint(progress.errorCode) });
        return;
      }
      if (progress.state !== 'enforced') return;
      bump(enforcedOn, progress.enforcedAt);
      if (progress.registration === 'registered') {
        registration.registered += 1;
        bump(registeredOn, progress.verifiedAt ?? progress.enforcedAt);
      } else if (progress.registration === 'notRegistered') {
        registration.notRegistered += 1;
      } else {
        registration.unknown += 1;
      }
      const enforcedAt = Date.parse(progress.enforcedAt);
      const checkedAt = progress.mfaCheckedAt ?? null;
      if ((progress.mfaSignInAt ?? null) === null && checkedAt !== null && enforcedAt <= stuckBefore) {
        stuckCount += 1;
        stuck.offer({ userId, upn, waveId: progress.waveId, enforcedAt: progress.enforcedAt, days: Math.floor((now.getTime() - enforcedAt) / dayMs), lastCheckedAt: checkedAt });
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
