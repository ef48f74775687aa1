/** Where the queue listener's back-off stands between two polls. Start from `{ currentMs: 0, exponent: 0 }`. */
export interface PollBackoff {
  readonly currentMs: number;
  readonly exponent: number;
}

/** The host's shortest poll interval (QueuePollingIntervals.Minimum), which is also its back-off step. */
export const minimumPollIntervalMs = 100;

const randomization = 0.2;

/**
 * The wait before the next poll after an empty receive, as the host's randomized exponential back-off decides it: back
 * to 100 ms when a message was found since the last wait, otherwise 100 ms plus 100 ms × 2^(n−1) × (0.8…1.2), growing
 * until `maxPollingIntervalMs`, then staying there. `random` returns a number in [0, 1). Returns the new state; its
 * `currentMs` is the wait.
 */
export function nextPollDelay(state: PollBackoff, foundMessageSinceLastWait: boolean, maxPollingIntervalMs: number, random: () => number): PollBackoff {
  if (foundMessageSinceLastWait) return { currentMs: minimumPollIntervalMs, exponent: 1 };
  if (state.currentMs === maxPollingIntervalMs) return state;
  let backoff = minimumPollIntervalMs;
  if (state.exponent > 0) {
    const factor = 1 - randomization + random() * 2 * randomization;
    backoff += factor * 2 ** (state.exponent - 1) * minimumPollIntervalMs;
  }
  return backoff < maxPollingIntervalMs ? { currentMs: backoff, exponent: state.exponent + 1 } : { currentMs: maxPollingIntervalMs, exponent: state.exponent };
}
