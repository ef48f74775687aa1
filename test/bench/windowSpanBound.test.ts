import { describe, expect, it } from '@jest/globals';
import { windowSpanBound } from '../../bench/windowSpanBound.js';

describe('windowSpanBound', () => {
  it('a night just over a multiple of the writes a window allows is charged a whole further window', () => {
    // 39 writes at 19 a window: three windows (19, 19, 1), allowed 3 × 20 = 60; at 20 a window: two, allowed 40
    expect(windowSpanBound([39], 20, 19)).toEqual({ aggregate: 39 / 60, lowest: 39 / 60 });
    expect(windowSpanBound([39], 20, 20)).toEqual({ aggregate: 39 / 40, lowest: 39 / 40 });
  });

  it('sums the nights for the aggregate and keeps the lowest night', () => {
    // 38 = two full windows of 19 (38 of 40); 20 at 19 a window = two windows (20 of 40)
    expect(windowSpanBound([38, 20], 20, 19)).toEqual({ aggregate: 58 / 80, lowest: 0.5 });
  });

  it('a night of full windows at the whole quota scores 1; nights without writes are left out', () => {
    expect(windowSpanBound([60, 0], 20, 20)).toEqual({ aggregate: 1, lowest: 1 });
    expect(windowSpanBound([], 20, 20)).toEqual({ aggregate: 0, lowest: 0 });
  });

  it('refuses a quota or a per-window figure it cannot divide by', () => {
    expect(() => windowSpanBound([10], 0, 19)).toThrow('window quota above 0');
    expect(() => windowSpanBound([10], 20, 0.5)).toThrow('at least 1 write a window');
  });
});
