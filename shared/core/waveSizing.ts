import type { Config } from '../config/configSchema.js';
import { compareWaves } from './compareWaves.js';
import { failureRate } from './failureRate.js';
import type { WaveSummary } from './waveHistory.js';

export type SizingConfig = Pick<Config, 'waveSize' | 'waveGrowth' | 'maxWaveSize' | 'warnFailureRate'>;

/**
 * Size of the next non-pilot wave, from the history and tonight's config (settings change by app setting
 * without a redeploy, so nothing is remembered: a lowered MFA_MAX_WAVE_SIZE applies at once).
 *
 * Only ramp waves count: `kind: 'enforce'`, not pilot, with at least one user planned. Held nights, resume and
 * rollback records, pilot waves and nights that only announced (the notice gap) are skipped.
 * - No ramp wave yet: `waveSize`.
 * - The latest ramp wave was clean: `ceil(targetSize × waveGrowth)`. Clean means `completed`, failure rate
 *   (failed/attempted) not above `warnFailureRate`, and full (`planned >= targetSize`): a wave that found
 *   fewer users than its size (a night of retries only, say) proved nothing about the bigger size.
 * - Otherwise (failure rate above warn, `stopped` by the time budget, `halted`, still `running` or died, or
 *   not full): the same `targetSize`.
 * The result is capped at `maxWaveSize` and is at least 1.
 */
export function nextWaveSize(history: readonly WaveSummary[], config: SizingConfig): number {
  const ramp = history.filter((wave) => wave.kind === 'enforce' && !wave.pilot && wave.planned > 0).sort(compareWaves);
  const last = ramp.at(-1);
  if (last === undefined) return cap(config.waveSize, config);
  const clean =
    last.status === 'completed' && last.planned >= last.targetSize && failureRate(last) <= config.warnFailureRate;
  return cap(clean ? grow(last.targetSize, config.waveGrowth) : last.targetSize, config);
}

/** The pilot wave is the whole ready pilot ring still to enforce, capped at `maxWaveSize`. */
export function pilotWaveSize(readyPilotUsers: number, config: Pick<Config, 'maxWaveSize'>): number {
  return Math.max(0, Math.min(readyPilotUsers, config.maxWaveSize));
}

/**
 * `count` wave sizes starting at `first`, growing as if every wave were clean:
 * `first`, `ceil(first × g)`, `ceil(ceil(first × g) × g)`, ... each capped at `maxWaveSize`.
 */
export function projectWaveSizes(first: number, count: number, config: Pick<Config, 'waveGrowth' | 'maxWaveSize'>): number[] {
  const sizes: number[] = [];
  let size = cap(first, config);
  for (let index = 0; index < count; index++) {
    sizes.push(size);
    size = cap(grow(size, config.waveGrowth), config);
  }
  return sizes;
}

/** `ceil(size × growth)`, immune to binary fractions (50 × 1.1 is 55.000000000000007, not 56). */
function grow(size: number, growth: number): number {
  return Math.ceil(size * growth - 1e-9);
}

function cap(size: number, config: Pick<Config, 'maxWaveSize'>): number {
  return Math.max(1, Math.min(size, config.maxWaveSize));
}
