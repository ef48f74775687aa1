import type { TenantState } from '../tenant/tenantState.js';
import { graphErrors } from './graphErrors.js';

export type GraphVersion = 'v1.0' | 'beta';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A Graph request detached from Node's HTTP objects, so that a later `$batch` can feed its items through the same pipeline. */
export interface GraphRequest {
  readonly method: string;
  /** Absolute URL, e.g. `https://localhost:8443/v1.0/users?$top=5`. */
  readonly url: URL;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly bodyText: string;
  readonly requestId: string;
  readonly clientRequestId: string;
  /** Set on the items of a `$batch` request: the envelope's `request-id` (journal entries of batched writes carry `viaBatch: true` and it). */
  readonly batchRequestId?: string;
}

export interface Reply {
  readonly status: number;
  /** JSON body; absent for 204. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as the body text instead of `body` (fault injection: an answer that is not valid JSON). */
  readonly rawBody?: string;
  /** Fault injection: the sandbox never answers this request (the connection stays open until the client gives up or the sandbox stops). */
  readonly hang?: boolean;
}

/** The calling app as its access token describes it. */
export interface CallerApp {
  readonly appId: string;
  /** The `roles` claim of the presented token: the permissions consented when the token was issued. */
  readonly roles: readonly string[];
}

/** Everything a stage or handler knows about one request; stages fill it in as they go. */
export interface RequestContext {
  readonly request: GraphRequest;
  readonly version: GraphVersion;
  /** Decoded path segments after the version. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly tenant: TenantState;
  /** Origin of the sandbox, e.g. `https://localhost:8443` (no trailing slash), for absolute next links. */
  readonly origin: string;
  caller?: CallerApp;
  route?: GraphRoute;
  /** Why no route matched (answered after authentication, as Graph does). */
  routeMiss?: Error;
  params: Readonly<Record<string, string>>;
  body?: unknown;
  /** Facts for the journal: handlers set the resolved user and non-personal details. */
  readonly audit: { userId: string | null; detail: Record<string, unknown> };
}

export interface GraphRoute {
  readonly method: HttpMethod;
  /** Path after the version, `{name}` for parameters, e.g. `users/{userId}/authentication/phoneMethods`. */
  readonly pattern: string;
  readonly versions: readonly GraphVersion[];
  /** Application permissions of which any one entry grants access; an entry that is a list needs all of its permissions. */
  readonly permissions: readonly (string | readonly string[])[];
  /** System query options ($select, $top, …) the route understands; any other `$` option is rejected. */
  readonly queryOptions?: readonly string[];
  /**
   * The operation's one name (`resource.verb`), the same in the product's `GraphCall.operation`, the journal, the
   * statistics and fault rules, e.g. `phoneMethods.create`, `requirements.update`, `groups.addMember`.
   */
  readonly operation: string;
  handle(context: RequestContext): Reply | Promise<Reply>;
}

/** A pipeline step: may answer itself (or throw a GraphHttpError), or call `next`. Quotas and fault injection slot in here. */
export type GraphStage = (context: RequestContext, next: () => Promise<Reply>) => Promise<Reply>;

/** A route parameter the pattern guarantees. */
export function routeParam(context: RequestContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route parameter '${name}' missing from pattern ${context.route?.pattern ?? '?'}`);
  return value;
}

/** The parsed JSON body as an object; 400 when it is missing or not a JSON object. */
export function requestBody(context: RequestContext): Record<string, unknown> {
  if (context.body === undefined) throw graphErrors.bodyRequired();
  if (typeof context.body !== 'object' || context.body === null || Array.isArray(context.body)) throw graphErrors.malformedJson();
  return context.body as Record<string, unknown>;
}

/** An `@odata.context` value on the sandbox's origin, e.g. `https://localhost:8443/v1.0/$metadata#users(id,mail)`. */
export function metadataUrl(context: RequestContext, fragment: string, select?: readonly string[]): string {
  const selection = context.query.has('$select') && select !== undefined ? `(${select.join(',')})` : '';
  const [head, ...rest] = fragment.split('/');
  return `${context.origin}/${context.version}/$metadata#${head ?? ''}${selection}${rest.length > 0 ? `/${rest.join('/')}` : ''}`;
}
