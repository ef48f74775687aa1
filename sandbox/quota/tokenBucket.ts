/** A token bucket that starts full and refills continuously: `capacity` tokens per `windowMs`. Times are in ms. */
export interface TokenBucket {
  capacity: number;
  /** Tokens added per ms. */
  refillPerMs: number;
  tokens: number;
  updatedAtMs: number;
}

export function createTokenBucket(capacity: number, windowMs: number, nowMs: number): TokenBucket {
  return { capacity, refillPerMs: capacity / windowMs, tokens: capacity, updatedAtMs: nowMs };
}

/** Brings the bucket up to `nowMs`. */
export function refillBucket(bucket: TokenBucket, nowMs: number): void {
  const elapsed = nowMs - bucket.updatedAtMs;
  if (elapsed > 0) bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.refillPerMs);
  bucket.updatedAtMs = Math.max(bucket.updatedAtMs, nowMs);
}

/** Milliseconds until the bucket holds `cost` tokens (0 when it already does). A cost above capacity waits for a full bucket. */
export function bucketWaitMs(bucket: TokenBucket, cost: number): number {
  const needed = Math.min(cost, bucket.capacity);
  return bucket.tokens >= needed ? 0 : (needed - bucket.tokens) / bucket.refillPerMs;
}

/**
 * Books `cost` whether or not it fitted: every request counts against the quota, throttled or not
 * (docs/graph-behaviour.md#throttling). The debt a client can run up while throttled is one capacity.
 */
export function drawBucket(bucket: TokenBucket, cost: number): void {
  bucket.tokens = Math.max(-bucket.capacity, bucket.tokens - Math.min(cost, bucket.capacity));
}

/** Share of the capacity in use, 0 (full bucket) to 1 (empty), above 1 while in debt. */
export function bucketUsedShare(bucket: TokenBucket): number {
  return bucket.capacity === 0 ? 1 : 1 - bucket.tokens / bucket.capacity;
}

/** Changes capacity and window, keeping the tokens already used (so a bigger quota does not hand out a fresh burst, nor a smaller one a debt). */
export function resizeBucket(bucket: TokenBucket, capacity: number, windowMs: number): void {
  const used = bucket.capacity - bucket.tokens;
  bucket.capacity = capacity;
  bucket.refillPerMs = capacity / windowMs;
  bucket.tokens = Math.max(0, capacity - used);
}
