/**
 * Pure retry maths for Graph calls: how long to wait before the next attempt. The caller sleeps.
 * Retry-After is honoured when Graph sends it (seconds, fractional allowed, or an HTTP date);
 * otherwise exponential backoff with full jitter.
 */

export interface RetryDelayInput {
  /** 1 for the first retry. */
  readonly retry: number;
  /** The Retry-After header of the answer, if any. */
  readonly retryAfter: string | null;
  readonly now: number;
  /** A number in [0, 1). */
  readonly random: number;
  readonly baseMs?: number;
  readonly capMs?: number;
}

/** Milliseconds Graph asked us to wait, or null when the header is absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

export function retryDelayMs(input: RetryDelayInput): number {
  const asked = parseRetryAfter(input.retryAfter, input.now);
  if (asked !== null) return asked + Math.round(input.random * 250); // a little spread so waiting callers do not return in lockstep
  const base = input.baseMs ?? 500;
  const cap = input.capMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** (input.retry - 1));
  return Math.round(ceiling / 2 + (input.random * ceiling) / 2);
}
