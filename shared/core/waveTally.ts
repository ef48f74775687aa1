import type { Config } from '../config/configSchema.js';
import type { RolloutError } from '../errors/RolloutError.js';
import { shouldHalt } from './haltPolicy.js';
import { topErrors } from './topErrors.js';
import { noJourneyCounts, type ErrorCount, type JourneyCounts } from './waveHistory.js';

/** The journey steps a user's night wrote, and whether the target method was first seen tonight (counted per wave). */
export interface NightSteps {
  readonly nudged?: boolean;
  readonly registered?: boolean;
  readonly phishingResistant?: boolean;
  readonly phoneRetired?: boolean;
}

/** How one user's night ended, as the wave counts it. */
export type UserOutcome =
  /** Entered or moved on, MFA required of them (`alreadyDone`: nothing had to be written for that). */
  | ({ readonly kind: 'enforced'; readonly alreadyDone: boolean; readonly phoneMethodWritten: boolean; readonly advanced?: boolean } & NightSteps)
  /** Entered with no method to do MFA with (the passkey track's Temporary Access Pass path): attempted, not enforced. */
  | ({ readonly kind: 'awaitingTap' } & NightSteps)
  /** `phoneMethodWritten`: the attempt created the mobile phone method before it failed (rollback may remove it). */
  | ({ readonly kind: 'failed'; readonly errorCode: string; readonly message: string; readonly phoneMethodWritten: boolean; readonly advanced?: boolean } & NightSteps)
  /** A check night: the live methods were read (reads only, so not an attempt the breaker counts). */
  | ({ readonly kind: 'checked' } & NightSteps)
  /** The row changed under the run (ETag): the user is left for the next run. */
  | { readonly kind: 'skipped' };

export interface WaveCounts {
  readonly attempted: number;
  readonly enforced: number;
  readonly alreadyDone: number;
  /** Mobile phone methods the wave created, for users it enforced and for users who failed after the create. */
  readonly phoneMethodsRegistered: number;
  readonly failed: number;
  /** Users set aside because their row changed under the run. */
  readonly rowChanged: number;
  readonly journey: JourneyCounts;
}

/** What the tally says the wave was, once no user is left in flight. */
export interface WaveVerdict {
  readonly status: 'completed' | 'halted' | 'stopped';
  readonly reason: string | null;
  readonly counts: WaveCounts;
  readonly topErrors: readonly ErrorCount[];
}

/**
 * The running count of one wave and the decision to go on. Pure (no I/O, no clock): the shell feeds each user's
 * outcome in (`record`), tells it when the time budget is spent (`stopForTimeBudget`) or when the run cannot go on
 * (`abort`: storage failed, the lease was lost), and asks before starting a user (`mayStart`) and before each Graph
 * write (`fatal`). Once the breaker trips, the budget is spent or the run aborted, no new user starts; users already
 * in flight finish (after an abort, they stop before their next write) and are still counted.
 */
export interface WaveTally {
  mayStart(): boolean;
  record(outcome: UserOutcome): void;
  stopForTimeBudget(): void;
  /** The first error the run cannot go on after; later ones are dropped. */
  abort(error: RolloutError): void;
  /** Set once the run aborted: no new Graph write may start. */
  readonly fatal: RolloutError | null;
  /** Users with an outcome so far (attempted, or set aside because their row changed). */
  readonly settled: number;
  /** The close of the wave; throws the fatal error when the run aborted (the wave is then `stopped` on it). */
  verdict(): WaveVerdict;
}

/**
 * Errors that say nothing about the user (retryDecision does not park for them): a missing Graph permission, a
 * credential Graph refuses, an object a setting names that Graph does not know. They halt the rollout even when the
 * failure-rate rule did not trip (a wave smaller than MFA_HALT_MIN_ATTEMPTS, or only the users needing one kind of
 * write met it): otherwise every night would spend another attempt of the same users on them, until they are parked.
 */
export const tenantWideCodes: ReadonlySet<string> = new Set(['GRAPH_PERMISSION_MISSING', 'GRAPH_AUTH_FAILED', 'GRAPH_NOT_FOUND']);

type TallyConfig = Pick<Config, 'haltMinAttempts' | 'haltFailureRate' | 'timeBudgetMinutes'>;

