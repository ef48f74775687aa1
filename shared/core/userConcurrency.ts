import type { Config } from '../config/configSchema.js';

/** The phases of the rollout that work on many users at once. */
export type UserPhase = 'reconcile' | 'probe' | 'enforce' | 'mail' | 'verify' | 'rollback';

/** Calls in one JSON `$batch` request (Graph's limit). */
export const batchSize = 20;

/**
 * How many users a phase works on at once. These sit on top of the gateway's own limit of MFA_GRAPH_CONCURRENCY
 * requests in flight, which is what Graph sees; the numbers here only decide how many calls wait in the gateway,
 * ready to fill its requests (and its `$batch` envelopes of up to 20 calls).
 *
 * - `probe`: one read per user, so 20 users per request slot fill every slot with a full batch.
 * - `enforce`: the users of a wave in flight at once, and so the most that can still be attempted after the
 *   failure-rate breaker trips or storage fails: two batches' worth (40) with batching, else twice
 *   MFA_GRAPH_CONCURRENCY. Writes are paced to Graph's write quota (about 20 per second per app and tenant) and a
 *   user's two writes follow each other, so a few dozen users in flight keep the pacer fed (docs/benchmarks.md).
 * - `reconcile`, `mail`, `verify`, `rollback`: a read or two per user, 4 per request slot.
 */
export function userConcurrency(config: Pick<Config, 'graphConcurrency' | 'graphUseBatch'>, phase: UserPhase): number {
  switch (phase) {
    case 'probe':
      return config.graphConcurrency * batchSize;
    case 'enforce':
      return config.graphUseBatch ? 2 * batchSize : 2 * config.graphConcurrency;
    case 'reconcile':
    case 'mail':
    case 'verify':
    case 'rollback':
      return config.graphConcurrency * 4;
  }
}
