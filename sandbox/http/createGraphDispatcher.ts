import { graphErrorBody } from './graphErrorBody.js';
import { graphErrors } from './graphErrors.js';
import { isGraphHttpError } from './GraphHttpError.js';
import type { GraphRequest, GraphStage, GraphVersion, Reply, RequestContext } from './graphRoute.js';
import type { TenantState } from '../tenant/tenantState.js';

export interface GraphOutcome {
  readonly reply: Reply;
  /** `/v1.0/users/{userId}` style family for counters; `(unmatched)` when no route matched. */
  readonly family: string;
  /** Operation name of the matched route; undefined when none matched. */
  readonly operation: string | undefined;
  /** The request was a `$batch` envelope (its items are dispatched, counted and journaled one by one). */
  readonly envelope: boolean;
  readonly audit: RequestContext['audit'];
}

export interface GraphDispatcherOptions {
  readonly tenant: TenantState;
  readonly origin: string;
  /** Stages in order; the last one must answer. */
  readonly stages: readonly GraphStage[];
  /** Where unexpected handler failures are reported (they become a 500 `generalException`). */
  readonly onInternalError?: (error: unknown) => void;
}

/** Runs one Graph request (`/v1.0/...` or `/beta/...`) through the stages and always returns a reply, errors included. */
export function createGraphDispatcher(options: GraphDispatcherOptions): (request: GraphRequest) => Promise<GraphOutcome> {
  return async (request) => {
    const [, rawVersion = '', ...rawSegments] = request.url.pathname.split('/');
    const version: GraphVersion = rawVersion === 'beta' ? 'beta' : 'v1.0';
    const audit: RequestContext['audit'] = { userId: null, detail: {} };
    let context: RequestContext | undefined;
    try {
      if (rawVersion !== 'v1.0' && rawVersion !== 'beta') throw graphErrors.noSuchVersion();
      const segments = (rawSegments.at(-1) === '' ? rawSegments.slice(0, -1) : rawSegments).map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          throw graphErrors.unknownSegment(segment);
        }
      });
      context = {
        request,
        version,
        segments,
        query: request.url.searchParams,
        tenant: options.tenant,
        origin: options.origin,
        params: {},
        audit,
      };
      const bound = context;
      const run = (index: number): Promise<Reply> => {
        const stage = options.stages[index];
        if (stage === undefined) return Promise.reject(graphErrors.internal());
        return stage(bound, () => run(index + 1));
      };
      const reply = await run(0);
      return outcome(reply);
    } catch (error) {
      if (!isGraphHttpError(error)) options.onInternalError?.(error);
      const failure = isGraphHttpError(error) ? error : graphErrors.internal();
      audit.detail.errorCode = failure.code;
      const body = graphErrorBody(failure.code, failure.message, {
        date: options.tenant.now(),
        requestId: request.requestId,
        clientRequestId: request.clientRequestId,
      });
      return outcome({ status: failure.status, body, headers: failure.headers });
    }

    function outcome(reply: Reply): GraphOutcome {
      const route = context?.route;
      return {
        reply,
        family: `/${version}/${route?.pattern ?? '(unmatched)'}`,
        operation: route?.operation,
        envelope: route?.pattern === '$batch',
        audit,
      };
    }
  };
}
