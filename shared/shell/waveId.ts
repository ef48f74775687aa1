/**
 * A wave id that sorts by time and is safe as a RowKey: `2026-11-25T01-00-00Z`, optionally with a kind
 * suffix for records written in the same second as a wave (`2026-11-25T01-00-00Z-resume`).
 */
export function waveIdAt(instant: Date, suffix?: string): string {
  const stamp = instant.toISOString().slice(0, 19).replace(/:/g, '-');
  return suffix === undefined ? `${stamp}Z` : `${stamp}Z-${suffix}`;
}
