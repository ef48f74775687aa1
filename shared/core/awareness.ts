import type { Config } from '../config/configSchema.js';
import type { RolloutProgress } from './rosterUser.js';
import { daysHavePassed, nightGraceMs } from './nightGrace.js';
import { projectWaveSizes } from './waveSizing.js';

/**
 * Where a plannable user stands with their notice:
 * - `due`: may be enforced tonight;
 * - `toAnnounce`: a `new` user, who must be announced first (only while `noticeDays > 0`);
 * - `awaitingNotice`: announced, the notice period (`noticeDays` as configured tonight) not over yet;
 * - `promisedDate`: announced, the notice period over, but the notice gave a later date (`enforceFrom`): the user
 *   is never enforced before the date they were told, whatever the settings say now.
 */
export type NoticeStanding = 'due' | 'toAnnounce' | 'awaitingNotice' | 'promisedDate';

/**
 * The notice rule:
 * - `noticeDays: 0` switches announcements off: a `new` user may be enforced directly;
 * - a retry (`failed`) needs no new notice: its date has come;
 * - an `announced` user once `announcedAt + noticeDays × 24 h <= now + nightGraceMs` (instants, not calendar
 *   days; the grace absorbs a nightly job's varying start time) and `enforceFrom <= now + nightGraceMs`; an
 *   unreadable time is never due.
 * Every other state is not plannable at all (`awaitingNotice` is returned for them, and never used).
 */
export function noticeStanding(progress: RolloutProgress, config: Pick<Config, 'noticeDays'>, now: Date): NoticeStanding {
  switch (progress.state) {
    case 'new':
      return config.noticeDays === 0 ? 'due' : 'toAnnounce';
    case 'failed':
      return 'due';
    case 'active':
      // an entry a run left half-way (its row changed under it) goes on: the notice was served when it began
      return progress.journey.entryCompleteAt === null ? 'due' : 'awaitingNotice';
    case 'announced':
      if (!daysHavePassed(progress.announcedAt, config.noticeDays, now)) return 'awaitingNotice';
      return progress.enforceFrom === undefined || dateHasCome(progress.enforceFrom, now) ? 'due' : 'promisedDate';
    default:
      return 'awaitingNotice';
  }
}

/** Whether the notice period and the promised date allow enforcing a user tonight (`noticeStanding` is `due`). */
export function noticeServed(progress: RolloutProgress, config: Pick<Config, 'noticeDays'>, now: Date): boolean {
  return noticeStanding(progress, config, now) === 'due';
}

/** A promised instant has come tonight (within the start-time grace); an unreadable one never has. */
export function dateHasCome(instant: string, now: Date): boolean {
  return Date.parse(instant) <= now.getTime() + nightGraceMs;
}

export interface AnnounceInput {
  /** Tonight's ramp wave size (`nextWaveSize`): the first projected wave. */
  readonly currentSize: number;
  /** Whether tonight's wave enforces anybody from this pool. */
  readonly enforcesTonight: boolean;
  /** Users of this pool announced (or failed, awaiting retry) and still not enforced once tonight's wave is done. */
  readonly outstanding: number;
}

/**
 * The announce-ahead rule: how many more users to announce tonight (the next ones in plan order).
 *
 * Users announced tonight become enforceable `noticeDays` nights later. So that one wave follows another every
 * night, the announced-but-not-yet-enforced users, counted after tonight's wave, must cover the projected sizes
 * of the next `noticeDays` waves, projected with clean growth from the current size (`projectWaveSizes`:
 * s, ceil(s×g), ... capped at maxWaveSize). If tonight's wave enforced someone, the next waves are the ones after
 * it (s×g, s×g², ...); if not (the first nights, or a night waiting for notice) they start at s. The shortfall is
 * announced. From a standing start this gives an initial gap of `noticeDays` nights, then one wave per night; a
 * wave that does not grow leaves some users announced longer than the notice period, never shorter.
 * With `noticeDays: 0` nobody is announced.
 */
export function announceCount(input: AnnounceInput, config: Pick<Config, 'noticeDays' | 'waveGrowth' | 'maxWaveSize'>): number {
  if (config.noticeDays === 0) return 0;
  const sizes = projectWaveSizes(input.currentSize, config.noticeDays + 1, config);
  const upcoming = input.enforcesTonight ? sizes.slice(1) : sizes.slice(0, config.noticeDays);
  const needed = upcoming.reduce((sum, size) => sum + size, 0);
  return Math.max(0, needed - input.outstanding);
}
