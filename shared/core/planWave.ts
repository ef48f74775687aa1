import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from './createWavePlanner.js';
import type { RosterUser } from './rosterUser.js';
import type { WaveSummary } from './waveHistory.js';
import type { WavePlan } from './wavePlan.js';

/**
 * Plans tonight's wave. Pure: the same roster (in any order), history, config and `now` give the same plan.
 *
 * - Halted (`haltState`, no auto-resume due): status `halted`, nothing enforced, announced or probed.
 * - Never planned: users not `present`, `inFlight` (the shell reconciles them first), `enforced`, `parked`,
 *   `rolledBack`, excluded (`exclusions.ts`) or not ready (`readiness.ts`).
 * - Plan order: ring (`pilot`, configured rings, `everyone`), retries first within a ring, then the stable
 *   hash of (rolloutId, user id) (`rolloutOrderKey`).
 * - Pilot first: while any ready pilot user is not enforced (new, announced, failed or in flight) the wave is a
 *   pilot wave: only pilot users, up to the whole ready pilot ring capped at `maxWaveSize`. Otherwise the ramp
 *   size (`nextWaveSize`).
 * - Enforced tonight: the first `targetSize` users in plan order whose notice is served and whose promised date
 *   has come (`noticeStanding`): a settings change never enforces anyone before the date their notice gave.
 * - Announced tonight (noticeDays > 0): every new ready pilot user (at most `maxWaveSize` pilot users awaiting
 *   notice at a time), and the next new non-pilot users by the announce-ahead rule (`announceCount`). Each is given
 *   the night the ramp is projected to reach them (`projectEnforcementNights`) as their date (`enforceFrom`).
 * - Counted per ring in rollout order (`rings`), and in `promises`: users held tonight only by their date, and
 *   users whose date has passed and who are still not enforced (late).
 * - Probed: users held back only by the phone (counted under the phone's reason) whose methods are unknown or older
 *   than 7 days, in plan order, at most 5 × targetSize; `probeDue` counts all of them.
 */
export function planWave(users: Iterable<RosterUser>, history: readonly WaveSummary[], config: Config, now: Date): WavePlan {
  const planner = createWavePlanner(history, config, now);
  for (const user of users) planner.add(user);
  return planner.finish();
}
