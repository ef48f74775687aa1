import type { Config } from '../config/configSchema.js';
import { compareWaves } from './compareWaves.js';
import { nightOf } from './nightOf.js';
import type { WaveSummary } from './waveHistory.js';

/**
 * The wave that already ran tonight (`nightOf` `now`), the latest if several did: one wave per night, so a second
 * run of the same night refuses unless an operator asks for another (`run-wave --again`). Only waves count, whatever
 * their status (a wave whose run died counts: its users are reconciled by the next run); held nights, resume and
 * rollback records do not.
 */
export function tonightsWave(history: readonly WaveSummary[], config: Pick<Config, 'waveSchedule'>, now: Date): WaveSummary | null {
  const tonight = nightOf(now, config);
  return [...history].sort(compareWaves).findLast((wave) => wave.kind === 'enforce' && nightOf(wave.startedAt, config) === tonight) ?? null;
}
