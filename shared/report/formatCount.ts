const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A count as people read it in the report: `12,345` (one decimal at most, for paces). */
export function formatCount(value: number): string {
  return counts.format(value);
}
