import type { Config } from '../config/configSchema.js';
import type { RolloutError } from '../errors/RolloutError.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { Lease } from '../adapters/tables/runLease.js';

export interface LeaseKeeper {
  /** Set once a renewal failed (another run took the lease, or storage failed): the holder must stop writing. */
  lost(): RolloutError | null;
  /** Stops renewing (the holder then releases the lease). */
  stop(): void;
}

/**
 * Renews a run lease every third of MFA_LEASE_SECONDS while its holder works (the night, a rollback), so that a
 * long run never outlives its lease and overlaps another. A renewal that fails marks the lease lost; the holder
 * checks `lost()` before each write and stops.
 */
export function keepLease(lease: Lease, config: Pick<Config, 'leaseSeconds'>, clock: () => Date, logger: Logger): LeaseKeeper {
  let lost: RolloutError | null = null;
  const timer = setInterval(() => {
    lease.renew(clock(), config.leaseSeconds).catch((error: unknown) => {
      lost ??= toRolloutError(error, 'LEASE_HELD');
      logger.event('lease.lost', { holder: lease.holder, errorCode: lost.code }, 'error');
    });
  }, Math.max(1000, (config.leaseSeconds * 1000) / 3));
  timer.unref();
  return { lost: () => lost, stop: () => clearInterval(timer) };
}
