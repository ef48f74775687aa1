import type { Config } from '../../config/configSchema.js';
import { boundedHeap } from '../boundedHeap.js';
import { createExclusionCheck } from '../exclusions.js';
import { stragglerReason, type StragglerReason, type StragglerSettings } from '../journey/journeyStanding.js';
import { retirementDateFor } from '../journey/methodAvailability.js';
import type { TapRecord } from '../journey/journeyTypes.js';
import { daysUntil } from '../posture/smsCalendar.js';
import type { RosterUser } from '../rosterUser.js';
import { nudgeOf } from './campaignConversion.js';

/** One user the helpdesk must hear about (`stragglerReason`), as the report lists them. */
export interface Straggler {
  readonly userId: string;
  readonly upn: string;
  readonly reason: StragglerReason;
  /** The wave that nudged the user, and whole days since (null: not nudged). */
  readonly nudgeWaveId: string | null;
  readonly daysSinceNudge: number | null;
  /** The user's retirement date and whole days to it (0 on the day, negative after). */
  readonly retirementDate: string;
  readonly daysToDate: number;
  /** The last Temporary Access Pass issued (`mfa-rollout issue-tap`), never the pass itself; null: none. */
  readonly tap: { readonly issuedAt: string; readonly expiresAt: string; readonly valid: boolean } | null;
}

export interface StragglerList {
  /** Stragglers in all (unbounded), and by reason. */
  readonly count: number;
  readonly byReason: Readonly<Record<StragglerReason, number>>;
  /** At most `listLimit`, the longest nudged first (never nudged last, then by user id). */
  readonly users: readonly Straggler[];
}

export interface StragglerCollector {
  add(user: RosterUser, tap: TapRecord | null): void;
  finish(): StragglerList;
}

const dayMs = 86_400_000;
const reasons: readonly StragglerReason[] = ['passkeyRemoved', 'needsTap', 'smsOnlyNearDeadline', 'notRegisteredAfterNudge'];

/**
 * The stragglers by name, in one pass over the roster (pure; memory: a heap of at most `listLimit` users). A present
 * user in the journey and not excluded now is a straggler when `stragglerReason` says so (the night's check order
 * uses the same); parked users are listed as parked. The
 * report has no Graph: Global Administrators are not known here, so their later date applies only to external users
 * (guests); a Global Administrator is listed against the general date, which is the earlier one.
 */
export function collectStragglers(settings: StragglerSettings & Pick<Config, 'breakGlass' | 'exclusionGroupId' | 'excludeUpnPatterns'>, now: Date, listLimit = 200): StragglerCollector {
  const excluded = createExclusionCheck(settings);
  const byReason = Object.fromEntries(reasons.map((reason) => [reason, 0])) as Record<StragglerReason, number>;
  // the longest nudged first; never nudged last
  const heap = boundedHeap<Straggler & { readonly order: number }>(listLimit, (a, b) => b.order - a.order || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  let count = 0;
  return {
    add(user, tap) {
      const { progress, directory } = user;
      if (!user.present || progress.state === 'new' || progress.state === 'announced' || progress.state === 'parked' || progress.state === 'rolledBack') return;
      if (excluded(directory) !== null) return; // excluded since entering: the nights no longer look at them either
      const laterDate = directory.userType === 'Guest';
      const reason = stragglerReason(progress.journey, settings, laterDate, now, tap);
      if (reason === null) return;
      count += 1;
      byReason[reason] += 1;
      const nudge = nudgeOf(progress.journey, settings.campaignMode);
      const nudgedAt = nudge === null ? Number.NaN : Date.parse(nudge.at);
      const daysSinceNudge = Number.isNaN(nudgedAt) ? null : Math.floor((now.getTime() - nudgedAt) / dayMs);
      const retirementDate = retirementDateFor(laterDate, settings);
      heap.offer({
        userId: directory.id,
        upn: directory.userPrincipalName,
        reason,
        nudgeWaveId: nudge?.waveId ?? null,
        daysSinceNudge,
        retirementDate,
        daysToDate: daysUntil(retirementDate, now),
        tap: tap === null ? null : { issuedAt: tap.issuedAt, expiresAt: tap.expiresAt, valid: Date.parse(tap.expiresAt) > now.getTime() },
        order: daysSinceNudge ?? -1,
      });
    },
    finish() {
      return { count, byReason: { ...byReason }, users: heap.sorted().map(({ order: _order, ...straggler }) => straggler) };
    },
  };
}
