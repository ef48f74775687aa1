export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One Graph call, described as data so the gateway can batch, pace and retry it. */
export interface GraphCall {
  /** What the rollout is doing, e.g. `phoneMethods.create`; names the call in errors and logs. */
  readonly operation: string;
  readonly method: GraphMethod;
  readonly version: 'v1.0' | 'beta';
  /** Relative path with query, e.g. `/users/{id}/authentication/phoneMethods` (or an absolute next link). */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The application permission the call needs (named when Graph answers 403). */
  readonly permission: string;
  /**
   * Spacing between calls of this operation, for APIs with their own low limits (Conditional Access:
   * about 1 request/s per tenant without Retry-After; the registration report: 5 per 10 s).
   */
  readonly minIntervalMs?: number;
  /**
   * Calls with the same group share one spacing and one Retry-After hold (default: the operation alone): the reports
   * family's 5 requests per 10 s covers the registration report and the sign-in log together.
   */
  readonly limitGroup?: string;
  /**
   * A POST that changes nothing (`checkMemberGroups`): paced and metered as a write, but its lost answer is retried
   * like a read's, since sending it twice cannot write twice.
   */
  readonly changesNothing?: boolean;
}

/** A 2xx answer to a call. */
export interface GraphAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly requestId: string | null;
}

/** Writes are metered and paced separately from reads (docs/graph-behaviour.md#throttling: 1 RU plus 1 write each). */
export function isWrite(call: Pick<GraphCall, 'method'>): boolean {
  return call.method !== 'GET';
}
