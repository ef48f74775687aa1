/**
 * Exchange Online's sending limits for one mailbox (docs/graph-behaviour.md#mail): at most 4 concurrent requests per
 * app and mailbox (over it: 429 `ApplicationThrottled`), 30 messages a minute (over it: no error, the excess is
 * delivered late), 10,000 recipients in any 24 hours (over it: the mailbox stops sending and bounces). Graph gives no
 * error to wait for in the last two cases, so the notices pace themselves below all three.
 */
export const exchangeMailLimits = { concurrency: 4, messagesPerMinute: 30, recipientsPerDay: 10_000 } as const;

/**
 * The minute the rate is counted over, with 2 s to spare: Exchange counts a message when it arrives, a moment after
 * the queue let it go, and a message that arrives a few ms early counts in the previous minute (and is delivered late).
 */
const minuteMs = 62_000;
const dayMs = 86_400_000;

/** Milliseconds until one more message may go without passing `perMinute` in any minute (0: now). `sentAtMs` oldest first. Pure. */
export function mailWaitMs(sentAtMs: readonly number[], nowMs: number, perMinute: number): number {
  const recent = sentAtMs.filter((at) => at > nowMs - minuteMs);
  if (recent.length < perMinute) return 0;
  return Math.max(1, (recent[recent.length - perMinute] ?? nowMs) + minuteMs - nowMs);
}

/** Recipients the mailbox may still send to now: the daily budget less those mailed in the last 24 h. Pure. */
export function mailBudgetLeft(mailedAtMs: readonly number[], nowMs: number, recipientsPerDay: number): number {
  return Math.max(0, recipientsPerDay - mailedAtMs.filter((at) => at > nowMs - dayMs).length);
}
