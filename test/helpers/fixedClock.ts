/** A clock a test can move: `clock()` returns the current instant, `clock.advance(ms)` moves it. */
export interface FixedClock {
  (): Date;
  set(date: Date | string): void;
  advance(ms: number): void;
}

export function fixedClock(start: Date | string): FixedClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as FixedClock;
  clock.set = (date) => {
    now = new Date(date).getTime();
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
