import { describe, expect, it } from '@jest/globals';
import { progressOfNight } from '../../shared/cli/progressOfNight.js';
import { createProgressReporter } from '../../shared/cli/progressReporter.js';

/** A stream that keeps what is written, a terminal or not. */
function stream(tty: boolean) {
  const chunks: string[] = [];
  const fake = { isTTY: tty, columns: 100, write: (chunk: string) => chunks.push(chunk) > 0, on: () => fake, once: () => fake, removeListener: () => fake, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return { fake: fake as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

describe('createProgressReporter, plain lines (not a terminal)', () => {
  it('a short task prints nothing; a long one prints at most a line per interval, then a closing line', () => {
    let clock = 0;
    const out = stream(false);
    const progress = createProgressReporter({ stream: out.fake, now: () => clock, lineIntervalMs: 5000 });
    progress.start('reading MFA methods', 10);
    clock = 1000;
    progress.update(10);
    progress.stop();
    expect(out.text()).toBe('');

    progress.start('enrolling the wave', 400);
    for (let done = 1; done <= 400; done += 1) {
      clock += 100;
      progress.update(done);
    }
    progress.stop();
    expect(out.text().split('\n').filter((line) => line !== '')).toEqual([
      'enrolling the wave: 50/400 (12%)',
      'enrolling the wave: 100/400 (25%)',
      'enrolling the wave: 150/400 (37%)',
      'enrolling the wave: 200/400 (50%)',
      'enrolling the wave: 250/400 (62%)',
      'enrolling the wave: 300/400 (75%)',
      'enrolling the wave: 350/400 (87%)',
      'enrolling the wave: 400/400 (100%)',
      'enrolling the wave: 400/400 (100%), done in 40.0 s',
    ]);
  });

  it('an unknown total counts, and runWave phases become one task each', () => {
    let clock = 0;
    const out = stream(false);
    const night = progressOfNight(createProgressReporter({ stream: out.fake, now: () => clock, lineIntervalMs: 1000 }), 'night 2/9 · ');
    clock = 1500;
    night.onProgress('refresh', 999, null);
    clock = 2600;
    night.onProgress('refresh', 12_000, null);
    night.onProgress('enforce', 1, 2);
    clock = 4000;
    night.onProgress('enforce', 2, 2);
    night.finish();
    // the refresh task starts with its first page (999 users at 1.5 s); the next page comes 1.1 s later
    expect(out.text()).toBe([
      'night 2/9 · reading users from Graph: 12,000',
      'night 2/9 · reading users from Graph: 12,000, done in 1.1 s',
      'night 2/9 · enrolling the wave: 2/2 (100%)',
      'night 2/9 · enrolling the wave: 2/2 (100%), done in 1.4 s',
      '',
    ].join('\n'));
  });
});

describe('the closing line says how the task ended', () => {
  it('a night that failed (or stopped early) never closes with "done"', () => {
    let clock = 0;
    const out = stream(false);
    const night = progressOfNight(createProgressReporter({ stream: out.fake, now: () => clock, lineIntervalMs: 1000 }));
    night.onProgress('refresh', 999, null);
    clock = 1200;
    night.onProgress('refresh', 1998, null);
    clock = 2500;
    night.finish('failed');
    const halted = progressOfNight(createProgressReporter({ stream: out.fake, now: () => clock, lineIntervalMs: 1000 }));
    halted.onProgress('enforce', 1, 40);
    clock = 4000;
    halted.onProgress('enforce', 20, 40);
    halted.finish('stopped');
    expect(out.text()).toBe([
      'reading users from Graph: 1,998',
      'reading users from Graph: 1,998, failed after 2.5 s',
      'enrolling the wave: 20/40 (50%)',
      'enrolling the wave: 20/40 (50%), stopped after 1.5 s',
      '',
    ].join('\n'));
    expect(out.text()).not.toContain('done');
  });
});

describe('createProgressReporter, a terminal', () => {
  it('draws a cli-progress bar with the label and counts, and clears it when the task ends', () => {
    const out = stream(true);
    const progress = createProgressReporter({ stream: out.fake });
    progress.start('rolling back wave W', 4);
    progress.update(2);
    progress.stop();
    expect(out.text()).toContain('rolling back wave W [');
    expect(out.text()).toMatch(/\] 50% 2\/4 · /);
    progress.start('reading users from Graph', null);
    progress.update(7);
    progress.stop();
    expect(out.text()).toMatch(/reading users from Graph 7 · /);
  });
});
