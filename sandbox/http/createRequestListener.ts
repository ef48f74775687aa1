import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdminRequest, type AdminRequest, type AdminSurface } from '../admin/adminApi.js';
import { handleAuthorityRequest, isAuthorityPath, type AuthorityDependencies, type AuthorityTenant } from '../auth/authority.js';
import type { GraphOutcome } from './createGraphDispatcher.js';
import { graphErrorBody } from './graphErrorBody.js';
import type { GraphRequest, Reply } from './graphRoute.js';
import type { Journal } from '../stats/journal.js';
import type { OutcomeRecorder } from '../stats/createOutcomeRecorder.js';
import type { TenantRouter } from './tenantRouter.js';

/** What the front door needs of one tenant. */
export interface ListenerTenant extends AuthorityTenant {
  readonly dispatchGraph: (request: GraphRequest) => Promise<GraphOutcome>;
  /** Counters of every answer to this tenant, and its write journal. */
  readonly journal: Journal;
  /** Books each Graph exchange (counters, write journal, statistics). */
  readonly record: OutcomeRecorder;
  /** What `/_sandbox/` (the primary tenant) and `/_sandbox/tenants/{id}/` read and change. */
  readonly admin: AdminSurface;
}

export interface RequestListenerDependencies extends Omit<AuthorityDependencies, 'findTenant'> {
  readonly tenants: TenantRouter<ListenerTenant>;
  /** Admin operations of the whole sandbox (`/_sandbox/tenants`, the app's federated credentials): undefined when the path is none of them. */
  readonly sandboxAdmin?: (request: AdminRequest) => Reply | undefined;
  readonly onInternalError?: (error: unknown) => void;
}

const maxBodyBytes = 4 * 1024 * 1024;
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const diagnostic = JSON.stringify({ ServerInfo: { DataCenter: 'Sandbox', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'sandbox', ADSiteName: 'LOC' } });

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * The sandbox's HTTP front door: gives every answer a `request-id` and echoes `client-request-id`, sends each path
 * family to its handler (admin API, authority, Graph), and records counters and the write journal. Never throws.
 */
export function createRequestListener(dependencies: RequestListenerDependencies): (request: IncomingMessage, response: ServerResponse) => void {
  const { origin, tenants } = dependencies;
  const tenant = tenants.primary.tenant;
  const authority: AuthorityDependencies = { ...dependencies, findTenant: (segment) => tenants.forAuthority(segment) };

  const send = (response: ServerResponse, ids: { requestId: string; clientRequestId: string }, reply: Reply): void => {
    const headers: Record<string, string> = {
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      'x-ms-ags-diagnostic': diagnostic,
      ...reply.headers,
    };
    if ((reply.body === undefined && reply.rawBody === undefined) || reply.status === 204) {
      response.writeHead(reply.status, headers).end();
      return;
    }
    const text = reply.rawBody ?? JSON.stringify(reply.body);
    response.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
  };

  // `/_sandbox/tenants/{id}/…` is that tenant's admin API; `/_sandbox/…` the primary tenant's, after the sandbox-wide operations.
  const adminReply = (request: AdminRequest): Reply => {
    const scoped = /^\/_sandbox\/tenants\/([^/]+)(\/.*)?$/.exec(request.url.pathname);
    if (scoped === null) return dependencies.sandboxAdmin?.(request) ?? handleAdminRequest(request, tenants.primary.admin);
    let tenantId: string;
    try {
      tenantId = decodeURIComponent(scoped[1] ?? '');
    } catch {
      tenantId = '';
    }
    const target = tenants.byId(tenantId);
    if (target === undefined) return { status: 404, body: { error: { code: 'NotFound', message: `No tenant '${scoped[1] ?? ''}' in this sandbox. See GET /_sandbox/tenants.` } } };
    return handleAdminRequest({ ...request, url: new URL(`${origin}/_sandbox${scoped[2] ?? '/'}${request.url.search}`) }, target.admin);
  };

  const errorReply = (status: number, code: string, message: string, ids: { requestId: string; clientRequestId: string }): Reply => ({
    status,
    body: graphErrorBody(code, message, { date: tenant.now(), ...ids }),
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const given = request.headers['client-request-id'];
    const clientRequestId = typeof given === 'string' && given !== '' && given.length <= 200 ? given : requestId;
    const ids = { requestId, clientRequestId };
    const method = (request.method ?? 'GET').toUpperCase();
    const rawUrl = request.url ?? '/';
    let url: URL;
    try {
      if (!rawUrl.startsWith('/')) throw new TypeError('not an origin-form request target');
      url = new URL(`${origin}${rawUrl}`);
    } catch {
      send(response, ids, errorReply(400, 'BadRequest', 'Invalid request URL.', ids));
      return;
    }
    const bodyText = await readBody(request);
    const isAdmin = url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/');

    if (isAdmin) {
      const remote = request.socket.remoteAddress ?? '';
      const reply = !loopback.has(remote)
        ? errorReply(403, 'Forbidden', 'The sandbox admin API only answers loopback callers.', ids)
        : bodyText === undefined
          ? errorReply(413, 'RequestEntityTooLarge', 'The request body is too large.', ids)
          : adminReply({ method, url, bodyText });
      send(response, ids, reply);
      return;
    }

    const firstSegment = url.pathname.split('/')[1] ?? '';
    if (firstSegment === 'v1.0' || firstSegment === 'beta') {
      // Graph has one host for every tenant: the token's tenant is the directory a request reads and writes.
      const target = tenants.forBearer(request.headers.authorization);
      const outcome: GraphOutcome =
        bodyText === undefined
          ? {
              reply: errorReply(413, 'RequestEntityTooLarge', 'The request body is too large.', ids),
              family: `/${firstSegment}/(unmatched)`,
              operation: undefined,
              envelope: false,
              audit: { userId: null, detail: {} },
            }
          : await target.dispatchGraph({ method, url, headers: lowerCaseHeaders(request), bodyText, requestId, clientRequestId });
      // Booked before the answer is sent: a journal listener that kills the client (a kill point) acts after the write
      // took effect and before any answer can reach the client, so the client cannot send another write in between.
      target.record({ method, path: url.pathname, requestId, outcome });
      // A `hang` fault: the request was read and is never answered; the client's timeout (or stop()) ends the connection.
      if (outcome.reply.hang !== true) send(response, ids, outcome.reply);
      return;
    }

    if (isAuthorityPath(url.pathname)) {
      const outcome = handleAuthorityRequest({ method, url, bodyText: bodyText ?? '', clientRequestId }, authority);
      send(response, ids, outcome.reply);
      (tenants.forAuthority(firstSegment) ?? tenants.primary).journal.count(method, outcome.family, outcome.reply.status);
      return;
    }

    const reply = errorReply(404, 'Request_ResourceNotFound', `The sandbox tenant serves /v1.0, /beta, the authority under /${tenant.tenantId} and /_sandbox; '${url.pathname}' is none of them.`, ids);
    send(response, ids, reply);
    tenants.primary.journal.count(method, '(unmatched)', reply.status);
  };

  return (request, response) => {
    handle(request, response).catch((error: unknown) => {
      dependencies.onInternalError?.(error);
      if (!response.headersSent) {
        const requestId = randomUUID();
        const ids = { requestId, clientRequestId: requestId };
        send(response, ids, errorReply(500, 'generalException', 'An unexpected error occurred in the sandbox tenant.', ids));
      } else {
        response.destroy();
      }
    });
  };
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
