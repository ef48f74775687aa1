import type { Config } from '../config/configSchema.js';
import { haltState, rollbackBrake } from '../core/haltPolicy.js';
import { hashConfig } from '../core/hashConfig.js';
import { markerWave } from '../core/waveRecords.js';
import { RolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { freeWaveId } from './waveId.js';

export interface ResumeResult {
  /** The halted wave the resume lifts, if the rollout was halted. */
  readonly resumedWaveId: string | null;
  /** The rolled-back wave whose brake the resume lifts, if a rollback braked the ramp. */
  readonly brakedBy: string | null;
}

/**
 * `mfa-rollout resume`: records that an operator lifted the halt, or the brake of a rollback (the ramp grows again),
 * or both: the next night plans a wave again. Refuses with ROLLOUT_NOT_HALTED when there is neither.
 */
export async function resumeRollout(config: Config, ports: RolloutPorts, logger: Logger, now: Date, operatorNote: string): Promise<ResumeResult> {
  const history = await ports.waves.history();
  const halt = haltState(history, config, now);
  const brake = rollbackBrake(history);
  if (!halt.halted && !brake.braked) {
    throw new RolloutError('ROLLOUT_NOT_HALTED', `resume: rollout ${config.rolloutId} is not halted and no rollback brakes it; nothing to resume`);
  }
  const target = halt.halted ? halt.waveId : brake.braked ? brake.targetWaveId : '';
  const marker = markerWave('resume', freeWaveId(now, history, 'resume'), now, target, operatorNote, hashConfig(config));
  await ports.waves.save(marker);
  logger.event('rollout.resumed', { waveId: marker.waveId, targetWaveId: target }, 'warn');
  return { resumedWaveId: halt.halted ? halt.waveId : null, brakedBy: brake.braked ? brake.targetWaveId : null };
}
