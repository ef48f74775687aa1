import type { Config } from '../config/configSchema.js';
import { compareWaves } from './compareWaves.js';
import { failureRate } from './failureRate.js';
import { rollbackBrake } from './haltPolicy.js';
import { nightOf } from './nightOf.js';
import type { WaveSummary } from './waveHistory.js';

export type SizingConfig = Pick<Config, 'waveSize' | 'waveGrowth' | 'maxWaveSize' | 'warnFailureRate' | 'waveSchedule'>;

/**
 * Size of the next non-pilot wave, from the history and tonight's config (settings change by app setting
 * without a redeploy, so nothing is remembered: a lowered MFA_MAX_WAVE_SIZE applies at once).
 *
 * Only ramp waves count: `kind: 'enforce'`, not pilot, with at least one user planned. Held nights, resume and
 * rollback records, pilot waves and nights that only announced (the notice gap) are skipped. The ramp counts
 * nights, not runs (`nightOf`): the waves of one night (a rerun with `run-wave --again`) are judged together.
 * - A ramp wave already ran tonight (`now` given): tonight's size, the `targetSize` of its first ramp wave.
 * - No ramp wave yet: `waveSize`.
 * - The latest night with ramp waves was clean: `ceil(targetSize × waveGrowth)`, from its first wave's size. Clean
 *   means every ramp wave of that night `completed`, their failure rate together (failed/attempted) not above
 *   `warnFailureRate`, and one of them full (`planned >= targetSize`): a night that found fewer users than its size
 *   (a night of retries only, say) proved nothing about the bigger size.
 * - Otherwise (failure rate above warn, `stopped` by the time budget or a failure, `halted`, still `running` or
 *   died, or not full): the same `targetSize`.
 * - A rollback brakes (`rollbackBrake`): until an operator resumes, no wave is larger than the rolled-back one.
 * The result is capped at `maxWaveSize` and is at least 1.
 */
export function nextWaveSize(history: readonly WaveSummary[], config: SizingConfig, now?: Date): number {
  const brake = rollbackBrake(history);
  const size = rampSize(history, config, now === undefined ? null : nightOf(now, config));
  return cap(brake.braked ? Math.min(size, brake.maxWaveSize) : size, config);
}

function rampSize(history: readonly WaveSummary[], config: SizingConfig, tonight: string | null): number {
  const ramp = history.filter((wave) => wave.kind === 'enforce' && !wave.pilot && wave.planned > 0).sort(compareWaves);
  const nightOfWave = (wave: WaveSummary) => nightOf(wave.startedAt, config) ?? `unreadable ${wave.waveId}`;
  const tonights = ramp.find((wave) => nightOfWave(wave) === tonight);
  if (tonights !== undefined) return tonights.targetSize;
  const last = ramp.at(-1);
  if (last === undefined) return config.waveSize;
  const night = ramp.filter((wave) => nightOfWave(wave) === nightOfWave(last));
  const first = night[0] ?? last;
  const together = night.reduce((sum, wave) => ({ attempted: sum.attempted + wave.attempted, failed: sum.failed + wave.failed }), { attempted: 0, failed: 0 });
  const clean = night.every((wave) => wave.status === 'completed')
    && night.some((wave) => wave.planned >= first.targetSize)
    && failureRate(together) <= config.warnFailureRate;
  return clean ? grow(first.targetSize, config.waveGrowth) : first.targetSize;
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
