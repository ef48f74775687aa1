import { randomUUID } from 'node:crypto';
import type { Reply } from '../http/graphRoute.js';
import type { TenantState } from '../tenant/tenantState.js';
import type { TokenService } from './tokens.js';
import { jwtBearerAssertionType, type WorkloadIdentity } from './workloadIdentity.js';

export interface AuthorityRequest {
  readonly method: string;
  readonly url: URL;
  readonly bodyText: string;
  readonly clientRequestId: string;
}

/** One tenant's directory and token service. */
export interface AuthorityTenant {
  readonly tenant: TenantState;
  readonly tokens: TokenService;
}

export interface AuthorityDependencies {
  /** The tenant a path segment names (its id or a verified domain, ignoring case), if the sandbox holds it. */
  readonly findTenant: (segment: string) => AuthorityTenant | undefined;
  /** `https://localhost:PORT`, no trailing slash. */
  readonly origin: string;
  /** The app's federated identity credentials and the managed identity whose tokens they trust (client assertions). */
  readonly workloadIdentity?: WorkloadIdentity;
}

/** Answers to the authority paths, and the family name they are counted under. */
export interface AuthorityOutcome {
  readonly reply: Reply;
  readonly family: string;
}

const graphScopes = new Set(['https://graph.microsoft.com/.default', '00000003-0000-0000-c000-000000000000/.default']);
const oidcScopes = new Set(['openid', 'profile', 'offline_access']);
const noStore = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

/** True for `/{tenant}/v2.0/...`, `/{tenant}/oauth2/...`, `/{tenant}/discovery/...` and `/{tenant}/adminconsent`. */
export function isAuthorityPath(pathname: string): boolean {
  const second = pathname.split('/')[2];
  return second === 'v2.0' || second === 'oauth2' || second === 'discovery' || second === 'adminconsent';
}

/**
 * `GET /{tenant}/adminconsent?client_id=…[&redirect_uri=…&state=…]` (and `/{tenant}/v2.0/adminconsent`): the admin
 * consent URL the product reports. In Entra an administrator signs in and accepts; the sandbox takes the visit as that
 * acceptance: the app gets its service principal in the tenant, and the browser is sent to `redirect_uri` with
 * `admin_consent=True&tenant=…&state=…` (or answered 200 without one). An unknown app is refused (AADSTS700016).
 */
function adminConsent(request: AuthorityRequest, found: AuthorityTenant): Reply {
  const { tenant } = found;
  const clientId = request.url.searchParams.get('client_id') ?? '';
  const redirect = request.url.searchParams.get('redirect_uri');
  const state = request.url.searchParams.get('state');
  const known = clientId.toLowerCase() === tenant.app.clientId.toLowerCase();
  if (known) tenant.consent();
  const answer = known
    ? { admin_consent: 'True', tenant: tenant.tenantId }
    : { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.organization.displayName}'.` };
  if (redirect === null) return { status: known ? 200 : 400, headers: noStore, body: answer };
  let target: URL;
  try {
    target = new URL(redirect);
  } catch {
    return { status: 400, headers: noStore, body: { error: 'invalid_request', error_description: "AADSTS90102: 'redirect_uri' value must be a valid absolute URI." } };
  }
  for (const [name, value] of Object.entries({ ...answer, ...(state === null ? {} : { state }) })) target.searchParams.set(name, value);
  return { status: 302, headers: { ...noStore, Location: target.toString() } };
}

/**
 * The slice of Entra ID that ClientSecretCredential and ClientAssertionCredential talk to: the tenant's OpenID
 * configuration and the v2.0 token endpoint for client credentials, with a secret or a federated client assertion.
 * The app must be consented in the tenant first. Errors copy Entra's JSON shape and AADSTS codes.
 */
