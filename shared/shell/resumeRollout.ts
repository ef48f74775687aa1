import type { Config } from '../config/configSchema.js';
import { haltState } from '../core/haltPolicy.js';
import { RolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { RolloutPorts } from './rolloutPorts.js';
import { hashConfig } from '../core/hashConfig.js';
import { markerWave } from '../core/waveRecords.js';
import { waveIdAt } from './waveId.js';

/** `mfa-rollout resume`: records that an operator lifted the halt, so the next night plans a wave again. */
export async function resumeRollout(config: Config, ports: RolloutPorts, logger: Logger, now: Date, operatorNote: string): Promise<{ resumedWaveId: string }> {
  const state = haltState(await ports.waves.history(), config, now);
  if (!state.halted) throw new RolloutError('PREFLIGHT_FAILED', 'resume: the rollout is not halted; nothing to resume');
  const marker = markerWave('resume', waveIdAt(now, 'resume'), now, state.waveId, operatorNote, hashConfig(config));
  await ports.waves.save(marker);
  logger.event('rollout.resumed', { waveId: marker.waveId, targetWaveId: state.waveId }, 'warn');
  return { resumedWaveId: state.waveId };
}
