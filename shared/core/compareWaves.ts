import type { WaveSummary } from './waveHistory.js';

/**
 * Orders wave records chronologically: by `startedAt` as an instant, then by `waveId` (sortable by design),
 * so `[...history].sort(compareWaves)` gives the same order whatever order the table returned.
 * An unreadable `startedAt` sorts first (it cannot be proven recent).
 */
export function compareWaves(a: WaveSummary, b: WaveSummary): number {
  const at = instant(a.startedAt);
  const bt = instant(b.startedAt);
  if (at !== bt) return at < bt ? -1 : 1;
  return a.waveId < b.waveId ? -1 : a.waveId > b.waveId ? 1 : 0;
}

function instant(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
