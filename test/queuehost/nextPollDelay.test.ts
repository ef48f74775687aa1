import { describe, expect, it } from '@jest/globals';
import { nextPollDelay, type PollBackoff } from '../../queuehost/nextPollDelay.js';

function waits(count: number, maxMs: number, random: () => number, start: PollBackoff = { currentMs: 0, exponent: 0 }): number[] {
  const result: number[] = [];
  let state = start;
  for (let i = 0; i < count; i += 1) {
    state = nextPollDelay(state, false, maxMs, random);
    result.push(Math.round(state.currentMs));
  }
  return result;
}

describe('nextPollDelay (the host randomized exponential back-off)', () => {
  it('grows from 100 ms by 100 ms × 2^(n−1) while the queue stays empty, up to maxPollingInterval, and stays there', () => {
    expect(waits(8, 1_000, () => 0.5)).toEqual([100, 200, 300, 500, 900, 1_000, 1_000, 1_000]);
    expect(waits(9, 60_000, () => 0.5).at(-1)).toBe(12_900);
  });

  it('randomizes each step by ±20 %', () => {
    expect(waits(3, 60_000, () => 0)).toEqual([100, 180, 260]);
    expect(waits(3, 60_000, () => 0.999_999)).toEqual([100, 220, 340]);
  });

  it('drops back to 100 ms once a message was found since the last wait', () => {
    const long = { currentMs: 1_000, exponent: 6 };
    expect(nextPollDelay(long, true, 1_000, () => 0.5)).toEqual({ currentMs: 100, exponent: 1 });
    expect(waits(2, 1_000, () => 0.5, nextPollDelay(long, true, 1_000, () => 0.5))).toEqual([200, 300]);
  });
});
