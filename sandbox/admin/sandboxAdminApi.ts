import type { Reply } from '../http/graphRoute.js';
import type { AdminRequest } from './adminApi.js';
import type { WorkloadIdentity } from '../auth/workloadIdentity.js';

/** What the sandbox-wide admin operations read and change (a tenant's own are `adminApi.ts`). */
export interface SandboxAdminSurface {
  /** Each tenant's id, name, size, consent and admin URL. */
  readonly tenants: () => readonly Record<string, unknown>[];
  readonly workloadIdentity: WorkloadIdentity;
  readonly identityEndpoint: string;
  readonly identityHeader: string;
}

const readBody = (text: string): unknown => {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
};

/**
 * The admin operations of the whole sandbox, under `/_sandbox/`: `GET tenants`, `GET managedIdentity`,
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
    case 'GET federatedCredentials':
      return { status: 200, body: { federatedCredentials: workloadIdentity.federatedCredentials() } };
    case 'POST federatedCredentials': {
      const body = readBody(request.bodyText);
      if (typeof body !== 'object' || body === null) return { status: 400, body: { error: { code: 'BadRequest', message: 'Expected a JSON object body.' } } };
      try {
        return { status: 200, body: { federatedCredentials: workloadIdentity.setFederatedCredentials((body as Record<string, unknown>).federatedCredentials) } };
      } catch (error) {
        if (error instanceof RangeError) return { status: 400, body: { error: { code: 'BadRequest', message: error.message } } };
        throw error;
      }
    }
    default:
      return undefined;
  }
}
