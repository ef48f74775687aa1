import type { NightOptions } from '../shell/runWave.js';
import type { ProgressReporter } from './progressReporter.js';

type Phase = Parameters<NonNullable<NightOptions['onProgress']>>[0];

const labels: Readonly<Record<Phase, string>> = {
  refresh: 'reading users from Graph',
  probe: 'reading MFA methods',
  enforce: 'enrolling the wave',
};

/**
 * `runWave`'s `onProgress(phase, done, total)` as a progress reporter's tasks: one task per phase (roster refresh,
 * method probes, enrolment), each labelled `prefix` + what it does. Call `finish()` when the night is over.
 */
export function progressOfNight(progress: ProgressReporter, prefix = ''): { onProgress: NonNullable<NightOptions['onProgress']>; finish(): void } {
  let current: Phase | null = null;
  return {
    onProgress(phase, done, total) {
      if (phase !== current) {
        progress.start(`${prefix}${labels[phase]}`, total);
        current = phase;
      }
      progress.update(done, total);
    },
    finish() {
      if (current !== null) progress.stop();
      current = null;
    },
  };
}
