/**
 * A wave id that sorts by time and is safe as a RowKey: `2026-11-25T01-00-00Z`, optionally with a kind
 * suffix for records written in the same second as a wave (`2026-11-25T01-00-00Z-resume`).
 */
export function waveIdAt(instant: Date, suffix?: string): string {
  const stamp = instant.toISOString().slice(0, 19).replace(/:/g, '-');
  return suffix === undefined ? `${stamp}Z` : `${stamp}Z-${suffix}`;
}

/**
 * `waveIdAt`, made unique among the records already in the history: a second record in the same second (a
 * `run-wave --again` right after a wave, a held night right after one) gets `-2`, `-3`… instead of replacing it.
 */
export function freeWaveId(instant: Date, taken: Iterable<{ readonly waveId: string }>, suffix?: string): string {
  const ids = new Set([...taken].map((wave) => wave.waveId));
  const base = waveIdAt(instant, suffix);
  let id = base;
  for (let n = 2; ids.has(id); n += 1) id = `${base}-${n}`;
  return id;
}
