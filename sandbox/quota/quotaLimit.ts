import type { WriteModel } from './quotaConfig.js';
import { createSlidingWindowQuota, drawWindow, resizeWindow, slideWindow, windowUsedShare, windowWaitMs, type SlidingWindowQuota } from './slidingWindowQuota.js';
import { bucketUsedShare, bucketWaitMs, createTokenBucket, drawBucket, refillBucket, resizeBucket, type TokenBucket } from './tokenBucket.js';

/** One limit: a token bucket, or (writes under `writeModel: 'window'`) a sliding window. */
export type Limit = { readonly kind: 'bucket'; readonly bucket: TokenBucket } | { readonly kind: 'window'; readonly window: SlidingWindowQuota };

export function createLimit(model: WriteModel, capacity: number, windowMs: number, nowMs: number): Limit {
  return model === 'bucket' ? { kind: 'bucket', bucket: createTokenBucket(capacity, windowMs, nowMs) } : { kind: 'window', window: createSlidingWindowQuota(capacity, windowMs) };
}

export function advance(limit: Limit, nowMs: number): void {
  if (limit.kind === 'bucket') refillBucket(limit.bucket, nowMs);
  else slideWindow(limit.window, nowMs);
}

/** Ms until `cost` fits (after `advance`). */
export function waitMs(limit: Limit, cost: number, nowMs: number): number {
  return limit.kind === 'bucket' ? bucketWaitMs(limit.bucket, cost) : windowWaitMs(limit.window, cost, nowMs);
}

export function draw(limit: Limit, cost: number, nowMs: number): void {
  if (limit.kind === 'bucket') drawBucket(limit.bucket, cost);
  else drawWindow(limit.window, cost, nowMs);
}

export function usedShare(limit: Limit): number {
  return limit.kind === 'bucket' ? bucketUsedShare(limit.bucket) : windowUsedShare(limit.window);
}

export function resize(limit: Limit, capacity: number, windowMs: number): void {
  if (limit.kind === 'bucket') resizeBucket(limit.bucket, capacity, windowMs);
  else resizeWindow(limit.window, capacity, windowMs);
}

