import { handleScenarioAdmin } from './adminScenarios.js';
import { handleTrafficAdmin } from './adminTraffic.js';
import type { Reply } from '../http/graphRoute.js';
import type { OrganizationChange, SandboxControls } from './sandboxControls.js';
import type { TrafficControls } from './trafficControls.js';

export interface AdminRequest {
  readonly method: string;
  readonly url: URL;
  readonly bodyText: string;
}

const adminError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

const readJson = (text: string): Record<string, unknown> | undefined => {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The sandbox's own control surface under `/_sandbox/` (never under /v1.0 or /beta; no token; loopback only):
 * manifest, journal, counters, clock, directory-sync state of /organization, and the app's consented roles.
 */
export function handleAdminRequest(request: AdminRequest, controls: SandboxControls, traffic?: TrafficControls): Reply {
  const path = request.url.pathname.replace(/\/+$/, '');
  const key = `${request.method} ${path}`;
  const body = request.method === 'POST' ? readJson(request.bodyText) : {};
  if (body === undefined) return adminError(400, 'BadRequest', 'Expected a JSON object body.');
  try {
    switch (key) {
      case 'GET /_sandbox/manifest':
        return { status: 200, body: controls.manifest() };
      case 'GET /_sandbox/journal': {
        const since = Number(request.url.searchParams.get('since') ?? '0');
        if (!Number.isInteger(since) || since < 0) return adminError(400, 'BadRequest', "Expected 'since' to be a whole number of 0 or more.");
        const entries = controls.journal(since);
        return { status: 200, body: { entries, lastSeq: entries.at(-1)?.seq ?? since } };
      }
      case 'GET /_sandbox/counters':
        return { status: 200, body: controls.counters() };
      case 'GET /_sandbox/clock':
        return { status: 200, body: { now: controls.now().toISOString() } };
      case 'POST /_sandbox/clock':
        return { status: 200, body: { now: controls.setNow(typeof body.now === 'string' ? body.now : '').toISOString() } };
      case 'GET /_sandbox/organization':
        return { status: 200, body: controls.organization() };
      case 'POST /_sandbox/organization':
        return { status: 200, body: controls.setOrganization(body as OrganizationChange) };
      case 'GET /_sandbox/roles':
        return { status: 200, body: { roles: controls.roles() } };
      case 'POST /_sandbox/roles':
        return { status: 200, body: { roles: controls.setRoles(body.roles as readonly string[]) } };
      default:
        return (
          handleScenarioAdmin(key, body, controls.scenarios) ??
          (traffic === undefined ? undefined : handleTrafficAdmin(request, body, traffic)) ??
          adminError(404, 'NotFound', `No admin operation '${key}'. See GET /_sandbox/manifest, /journal, /counters, /stats; GET|POST /clock, /organization, /roles, /quota, /faults, /latency, /conditionalAccess, /registrationReport; POST /signIn, /signInNight.`)
        );
    }
  } catch (error) {
    if (error instanceof RangeError) return adminError(400, 'BadRequest', error.message);
    throw error;
  }
}
