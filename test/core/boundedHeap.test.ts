import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { boundedHeap } from '../../shared/core/boundedHeap.js';

const byValue = (a: number, b: number): number => a - b;

describe('boundedHeap', () => {
  it('keeps the smallest items, sorted', () => {
    const heap = boundedHeap(3, byValue);
    for (const value of [5, 1, 9, 3, 7, 2]) heap.offer(value);
    expect(heap.sorted()).toEqual([1, 2, 3]);
    expect(heap.size).toBe(3);
  });

  it('keeps everything below capacity', () => {
    const heap = boundedHeap(10, byValue);
    for (const value of [3, 1, 2]) heap.offer(value);
    expect(heap.sorted()).toEqual([1, 2, 3]);
  });

  it('keeps nothing at capacity 0', () => {
    const heap = boundedHeap(0, byValue);
    heap.offer(1);
    expect(heap.sorted()).toEqual([]);
  });

  it('equals sort-and-slice for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.nat(20), (values, capacity) => {
        const heap = boundedHeap(capacity, byValue);
        for (const value of values) heap.offer(value);
        expect(heap.sorted()).toEqual([...values].sort(byValue).slice(0, capacity));
      }),
    );
  });
});
