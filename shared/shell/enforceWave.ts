import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import type { TrackPlan } from '../core/journey/createTrackPlanner.js';
import type { JourneyMode, MethodAvailability } from '../core/journey/journeyTypes.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import { userConcurrency } from '../core/userConcurrency.js';
import type { WavePlan } from '../core/wavePlan.js';
import { createWaveTally, type WaveTally, type WaveVerdict } from '../core/waveTally.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import type { LeaseKeeper } from './leaseKeeper.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { runJourney, type JourneyRunContext } from './runJourney.js';
import type { TimeBudget } from './timeBudget.js';

export interface EnforceOptions {
  readonly config: Config;
  readonly clock: () => Date;
  readonly ports: RolloutPorts;
  readonly waveId: string;
  readonly keeper: LeaseKeeper;
  readonly budget: TimeBudget;
  readonly availability: (user: DirectoryUser) => MethodAvailability;
  readonly mfaSignIns: ReadonlyMap<string, string> | null;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Tonight's users, each through their journey (`runJourney`): first the users entering (the plan's `enforce`), then
 * the registered users moving on (`track.advance`), then the users looked at (`track.check`), at most
 * `userConcurrency(config, 'enforce')` at a time (40 with batching). The tally decides: each user's outcome goes into
 * it, and no user starts once it says stop (the breaker tripped, the time budget is spent, the lease was lost or
 * storage failed). Users in flight who have not written anything yet are then left untouched; those who have finish
 * their step. After storage fails or the lease is lost no Graph write starts at all: the users in flight stop before
 * their next write and stay in flight for the next run's reconcile. Returns the tally's verdict; throws the error
 * the run stopped on.
 */
export async function enforceWave(plan: WavePlan<RosterRow>, track: TrackPlan<RosterRow>, options: EnforceOptions): Promise<WaveVerdict> {
  const { config, ports, keeper, budget } = options;
  const total = plan.enforce.length + track.advance.length + track.check.length;
  const tally = createWaveTally(config, plan.enforce.length + track.advance.length);
  const context: JourneyRunContext = {
    waveId: options.waveId, config, clock: options.clock, ports, availability: options.availability, mfaSignIns: options.mfaSignIns,
    writesStopped: () => tally.fatal ?? keeper.lost(),
    mayBegin: () => tally.mayStart(),
  };
  const limit = pLimit(userConcurrency(config, 'enforce'));
  let done = 0;
  const phase = (rows: readonly RosterRow[], mode: JourneyMode) => Promise.all(rows.map((row) => limit(async () => {
    if (!mayGoOn(tally, keeper, budget)) return;
    try {
      const result = await runJourney(row, mode, context);
      if (result.kind === 'notStarted') return;
      tally.record(result.kind === 'skipped' ? { kind: 'skipped' } : result.outcome);
    } catch (error) {
      tally.abort(toRolloutError(error));
      return;
    }
    done += 1;
    options.onProgress?.(done, total);
  })));
  await phase(plan.enforce.map((planned) => planned.payload), 'enter');
  await phase(track.advance.map((candidate) => candidate.payload), 'advance');
  await phase(track.check.map((candidate) => candidate.payload), 'check');
  return tally.verdict();
}

function mayGoOn(tally: WaveTally, keeper: LeaseKeeper, budget: TimeBudget): boolean {
  const lost = keeper.lost();
  if (lost !== null) tally.abort(lost);
  if (budget.spent()) tally.stopForTimeBudget();
  return tally.mayStart();
}
