/** MFA_TIME_BUDGET_MINUTES, counted from the start of the run, as the host's functionTimeout counts. */
export interface TimeBudget {
  spent(): boolean;
}

/** A budget of `minutes` from now on the monotonic `elapsed` clock (milliseconds; a test moves it on). */
export function timeBudget(minutes: number, elapsed: () => number = () => performance.now()): TimeBudget {
  const startedAt = elapsed();
  return { spent: () => elapsed() - startedAt > minutes * 60_000 };
}
