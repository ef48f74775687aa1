/**
 * The most a night's writes can score by the many-tenants bench's span reading (writes ÷ one window's quota + the
 * rate × the night's own busy span) when Graph counts a sliding window: a night of `writes` writes, at most `perWindow`
 * of them in any window, needs ⌈writes ÷ perWindow⌉ windows, so its busy span is at least that many less one whole
 * windows, and the reading allows it `windowQuota` × ⌈writes ÷ perWindow⌉. `perWindow` is the window quota for any
 * client, ⌊margin × quota⌋ for the product's pacer (97 %: 19 of 20 at the bench's scale, 2,910 of 3,000 at Graph's).
 * The nights' aggregate bound is Σ writes ÷ Σ allowed. Pure.
 */
export function windowSpanBound(nights: readonly number[], windowQuota: number, perWindow: number): { readonly aggregate: number; readonly lowest: number } {
  if (!(windowQuota > 0) || !(perWindow >= 1)) throw new Error(`windowSpanBound: expected a window quota above 0 and at least 1 write a window, got ${windowQuota} and ${perWindow}`);
  let [writes, allowed, lowest] = [0, 0, Number.POSITIVE_INFINITY];
  for (const night of nights) {
    if (night < 1) continue;
    const most = windowQuota * Math.ceil(night / Math.floor(perWindow));
    writes += night;
    allowed += most;
    lowest = Math.min(lowest, night / most);
  }
  return allowed === 0 ? { aggregate: 0, lowest: 0 } : { aggregate: writes / allowed, lowest };
}
