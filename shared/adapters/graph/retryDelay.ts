/**
 * Pure retry maths for Graph calls: whether to try again, and how long to wait first. The caller sleeps.
 * Retry-After is honoured when Graph sends it (seconds, fractional allowed, or an HTTP date), with a little
 * jitter on top so callers that waited together do not return in lockstep; otherwise exponential backoff with
 * jitter (half the ceiling fixed, half random).
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
  if (asked !== null) return Math.round(asked + input.random * Math.min(1_000, 100 + asked * 0.2));
  const base = input.baseMs ?? 500;
  const cap = input.capMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** (input.retry - 1));
  return Math.round(ceiling / 2 + (input.random * ceiling) / 2);
}

export interface RetryVerdictInput {
  /** Whether the failure is worth another attempt at all (throttling, 5xx, timeout, unreadable answer). */
  readonly retryable: boolean;
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Retries left in the run's budget. */
  readonly budgetLeft: number;
  readonly delayMs: number;
  readonly maxDelayMs: number;
}

export type RetryVerdict =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: 'notRetryable' | 'attempts' | 'retryAfterTooLong' | 'budget' };

/** The one retry rule of the gateway, in order: worth it, attempts left, a wait we accept, budget left. */
export function retryVerdict(input: RetryVerdictInput): RetryVerdict {
  if (!input.retryable) return { retry: false, reason: 'notRetryable' };
  if (input.attempt >= input.maxAttempts) return { retry: false, reason: 'attempts' };
  if (input.delayMs > input.maxDelayMs) return { retry: false, reason: 'retryAfterTooLong' };
  if (input.budgetLeft <= 0) return { retry: false, reason: 'budget' };
  return { retry: true, delayMs: input.delayMs };
}
