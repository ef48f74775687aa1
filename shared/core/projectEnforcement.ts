import type { Config } from '../config/configSchema.js';
import { projectWaveSizes } from './waveSizing.js';

/** Users of one ring who become enforceable on the same night: the unit the projection moves. */
export interface BacklogEntry {
  /** The ring's place in the rollout order (0 = pilot). */
  readonly rank: number;
  /** Nights from tonight (1 = tomorrow) when their notice period and promised date both allow enforcing them. */
  readonly night: number;
  readonly users: number;
}

export interface ProjectionInput {
  /** Tonight is a pilot wave. */
  readonly pilotPhase: boolean;
  /** Tonight's ramp wave size (`nextWaveSize`). */
  readonly rampSize: number;
  /** Ramp users enforced tonight (0 on a pilot night). */
  readonly rampEnforcedTonight: number;
  /**
   * Users already announced (or failed, awaiting a retry) and not enforced tonight, by ring and by the night they
   * become enforceable (users due tonight who did not get a seat: night 1).
   */
  readonly backlog: readonly BacklogEntry[];
  /** Ready pilot users still to be announced after tonight (more than MFA_MAX_WAVE_SIZE awaiting notice at once). */
  readonly pilotUnannounced: number;
  /** Tonight's announcements, per ring, in plan order (ring first): the users to project. */
  readonly announced: readonly { readonly rank: number; readonly users: number }[];
}

/**
 * The night (counted from tonight) on which each user announced tonight is projected to be enforced, in the order
 * of `announced` (the plan order). Pure; the ramp is projected from tonight as the planner will run it if every
 * wave is clean and nobody new becomes ready:
 *
 * - users announced tonight become enforceable after MFA_NOTICE_DAYS (so no date is earlier than that);
 * - pilot first: while pilot users are left, each night is a pilot wave of up to MFA_MAX_WAVE_SIZE of them, and the
 *   pilot users not yet announced are announced as seats free up (at most MFA_MAX_WAVE_SIZE awaiting notice);
 * - then each night is a ramp wave of the projected size: tonight's size, grown by MFA_WAVE_GROWTH after each full
 *   wave (capped at MFA_MAX_WAVE_SIZE), not grown after a wave that found fewer users than its size;
 * - each wave takes the enforceable users in plan order: ring first; within a ring, users announced before tonight
 *   (in the order they become enforceable), then tonight's.
 *
 * Users who become ready later, and new announcements on later nights, come after tonight's in plan order (they
 * are announced later) and do not move these dates. A wave that fails, halts, stops on the time budget or shrinks
 * makes the ramp slower than projected: the users it did not reach are enforced later than their date (never
 * earlier), and the plan counts them as late.
 */
export function projectEnforcementNights(input: ProjectionInput, config: Pick<Config, 'noticeDays' | 'waveGrowth' | 'maxWaveSize'>): number[] {
  interface Queued { readonly rank: number; readonly fresh: boolean; readonly night: number; users: number; readonly index: number }
  const queue: Queued[] = [];
  input.backlog.forEach((entry) => queue.push({ rank: entry.rank, fresh: false, night: Math.max(1, entry.night), users: entry.users, index: -1 }));
  input.announced.forEach((entry, index) => queue.push({ rank: entry.rank, fresh: true, night: Math.max(1, config.noticeDays), users: entry.users, index }));
  // plan order among the users enforceable on a night: ring, then earlier notices first, then the night they became enforceable
  queue.sort((a, b) => a.rank - b.rank || Number(a.fresh) - Number(b.fresh) || a.night - b.night || a.index - b.index);

  const nights: number[][] = input.announced.map(() => []);
  let freshLeft = input.announced.reduce((sum, entry) => sum + entry.users, 0);
  let pilotUnannounced = input.pilotUnannounced;
  const grown = (size: number) => projectWaveSizes(size, 2, config)[1] ?? size;
  let rampSize = !input.pilotPhase && input.rampEnforcedTonight >= input.rampSize ? grown(input.rampSize) : input.rampSize;
  const pilotLeft = () => pilotUnannounced + queue.filter((entry) => entry.rank === 0).reduce((sum, entry) => sum + entry.users, 0);
  let pilotPhase = input.pilotPhase && pilotLeft() > 0;

  // a night with a user enforceable takes at least one; a ramp night without one skips to the next that has one, a pilot
  // night waits at most the notice period for each later batch of pilot announcements
  const lastNight = Math.max(config.noticeDays, ...queue.map((entry) => entry.night)) + (pilotUnannounced + 1) * (config.noticeDays + 1) + queue.reduce((sum, entry) => sum + entry.users, 0) + 1;
  let night = 1;
  for (; freshLeft > 0 && night <= lastNight; night++) {
    const seats = pilotPhase ? Math.min(pilotLeft(), config.maxWaveSize) : rampSize;
    let taken = 0;
    for (const entry of queue) {
      if (taken === seats) break;
      if (entry.users === 0 || entry.night > night || (entry.rank === 0) !== pilotPhase) continue;
      const users = Math.min(entry.users, seats - taken);
      entry.users -= users;
      taken += users;
      if (entry.fresh) {
        freshLeft -= users;
        for (let seat = 0; seat < users; seat++) nights[entry.index]?.push(night);
      }
    }
    if (pilotPhase) {
      const awaiting = queue.filter((entry) => entry.rank === 0).reduce((sum, entry) => sum + entry.users, 0);
      const announce = Math.min(pilotUnannounced, Math.max(0, config.maxWaveSize - awaiting));
      if (announce > 0) queue.push({ rank: 0, fresh: false, night: night + config.noticeDays, users: announce, index: -1 });
      pilotUnannounced -= announce;
      pilotPhase = pilotLeft() > 0;
    } else if (taken > 0 && taken >= rampSize) {
      rampSize = grown(rampSize);
    }
    if (taken === 0 && !pilotPhase) {
      // nobody enforceable tonight: the ramp waits for the next users to come due
      const next = Math.min(...queue.filter((entry) => entry.users > 0 && entry.rank > 0).map((entry) => entry.night));
      if (!Number.isFinite(next)) break;
      night = Math.max(night, next - 1);
    }
  }
  // never reached (the bound above always suffices): a user the projection did not place gets the night it stopped at
  input.announced.forEach((entry, index) => {
    while ((nights[index]?.length ?? entry.users) < entry.users) nights[index]?.push(night);
  });
  return nights.flat();
}
