import { describe, expect, it } from '@jest/globals';
import { quotaShare } from '../../bench/quotaShare.js';

describe('quotaShare', () => {
  const times = (count: number, fromMs: number, perSecond: number) => Array.from({ length: count }, (_, index) => fromMs + (index * 1000) / perSecond);

  it('bucket: writes over capacity + refill × T, the whole run counted', () => {
    const run = { startMs: 0, endMs: 100_000, writeTimesMs: times(6_000, 0, 60) };
    expect(quotaShare({ model: 'bucket', capacity: 3_000, windowSeconds: 75 }, run)).toMatchObject({ writes: 6_000, admitted: 7_000, share: 6_000 / 7_000 });
  });

  it('window: only whole windows from the first write count, on both sides', () => {
    // 3,000 in the first second, nothing until the window slides, then 36/s: 2.5 windows of 75 s, the half window left out
    const writes = [...times(3_000, 1_000, 3_000), ...times(4_000, 76_000, 36)];
    const share = quotaShare({ model: 'window', capacity: 3_000, windowSeconds: 75 }, { startMs: 0, endMs: 1_000 + 187_500, writeTimesMs: writes });
    expect(share).toMatchObject({ admitted: 6_000, writes: 3_000 + 36 * 75, share: (3_000 + 36 * 75) / 6_000 });
  });

  it('window: a run shorter than one window is measured against one window', () => {
    expect(quotaShare({ model: 'window', capacity: 3_000, windowSeconds: 75 }, { startMs: 0, endMs: 30_000, writeTimesMs: times(1_500, 0, 100) })).toMatchObject({ share: 0.5, admitted: 3_000 });
  });
});
