import type { WaveSummary } from '../core/waveHistory.js';

/**
 * How a wave record reads in every rendering of the report (text and HTML say the same): its kind (a pilot wave
 * says so), and its reason, prefixed with the wave a rollback or resume acted on.
 */
export function describeWave(wave: Pick<WaveSummary, 'kind' | 'pilot' | 'reason' | 'targetWaveId'>): { readonly kind: string; readonly reason: string } {
  const kind = wave.kind === 'enforce' && wave.pilot ? 'enforce (pilot)' : wave.kind;
  const target = (wave.kind === 'rollback' || wave.kind === 'resume') && wave.targetWaveId !== null ? `of wave ${wave.targetWaveId}` : '';
  const reason = [target, wave.reason ?? ''].filter((part) => part !== '').join(': ');
  return { kind, reason };
}
