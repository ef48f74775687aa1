import type { ErrorCount } from './waveHistory.js';

/**
 * The most frequent error codes among a wave's failed outcomes, most frequent first, ties by code,
 * at most `limit` entries. Feeds `WaveSummary.topErrors`.
 */
export function topErrors(codes: Iterable<string>, limit = 5): ErrorCount[] {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, Math.max(0, limit));
}
