import type { Reply } from '../http/graphRoute.js';
import type { AdminRequest } from './adminApi.js';
import type { WorkloadIdentity } from '../auth/workloadIdentity.js';
import type { ApplicationQuota } from '../quota/createApplicationQuota.js';

/** What the sandbox-wide admin operations read and change (a tenant's own are `adminApi.ts`). */
export interface SandboxAdminSurface {
  /** Each tenant's id, name, size, consent and admin URL. */
  readonly tenants: () => readonly Record<string, unknown>[];
  readonly workloadIdentity: WorkloadIdentity;
  readonly applicationQuota: ApplicationQuota;
  readonly identityEndpoint: string;
  readonly identityHeader: string;
}

const badRequest = (message: string): Reply => ({ status: 400, body: { error: { code: 'BadRequest', message } } });

/** Runs `change` with the JSON object body; 400 for another body or a RangeError naming the field. */
function withBody(request: AdminRequest, change: (body: Record<string, unknown>) => Reply): Reply {
  let body: unknown;
  try {
    body = request.bodyText.trim() === '' ? {} : (JSON.parse(request.bodyText) as unknown);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('Expected a JSON object body.');
  try {
    return change(body as Record<string, unknown>);
  } catch (error) {
    if (error instanceof RangeError) return badRequest(error.message);
    throw error;
  }
}

/**
 * The admin operations of the whole sandbox, under `/_sandbox/`: `GET tenants`, `GET managedIdentity`,
 * `GET|POST applicationQuota {enabled?, resourceUnits?, resourceUnitWindowSeconds?, writes?, writeWindowSeconds?, timeScale?}`,
 * `GET|POST federatedCredentials {federatedCredentials: [{name, issuer, subject, audiences}]}` (the app's, in every
 * tenant). Undefined for any other path (a tenant's operation).
 */
export function handleSandboxAdminRequest(request: AdminRequest, surface: SandboxAdminSurface): Reply | undefined {
  const path = request.url.pathname.replace(/\/+$/, '').replace(/^\/_sandbox\/?/, '');
  const { workloadIdentity } = surface;
  switch (`${request.method} ${path}`) {
    case 'GET tenants':
      return { status: 200, body: { tenants: surface.tenants() } };
    case 'GET managedIdentity':
      return {
        status: 200,
        body: { ...workloadIdentity.managedIdentity, issuer: workloadIdentity.issuer, identityEndpoint: surface.identityEndpoint, identityHeader: surface.identityHeader },
      };
    case 'GET applicationQuota':
      return { status: 200, body: surface.applicationQuota.usage() };
    case 'POST applicationQuota':
      return withBody(request, (body) => {
        surface.applicationQuota.configure(body);
        return { status: 200, body: surface.applicationQuota.usage() };
      });
    case 'GET federatedCredentials':
      return { status: 200, body: { federatedCredentials: workloadIdentity.federatedCredentials() } };
    case 'POST federatedCredentials':
      return withBody(request, (body) => ({ status: 200, body: { federatedCredentials: workloadIdentity.setFederatedCredentials(body.federatedCredentials) } }));
    default:
      return undefined;
  }
}
