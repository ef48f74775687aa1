import type { Config } from '../config/configSchema.js';
import type { WavePlanner } from '../core/createWavePlanner.js';
import { createExclusionCheck } from '../core/exclusions.js';
import type { TrackCandidate, TrackPlanner } from '../core/journey/createTrackPlanner.js';
import type { RosterUser } from '../core/rosterUser.js';
import { createRingAssigner, rolloutOrderKey } from '../core/rings.js';
import { isCorruptRow, type CorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { PreflightRosterFacts } from './runPreflight.js';

/** What one read of the roster gives the night, besides the users it fed to the planners. */
export interface NightRoster {
  /** The users the strategy preflight asks about (present, not corrupt). */
  readonly preflight: PreflightRosterFacts;
  /** Rows left `inFlight` by a run that died, to reconcile before they are planned (at most MFA_MAX_WAVE_SIZE). */
  readonly inFlight: readonly RosterRow[];
  readonly corruptRows: readonly string[];
}

/**
 * The night's one read of the roster, after the refresh: every row goes once through here. Rows are fed to the wave
 * planner (who enters tonight, who is announced) with themselves as payload, so tonight's users come back with their
 * ETag; users already in the journey also go to the track planner (who moves on, who is checked), unless they are
 * gone or excluded now; every readable row is counted by `postures` (the night's users by posture, as it begins). Rows left in flight are reconciled from Graph first and then fed (`inFlight`). Memory: the
 * planners' bounded heaps, the ids of the rollout's users for the preflight, at most MFA_MAX_WAVE_SIZE in-flight
 * rows (more are left for the next night; a wave has at most `userConcurrency(config, 'enforce')` users in flight
 * when it dies).
 */
export async function readNightRoster(
  rows: AsyncIterable<RosterRow | CorruptRow>,
  planner: WavePlanner<RosterRow>,
  config: Config,
  track?: { readonly planner: TrackPlanner<RosterRow>; readonly globalAdminIds: ReadonlySet<string> },
  postures?: { add(user: RosterUser): void },
): Promise<NightRoster> {
  const excluded = createExclusionCheck(config);
  const toCandidate = track === undefined ? undefined : trackCandidates(config, track.globalAdminIds);
  const rolloutUserIds = new Set<string>();
  const wanted = new Map(config.breakGlass.map((name) => [name.toLowerCase(), name]));
  const breakGlassIds = new Map<string, string>();
  const inFlight: RosterRow[] = [];
  const corruptRows: string[] = [];
  for await (const row of rows) {
    if (isCorruptRow(row)) {
      corruptRows.push(row.userId);
      continue;
    }
    postures?.add(row.user);
    const { directory, progress, present } = row.user;
    const notExcluded = excluded(directory) === null;
    if (present) {
      for (const key of [directory.id.toLowerCase(), directory.userPrincipalName.toLowerCase()]) {
        const name = wanted.get(key);
        if (name !== undefined) breakGlassIds.set(name, directory.id);
      }
      if (notExcluded) rolloutUserIds.add(directory.id);
    }
    if (progress.state === 'inFlight' && inFlight.length < config.maxWaveSize) {
      inFlight.push(row);
      continue;
    }
    planner.add(row.user, row);
    const candidate = toCandidate?.(row) ?? null;
    if (candidate !== null) track?.planner.add(candidate);
  }
  return {
    preflight: { rolloutUserIds, breakGlass: config.breakGlass.map((name) => ({ name, id: breakGlassIds.get(name) ?? null })) },
    inFlight,
    corruptRows,
  };
}

/**
 * The track planner's view of a row: users in the journey who are present and not excluded now (a user who left,
 * or was excluded since entering, is neither moved on nor looked at); null for the others.
 */
export function trackCandidates(config: Config, globalAdminIds: ReadonlySet<string>): (row: RosterRow) => TrackCandidate<RosterRow> | null {
  const excluded = createExclusionCheck(config);
  const ringOf = createRingAssigner(config);
  return (row) => {
    const { directory, progress, present } = row.user;
    if (!present || progress.state === 'new' || progress.state === 'announced' || excluded(directory) !== null) return null;
    return {
      id: directory.id,
      ringRank: ringOf(directory).rank,
      orderKey: rolloutOrderKey(config.rolloutId, directory.id),
      progress,
      isGlobalAdmin: globalAdminIds.has(directory.id.toLowerCase()),
      tap: row.tap,
      payload: row,
    };
  };
}
