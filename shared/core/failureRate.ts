/** Share of attempted users that failed, 0 when nobody was attempted. */
export function failureRate(counts: { readonly attempted: number; readonly failed: number }): number {
  return counts.attempted > 0 ? counts.failed / counts.attempted : 0;
}
