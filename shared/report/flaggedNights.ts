import { compareWaves } from '../core/compareWaves.js';
import type { WaveSummary } from '../core/waveHistory.js';

/** A night that did not do its work: held before touching anyone, or a wave stopped part-way. */
export interface FlaggedNight {
  readonly waveId: string;
  readonly status: 'held' | 'stopped';
  readonly startedAt: string;
  readonly reason: string | null;
}

/**
 * The held and stopped nights since the last completed wave, newest first (pure): what is still wrong tonight, for
 * the top of the report. A completed wave afterwards means the rollout got going again; older held or stopped
 * nights then stay in the waves table only.
 */
export function flaggedNights(history: readonly WaveSummary[]): FlaggedNight[] {
  const ordered = [...history].sort(compareWaves);
  const lastCompleted = ordered.findLastIndex((wave) => wave.kind === 'enforce' && wave.status === 'completed');
  return ordered
    .slice(lastCompleted + 1)
    .filter((wave) => wave.status === 'held' || (wave.kind === 'enforce' && wave.status === 'stopped'))
    .reverse()
    .map((wave) => ({ waveId: wave.waveId, status: wave.status === 'held' ? 'held' : 'stopped', startedAt: wave.startedAt, reason: wave.reason }));
}

/** `1 night held, not followed by a completed wave`, `3 nights held or stopped, ...`: the banner's first words. */
export function flaggedHeadline(flagged: readonly FlaggedNight[]): string {
  const statuses = (['held', 'stopped'] as const).filter((status) => flagged.some((night) => night.status === status)).join(' or ');
  return `${flagged.length} ${flagged.length === 1 ? 'night' : 'nights'} ${statuses}, not followed by a completed wave`;
}
