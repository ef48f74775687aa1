import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { WorkloadIdentity } from './workloadIdentity.js';

/** The App Service / Functions managed identity endpoint as the host publishes it to the app. */
export interface ManagedIdentityEndpoint {
  /** `IDENTITY_ENDPOINT`: `http://127.0.0.1:PORT/msi/token` (plain HTTP on loopback, as the host serves it). */
  readonly identityEndpoint: string;
  /** `IDENTITY_HEADER`: the secret the caller must send as `X-IDENTITY-HEADER`. */
  readonly identityHeader: string;
  /** Requests answered, by status. */
  counts(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

const apiVersion = '2019-08-01';

/**
 * Serves the App Service managed identity protocol (what `@azure/identity`'s ManagedIdentityCredential uses when
 * `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` are set, as on Azure Functions): `GET /msi/token?api-version=2019-08-01&resource=…`
 * with `X-IDENTITY-HEADER`, the user-assigned identity named by `client_id`, `principal_id`/`object_id` or `mi_res_id`.
 * Answers `{access_token, expires_on, resource, token_type, client_id}`. Only the one user-assigned identity exists
 * (no system-assigned one), and only `api://AzureADTokenExchange` tokens are issued.
 */
export async function listenManagedIdentityEndpoint(workloadIdentity: WorkloadIdentity): Promise<ManagedIdentityEndpoint> {
  const identityHeader = randomBytes(16).toString('hex');
  const counts: Record<string, number> = {};
  const { managedIdentity } = workloadIdentity;

  const answer = (url: URL, headers: http.IncomingHttpHeaders, method: string): { status: number; body: unknown } => {
    const refuse = (status: number, message: string) => ({ status, body: { statusCode: status, message, correlationId: randomUUID() } });
    if (url.pathname !== '/msi/token') return refuse(404, `No managed identity operation at '${url.pathname}'; the endpoint is /msi/token.`);
    if (method !== 'GET') return refuse(405, 'The managed identity endpoint only answers GET.');
    if (headers['x-identity-header'] !== identityHeader) return refuse(401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.');
    if (url.searchParams.get('api-version') !== apiVersion) return refuse(400, `The api-version must be ${apiVersion}.`);
    const resource = url.searchParams.get('resource') ?? '';
    if (resource === '') return refuse(400, "The 'resource' query parameter is required.");
    const asked = [url.searchParams.get('client_id'), url.searchParams.get('principal_id') ?? url.searchParams.get('object_id'), url.searchParams.get('mi_res_id')];
    const matches =
      asked[0]?.toLowerCase() === managedIdentity.clientId.toLowerCase() ||
      asked[1]?.toLowerCase() === managedIdentity.principalId.toLowerCase() ||
      (asked[2] ?? '').toLowerCase().endsWith(`/userassignedidentities/${managedIdentity.clientId.toLowerCase()}`);
    if (!matches) return refuse(400, 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.');
    try {
      const issued = workloadIdentity.issueManagedIdentityToken(resource.replace(/\/\.default$/, ''));
      return { status: 200, body: { access_token: issued.token, expires_on: String(issued.expiresOnSeconds), resource, token_type: 'Bearer', client_id: managedIdentity.clientId } };
    } catch (error) {
      if (error instanceof RangeError) return refuse(400, error.message);
      throw error;
    }
  };

  const server = http.createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    request.resume();
    const { status, body } = answer(new URL(request.url ?? '/', 'http://127.0.0.1'), request.headers, (request.method ?? 'GET').toUpperCase());
    counts[String(status)] = (counts[String(status)] ?? 0) + 1;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('listenManagedIdentityEndpoint: the server has no TCP address');
  return {
    identityEndpoint: `http://127.0.0.1:${address.port}/msi/token`,
    identityHeader,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
