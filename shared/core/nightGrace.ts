const dayMs = 24 * 60 * 60 * 1000;

/**
 * A nightly job does not start at the same second every night (a timer fires a little early or late, a run
 * takes a while to reach planning, a wave writes for minutes). A period of whole days that ends within this
 * margin after `now` counts as over, so a user announced at 01:00:03 is enforced at 01:00:01 three nights later,
 * and a user enforced at 01:20 is verified two nights later at 01:00, instead of each slipping a whole night.
 * Nothing happens more than this margin before its period ends.
 */
export const nightGraceMs = 60 * 60 * 1000;

/** Have `days` days passed since the instant `sinceIso`, as a nightly job counts them (within `nightGraceMs`)? */
export function daysHavePassed(sinceIso: string, days: number, now: Date): boolean {
  return Date.parse(sinceIso) + days * dayMs <= now.getTime() + nightGraceMs;
}