export function createWaveTally(config: TallyConfig, planned: number): WaveTally {
  const counts = { attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0, rowChanged: 0 };
  const journey = { ...noJourneyCounts };
  const countSteps = (steps: NightSteps) => {
    if (steps.nudged === true) journey.nudged += 1;
    if (steps.registered === true) journey.registered += 1;
    if (steps.phishingResistant === true) journey.phishingResistant += 1;
    if (steps.phoneRetired === true) journey.phoneRetired += 1;
  };
  const errorCodes: string[] = [];
  /** The first message of each tenant-wide error (it names the missing permission, or the credential at fault). */
  const tenantWide = new Map<string, string>();
  /** The counts when the breaker tripped: users already in flight still finish and change `counts` afterwards. */
  let tripped: { readonly attempted: number; readonly failed: number } | null = null;
  let timeBudgetSpent = false;
  let fatal: RolloutError | null = null;

  return {
    mayStart: () => tripped === null && !timeBudgetSpent && fatal === null,
    record(outcome) {
      switch (outcome.kind) {
        case 'enforced':
          counts.attempted += 1;
          if (outcome.advanced === true) {
            // moved on (phishing-resistant, phone-retired): MFA was required of them on an earlier night
            journey.advanced += 1;
          } else {
            counts.enforced += 1;
            if (outcome.alreadyDone) counts.alreadyDone += 1;
          }
          if (outcome.phoneMethodWritten) counts.phoneMethodsRegistered += 1;
          countSteps(outcome);
          break;
        case 'awaitingTap':
          counts.attempted += 1;
          journey.awaitingTap += 1;
          countSteps(outcome);
          break;
        case 'checked':
          journey.checked += 1;
          countSteps(outcome);
          break;
        case 'failed':
          counts.attempted += 1;
          counts.failed += 1;
          if (outcome.phoneMethodWritten) counts.phoneMethodsRegistered += 1;
          errorCodes.push(outcome.errorCode);
          if (tenantWideCodes.has(outcome.errorCode) && !tenantWide.has(outcome.errorCode)) tenantWide.set(outcome.errorCode, outcome.message);
          if (outcome.advanced === true) journey.advanced += 1;
          countSteps(outcome);
          break;
        case 'skipped':
          counts.rowChanged += 1;
          break;
      }
      if (tripped === null && shouldHalt(counts, config)) tripped = { attempted: counts.attempted, failed: counts.failed };
    },
    stopForTimeBudget() {
      timeBudgetSpent = true;
    },
    abort(error) {
      fatal ??= error;
    },
    get fatal() {
      return fatal;
    },
    get settled() {
      return counts.attempted + counts.rowChanged;
    },
    verdict() {
      if (fatal !== null) throw fatal;
      const top = topErrors(errorCodes);
      const closed = { counts: { ...counts, journey: { ...journey } }, topErrors: top };
      if (tripped !== null || tenantWide.size > 0) {
        return { ...closed, status: 'halted', reason: haltReason(tripped, counts, tenantWide, top, config) };
      }
      if (timeBudgetSpent) {
        const left = planned - counts.attempted - counts.rowChanged;
        return { ...closed, status: 'stopped', reason: `time budget of ${config.timeBudgetMinutes} min reached; ${left} planned users continue next night` };
      }
      return { ...closed, status: 'completed', reason: null };
    },
  };
}

function haltReason(
  tripped: { readonly attempted: number; readonly failed: number } | null,
  counts: { readonly attempted: number; readonly failed: number },
  tenantWide: ReadonlyMap<string, string>,
  top: readonly ErrorCount[],
  config: TallyConfig,
): string {
  const trip = tripped ?? counts;
  const rate = Math.round((trip.failed / Math.max(1, trip.attempted)) * 1000) / 10;
  const cause = tripped === null
    ? `${trip.failed} of ${trip.attempted} users failed on an error that is the tenant's or the app's, not theirs`
    : `failure rate ${rate}% after ${trip.attempted} users exceeded MFA_HALT_FAILURE_RATE ${config.haltFailureRate * 100}%`;
  const said = [...tenantWide.entries()].map(([code, message]) => `; ${code}: ${message}`).join('');
  return `${cause}; top errors: ${top.map((entry) => `${entry.code} ×${entry.count}`).join(', ')}${said}`;
}
