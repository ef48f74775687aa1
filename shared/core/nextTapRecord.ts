import type { TapRecord } from './journey/journeyTypes.js';

/** The record of one more Temporary Access Pass issued to a user (never the pass itself): a new pass replaces the old in Graph. */
export function nextTapRecord(previous: TapRecord | null, issued: { readonly at: Date; readonly expiresAt: string; readonly runId: string }): TapRecord {
  return { issuedAt: issued.at.toISOString(), expiresAt: issued.expiresAt, runId: issued.runId, count: (previous?.count ?? 0) + 1 };
}
