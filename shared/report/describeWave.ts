import type { WaveSummary } from '../core/waveHistory.js';
import { countsAsAtStart } from '../core/waveRecords.js';

/**
 * How a wave record reads in every rendering of the report (text and HTML say the same): its kind (a pilot wave
 * says so), and its reason, prefixed with the wave a rollback or resume acted on. A wave still `running` (tonight's
 * under way, or one whose run died and that the next run closes) has only its start record's counts: it says so.
 */
export function describeWave(wave: Pick<WaveSummary, 'waveId' | 'kind' | 'pilot' | 'status' | 'reason' | 'targetWaveId'>): { readonly kind: string; readonly reason: string } {
  const kind = wave.kind === 'enforce' && wave.pilot ? 'enforce (pilot)' : wave.kind;
  const target = (wave.kind === 'rollback' || wave.kind === 'resume') && wave.targetWaveId !== null ? `of wave ${wave.targetWaveId}` : '';
  const running = wave.kind === 'enforce' && wave.status === 'running' ? `under way, or its run died (the next run closes it): ${countsAsAtStart(wave.waveId)}` : '';
  const reason = [target, wave.reason ?? '', running].filter((part) => part !== '').join(': ');
  return { kind, reason };
}
