import type { Config } from '../config/configSchema.js';
import { compareWaves } from './compareWaves.js';
import type { WaveSummary } from './waveHistory.js';

/**
 * The circuit breaker during a wave: halt once at least `haltMinAttempts` users were attempted and the
 * failure share is strictly above `haltFailureRate`.
 */
export function shouldHalt(
  counts: { readonly attempted: number; readonly failed: number },
  config: Pick<Config, 'haltMinAttempts' | 'haltFailureRate'>,
): boolean {
  return counts.attempted >= config.haltMinAttempts && counts.failed / counts.attempted > config.haltFailureRate;
}

export type HaltState =
  | { readonly halted: false }
  | {
      readonly halted: true;
      /** The halted wave. */
      readonly waveId: string;
      /** When it halted (`endedAt`, or `startedAt` if it never closed). */
      readonly since: string;
      readonly reason: string | null;
      /** Whole nights since the halt (24-hour periods, rounded to the nearest, so schedule drift counts one per night). */
      readonly nightsSince: number;
      /** `autoResumeAfterNights > 0` and at least that many nights have passed: waves may resume on their own. */
      readonly autoResume: boolean;
    };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Whether the rollout is halted: the latest `enforce` wave with `status: 'halted'` has no `resume` record
 * after it (later in `compareWaves` order, or naming it as `targetWaveId`).
 */
export function haltState(
  history: readonly WaveSummary[],
  config: Pick<Config, 'autoResumeAfterNights'>,
  now: Date,
): HaltState {
  const ordered = [...history].sort(compareWaves);
  let haltedIndex = -1;
  for (let index = ordered.length - 1; index >= 0; index--) {
    const wave = ordered[index];
    if (wave !== undefined && wave.kind === 'enforce' && wave.status === 'halted') {
      haltedIndex = index;
      break;
    }
  }
  const halted = ordered[haltedIndex];
  if (halted === undefined) return { halted: false };
  const resumed = ordered.some(
    (wave, index) => wave.kind === 'resume' && (index > haltedIndex || wave.targetWaveId === halted.waveId),
  );
  if (resumed) return { halted: false };

  const since = halted.endedAt ?? halted.startedAt;
  const elapsed = now.getTime() - Date.parse(since);
  const nightsSince = Number.isNaN(elapsed) ? 0 : Math.max(0, Math.round(elapsed / dayMs));
  return {
    halted: true,
    waveId: halted.waveId,
    since,
    reason: halted.reason,
    nightsSince,
    autoResume: config.autoResumeAfterNights > 0 && nightsSince >= config.autoResumeAfterNights,
  };
}

export type RollbackBrake =
  | { readonly braked: false }
  | {
      readonly braked: true;
      /** The latest rollback record, and the wave it rolled back. */
      readonly rollbackWaveId: string;
      readonly targetWaveId: string;
      /** No wave is larger than this until a resume: the users the rolled-back wave planned (its size if none). */
      readonly maxWaveSize: number;
    };

/**
 * A rollback is a brake: after the latest `rollback` record, with no `resume` record after it (in `compareWaves`
 * order) or naming the rolled-back wave, the ramp does not grow past the rolled-back wave. `mfa-rollout resume`
 * lifts the brake (and a halt).
 */
export function rollbackBrake(history: readonly WaveSummary[]): RollbackBrake {
  const ordered = [...history].sort(compareWaves);
  const index = ordered.findLastIndex((wave) => wave.kind === 'rollback');
  const rollback = ordered[index];
  if (rollback === undefined) return { braked: false };
  // a resume in the same second names the rolled-back wave (record ids of one second do not sort by time)
  const sameSecond = (wave: WaveSummary) => wave.targetWaveId === rollback.targetWaveId && Date.parse(wave.startedAt) >= Date.parse(rollback.startedAt);
  if (ordered.some((wave, at) => wave.kind === 'resume' && (at > index || sameSecond(wave)))) return { braked: false };
  const target = ordered.find((wave) => wave.waveId === rollback.targetWaveId);
  const size = target === undefined ? rollback.attempted : target.planned > 0 ? target.planned : target.targetSize;
  return { braked: true, rollbackWaveId: rollback.waveId, targetWaveId: rollback.targetWaveId ?? '', maxWaveSize: Math.max(1, size) };
}