export function handleAuthorityRequest(request: AuthorityRequest, dependencies: AuthorityDependencies): AuthorityOutcome {
  const { origin } = dependencies;
  const [, tenantSegment = '', ...rest] = request.url.pathname.split('/');
  const path = rest.join('/');
  const aadError = (status: number, error: string, code: number, description: string): Reply => ({
    status,
    headers: noStore,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${request.clientRequestId} Timestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
      error_codes: [code],
      timestamp: `${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
      trace_id: randomUUID(),
      correlation_id: request.clientRequestId,
    },
  });

  const found = dependencies.findTenant(tenantSegment);
  if (found === undefined) {
    return {
      family: `/{tenant}/${path}`,
      reply: aadError(400, 'invalid_tenant', 90002, `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
    };
  }

  const { tenant } = found;
  const base = `${origin}/${tenant.tenantId}`;
  if (request.method === 'GET' && path === 'v2.0/.well-known/openid-configuration') {
    return {
      family: '/{tenant}/v2.0/.well-known/openid-configuration',
      reply: {
        status: 200,
        body: {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${base}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: `${origin}/oidc/userinfo`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'ver'],
          kerberos_endpoint: `${base}/kerberos`,
          tenant_region_scope: 'EU',
          cloud_instance_name: 'microsoftonline.com',
          cloud_graph_host_name: 'graph.windows.net',
          msgraph_host: 'graph.microsoft.com',
          rbac_url: 'https://pas.windows.net',
        },
      },
    };
  }
  if (request.method === 'GET' && path === 'discovery/v2.0/keys') {
    return { family: '/{tenant}/discovery/v2.0/keys', reply: { status: 200, body: { keys: [] } } };
  }
  if (request.method === 'GET' && (path === 'adminconsent' || path === 'v2.0/adminconsent')) {
    return { family: `/{tenant}/${path}`, reply: adminConsent(request, found) };
  }
  if (path !== 'oauth2/v2.0/token') {
    return { family: '/{tenant}/(unmatched)', reply: aadError(404, 'invalid_request', 90010, 'The endpoint is not served by the sandbox tenant.') };
  }

  const family = '/{tenant}/oauth2/v2.0/token';
  if (request.method !== 'POST') {
    return { family, reply: aadError(400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.') };
  }
  const form = new URLSearchParams(request.bodyText);
  const clientId = form.get('client_id');
  if (form.get('grant_type') !== 'client_credentials') {
    return { family, reply: aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type. The sandbox tenant only issues client_credentials tokens.') };
  }
  if (clientId === null || clientId === '') {
    return { family, reply: aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.") };
  }
  if (clientId.toLowerCase() !== tenant.app.clientId.toLowerCase()) {
    return {
      family,
      reply: aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.organization.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      ),
    };
  }
  // The multi-tenant app exists (in its home tenant) but has no service principal in this one until an admin consents:
  // client credentials are refused before any credential is looked at (docs/graph-behaviour.md#multi-tenant-apps).
  if (!tenant.app.consented) {
    return {
      family,
      reply: aadError(401, 'invalid_client', 7000229, `The client application ${tenant.app.clientId} is missing service principal in the tenant ${tenant.tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`),
    };
  }
  const assertion = form.get('client_assertion');
  if (assertion !== null && assertion !== '') {
    if (form.get('client_assertion_type') !== jwtBearerAssertionType) {
      return { family, reply: aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.") };
    }
    const refused = dependencies.workloadIdentity === undefined
      ? { status: 400, error: 'invalid_request', code: 70021, description: 'No matching federated identity record found for presented assertion.' }
      : dependencies.workloadIdentity.refuseAssertion(assertion);
    if (refused !== undefined) return { family, reply: aadError(refused.status, refused.error, refused.code, refused.description) };
    return issueToken(form, family, found, aadError);
  }
  const secret = form.get('client_secret');
  if (secret === null || secret === '') {
    return { family, reply: aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.") };
  }
  if (secret !== tenant.app.clientSecret) {
    return {
      family,
      reply: aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${tenant.app.clientId}'.`,
      ),
    };
  }
  return issueToken(form, family, found, aadError);
}

/** The scope check and the token, once the app and its credential are accepted. */
function issueToken(form: URLSearchParams, family: string, { tenant, tokens }: AuthorityTenant, aadError: (status: number, error: string, code: number, description: string) => Reply): AuthorityOutcome {
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter((scope) => scope !== '' && !oidcScopes.has(scope));
  if (scopes.length !== 1 || !graphScopes.has(scopes[0] ?? '')) {
    return {
      family,
      reply: aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopes.join(' ') || '(none)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ),
    };
  }
  return {
    family,
    reply: {
      status: 200,
      headers: noStore,
      body: {
        token_type: 'Bearer',
        expires_in: tokens.lifetimeSeconds,
        ext_expires_in: tokens.lifetimeSeconds,
        access_token: tokens.issue(tenant.app),
      },
    },
  };
}
