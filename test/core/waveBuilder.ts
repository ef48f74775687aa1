import { noJourneyCounts, type WaveSummary } from '../../shared/core/waveHistory.js';

/** A completed, clean, full non-pilot enforce wave of 50 started on `startedAt`, unless told otherwise. */
export function wave(overrides: Partial<WaveSummary> = {}): WaveSummary {
  const startedAt = overrides.startedAt ?? '2026-11-24T01:00:00.000Z';
  return {
    waveId: startedAt.slice(0, 16).replace(/:/g, '-') + 'Z',
    kind: 'enforce',
    status: 'completed',
    startedAt,
    endedAt: Number.isNaN(Date.parse(startedAt)) ? null : new Date(Date.parse(startedAt) + 20 * 60 * 1000).toISOString(),
    pilot: false,
    targetSize: 50,
    planned: 50,
    announced: 0,
    attempted: 50,
    enforced: 50,
    alreadyDone: 0,
    phoneMethodsRegistered: 50,
    failed: 0,
    skipped: {},
    reason: null,
    topErrors: [],
    targetWaveId: null,
    configHash: 'hash',
    journey: noJourneyCounts,
    ...overrides,
  };
}

/** The start of night `n` (01:00 UTC) relative to 2026-11-25 (night 0, the tests' `now`); negative is earlier. */
export function night(n: number): string {
  return new Date(Date.UTC(2026, 10, 25 + n, 1)).toISOString();
}
