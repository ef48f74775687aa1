import type { NightOptions } from '../shell/runWave.js';
import type { ProgressReporter, TaskEnding } from './progressReporter.js';

type Phase = Parameters<NonNullable<NightOptions['onProgress']>>[0];

const labels: Readonly<Record<Phase, string>> = {
  refresh: 'reading users from Graph',
  probe: 'reading MFA methods',
  enforce: 'enrolling the wave',
};

/**
 * `runWave`'s `onProgress(phase, done, total)` as a progress reporter's tasks: one task per phase (roster refresh,
 * method probes, enrolment), each labelled `prefix` + what it does. Call `finish(ending)` when the night is over:
 * `failed` when runWave threw, `stopped` when the wave halted or stopped early, so no closing line says "done".
 */
export function progressOfNight(progress: ProgressReporter, prefix = ''): { onProgress: NonNullable<NightOptions['onProgress']>; finish(ending?: TaskEnding): void } {
  let current: Phase | null = null;
  return {
    onProgress(phase, done, total) {
      if (phase !== current) {
        progress.start(`${prefix}${labels[phase]}`, total);
        current = phase;
      }
      progress.update(done, total);
    },
    finish(ending: TaskEnding = 'done') {
      if (current !== null) progress.stop(ending);
      current = null;
    },
  };
}
