import type { Config } from '../config/configSchema.js';
import { boundedHeap } from '../core/boundedHeap.js';
import type { WavePlanner } from '../core/createWavePlanner.js';
import { createExclusionCheck } from '../core/exclusions.js';
import { isVerificationDue, verificationOrder, verificationsPerNight } from '../core/verificationDue.js';
import { isCorruptRow, type CorruptRow, type RosterRow } from '../adapters/tables/rosterTable.js';
import type { PreflightRosterFacts } from './runPreflight.js';

/** What one read of the roster gives the night, besides the users it fed to the planner. */
export interface NightRoster {
  /** The users the strategy preflight asks about (present, not corrupt). */
  readonly preflight: PreflightRosterFacts;
  /** Rows left `inFlight` by a run that died, to reconcile before they are planned (at most MFA_MAX_WAVE_SIZE). */
  readonly inFlight: readonly RosterRow[];
  readonly corruptRows: readonly string[];
  /** Enforced users whose registration is checked tonight (`verificationsPerNight` at most). */
  readonly verificationDue: readonly RosterRow[];
}

/**
 * The night's one read of the roster, after the refresh: every row goes once through here. Rows are fed to the
 * planner with themselves as payload (so tonight's users come back with their ETag), except rows left in flight,
 * which the night reconciles from Graph first and then feeds (`inFlight`). Memory: the planner's bounded heaps, the
 * ids of the rollout's users for the preflight (as before), at most MFA_MAX_WAVE_SIZE in-flight rows (more are left
 * for the next night; a wave has at most `userConcurrency(config, 'enforce')` users in flight when it dies) and at
 * most `verificationsPerNight` rows to verify.
 */
export async function readNightRoster(rows: AsyncIterable<RosterRow | CorruptRow>, planner: WavePlanner<RosterRow>, config: Config, now: Date): Promise<NightRoster> {
  const excluded = createExclusionCheck(config);
  const rolloutUserIds = new Set<string>();
  const wanted = new Map(config.breakGlass.map((name) => [name.toLowerCase(), name]));
  const breakGlassIds = new Map<string, string>();
  const inFlight: RosterRow[] = [];
  const corruptRows: string[] = [];
  const due = boundedHeap<{ userId: string; progress: Extract<RosterRow['user']['progress'], { state: 'enforced' }>; row: RosterRow }>(verificationsPerNight(config), verificationOrder);
  for await (const row of rows) {
    if (isCorruptRow(row)) {
      corruptRows.push(row.userId);
      continue;
    }
    const { directory, progress, present } = row.user;
    if (present) {
      for (const key of [directory.id.toLowerCase(), directory.userPrincipalName.toLowerCase()]) {
        const name = wanted.get(key);
        if (name !== undefined) breakGlassIds.set(name, directory.id);
      }
      if (excluded(directory) === null) rolloutUserIds.add(directory.id);
    }
    if (isVerificationDue(progress, config, now)) due.offer({ userId: directory.id, progress, row });
    if (progress.state === 'inFlight' && inFlight.length < config.maxWaveSize) inFlight.push(row);
    else planner.add(row.user, row);
  }
  return {
    preflight: { rolloutUserIds, breakGlass: config.breakGlass.map((name) => ({ name, id: breakGlassIds.get(name) ?? null })) },
    inFlight,
    corruptRows,
    verificationDue: due.sorted().map((entry) => entry.row),
  };
}
