import pLimit from 'p-limit';
import type { Config } from '../config/configSchema.js';
import { userConcurrency } from '../core/userConcurrency.js';
import type { WavePlan } from '../core/wavePlan.js';
import { createWaveTally, type UserOutcome, type WaveVerdict } from '../core/waveTally.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import { enrolUser, type EnrolmentResult } from './enrolUser.js';
import type { LeaseKeeper } from './leaseKeeper.js';
import type { RolloutPorts } from './rolloutPorts.js';
import type { TimeBudget } from './timeBudget.js';

export interface EnforceOptions {
  readonly config: Config;
  readonly clock: () => Date;
  readonly ports: RolloutPorts;
  readonly waveId: string;
  readonly keeper: LeaseKeeper;
  readonly budget: TimeBudget;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Enrols tonight's planned users, `userConcurrency(config, 'enforce')` at a time (at most 40 in flight with
 * batching), and lets the tally decide: each user's outcome goes into it, and no user starts once it says stop (the
 * breaker tripped, the time budget is spent, the lease was lost or storage failed). Users in flight who have not
 * written anything yet are then left untouched; those who have finish their writes (both of a user's writes, so
 * no one is left half done). After storage fails or the lease is lost no Graph write starts at all: the users in
 * flight stop before their next write and stay in flight for the next run's reconcile.
 * Returns the tally's verdict; throws the error the run stopped on.
 */
export async function enforceWave(plan: WavePlan<RosterRow>, options: EnforceOptions): Promise<WaveVerdict> {
  const { config, ports, keeper, budget } = options;
  const tally = createWaveTally(config, plan.enforce.length);
  const context = {
    waveId: options.waveId, config, clock: options.clock, gateway: ports.gateway, roster: ports.roster, failures: ports.failures,
    writesStopped: () => tally.fatal ?? keeper.lost(),
    mayBegin: () => tally.mayStart(),
  };
  const limit = pLimit(userConcurrency(config, 'enforce'));
  await Promise.all(plan.enforce.map((planned) => limit(async () => {
    const lost = keeper.lost();
    if (lost !== null) tally.abort(lost);
    if (budget.spent()) tally.stopForTimeBudget();
    if (!tally.mayStart()) return;
    try {
      const result = await enrolUser(planned.payload, context);
      if (result.kind === 'notStarted') return;
      tally.record(userOutcome(result));
    } catch (error) {
      tally.abort(toRolloutError(error));
      return;
    }
    options.onProgress?.(tally.settled, plan.enforce.length);
  })));
  return tally.verdict();
}

function userOutcome(result: Exclude<EnrolmentResult, { kind: 'notStarted' }>): UserOutcome {
  switch (result.kind) {
    case 'enforced':
      return { kind: 'enforced', alreadyDone: result.alreadyDone, phoneMethodWritten: result.phoneMethodWritten };
    case 'failed':
      return { kind: 'failed', errorCode: result.error.code, message: result.error.message, phoneMethodWritten: result.phoneMethodWritten };
    case 'skipped':
      return { kind: 'skipped' };
  }
}
