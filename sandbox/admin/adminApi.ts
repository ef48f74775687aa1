import type { Reply } from '../http/graphRoute.js';
import type { Journal } from '../stats/journal.js';
import type { TenantState } from '../tenant/tenantState.js';
import type { ConditionalAccessChange, MethodsPolicyChange, OrganizationChange, RegistrationReportChange, SandboxControls, SignInNightOptions, SimulateSignInsOptions } from './sandboxControls.js';
import type { SignInSimulationSettings } from '../tenant/simulateSignIns.js';
import type { TrafficControls } from './trafficControls.js';
import type { TemporaryAccessPassIssuance } from '../tenant/temporaryAccessPasses.js';
import type { RegistrableMethod } from '../tenant/tenantState.js';
import { tenantUsers } from './tenantUsers.js';

export interface AdminRequest {
  readonly method: string;
  readonly url: URL;
  readonly bodyText: string;
}

/** What the admin API reads and changes. */
export interface AdminSurface {
  readonly tenant: TenantState;
  readonly journal: Journal;
  readonly controls: SandboxControls;
  readonly traffic: TrafficControls;
}

const adminError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });

const readJson = (text: string): Record<string, unknown> | undefined => {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

type Operation = (request: AdminRequest, body: Record<string, unknown>, surface: AdminSurface) => Reply;

/** Every admin operation, by `METHOD path` under `/_sandbox/`. */
const operations: Readonly<Record<string, Operation>> = {
  'GET manifest': (_request, _body, { tenant }) => ok(tenant.manifest),
  'GET journal': (request, _body, { journal }) => {
    const since = Number(request.url.searchParams.get('since') ?? '0');
    if (!Number.isInteger(since) || since < 0) return adminError(400, 'BadRequest', "Expected 'since' to be a whole number of 0 or more.");
    const entries = journal.entries(since);
    return ok({ entries, lastSeq: entries.at(-1)?.seq ?? since });
  },
  'GET counters': (_request, _body, { journal }) => ok(journal.counters()),
  'GET clock': (_request, _body, { tenant }) => ok({ now: tenant.now().toISOString() }),
  'POST clock': (_request, body, { controls }) => ok({ now: controls.setNow(typeof body.now === 'string' ? body.now : '').toISOString() }),
  'GET organization': (_request, _body, { controls }) => ok(controls.organization()),
  'POST organization': (_request, body, { controls }) => ok(controls.setOrganization(body as OrganizationChange)),
  'GET roles': (_request, _body, { controls }) => ok({ roles: controls.roles() }),
  'POST roles': (_request, body, { controls }) => ok({ roles: controls.setRoles(body.roles as readonly string[]) }),
  'GET consent': (_request, _body, { controls }) => ok({ consented: controls.consented() }),
  'POST consent': (_request, _body, { controls }) => ok({ consented: controls.consent() }),
  'GET conditionalAccess': (_request, _body, { controls }) => ok(controls.conditionalAccess()),
  'POST conditionalAccess': (_request, body, { controls }) => ok(controls.setConditionalAccess(body as ConditionalAccessChange)),
  'GET registrationReport': (_request, _body, { controls }) => ok(controls.registrationReport()),
  'POST registrationReport': (_request, body, { controls }) => ok(controls.setRegistrationReport(body as RegistrationReportChange)),
  'POST signIn': (_request, body, { controls }) => ok(controls.signIn(body.user as string)),
  'POST signInNight': (_request, body, { controls }) => ok(controls.signInNight(body as unknown as SignInNightOptions)),
  'POST simulateSignIns': (_request, body, { controls }) => ok(controls.simulateSignIns(body as unknown as SimulateSignInsOptions)),
  'GET signInSimulation': (_request, _body, { controls }) => ok(controls.signInSimulation()),
  'POST signInSimulation': (_request, body, { controls }) => ok(controls.setSignInSimulation(body as Partial<SignInSimulationSettings>)),
  'GET tenantUsers': (_request, _body, { tenant }) => ok({ users: tenantUsers(tenant) }),
  'GET methodsPolicy': (_request, _body, { controls }) => ok(controls.methodsPolicy()),
  'POST methodsPolicy': (_request, body, { controls }) => ok(controls.setMethodsPolicy(body as MethodsPolicyChange)),
  'POST registerMethod': (_request, body, { controls }) => ok(controls.registerMethod(body.user as string, body.method as RegistrableMethod), 201),
  'GET temporaryAccessPass': (request, _body, { controls }) => ok(controls.temporaryAccessPass(request.url.searchParams.get('user') ?? '')),
  'POST temporaryAccessPass/check': (_request, body, { controls }) => ok({ matches: controls.checkTemporaryAccessPass(body.user as string, body.pass as string) }),
  'GET temporaryAccessPassIssuance': (_request, _body, { controls }) => ok({ issuance: controls.temporaryAccessPassIssuance() }),
  'POST temporaryAccessPassIssuance': (_request, body, { controls }) => ok({ issuance: controls.setTemporaryAccessPassIssuance(body.issuance as TemporaryAccessPassIssuance) }),
  'GET stats': (request, _body, { traffic }) => ok(traffic.stats({ perUser: request.url.searchParams.get('perUser') === 'true' })),
  'GET quota': (_request, _body, { traffic }) => ok(traffic.quota()),
  'POST quota': (_request, body, { traffic }) => {
    traffic.setQuota(body);
    return ok(traffic.quota());
  },
  'GET mail': (_request, _body, { tenant }) => ok({ limits: tenant.mail.limits(), messages: tenant.mail.messages() }),
  'POST mail': (_request, body, { tenant }) => ok({ limits: tenant.mail.configure(body), messages: tenant.mail.messages() }),
  'GET faults': (_request, _body, { traffic }) => ok(traffic.faults()),
  'POST faults': (_request, body, { traffic }) => ok(traffic.addFault(body), 201),
  'DELETE faults': (_request, _body, { traffic }) => {
    traffic.clearFaults();
    return ok(traffic.faults());
  },
  'GET latency': (_request, _body, { traffic }) => ok(traffic.faults().latency),
  'POST latency': (_request, body, { traffic }) => ok(traffic.setLatency(body.off === true ? false : body)),
};

const removeFault = (id: string, traffic: TrafficControls): Reply =>
  traffic.removeFault(id) ? ok(traffic.faults()) : adminError(404, 'NotFound', `No active fault '${id}'.`);

/**
 * The sandbox's own control surface under `/_sandbox/` (never under /v1.0 or /beta; no token; loopback only). JSON
 * bodies; validation errors (RangeErrors naming the field) are answered 400.
 *
 * - `GET manifest`, `GET journal[?since=seq]`, `GET counters`, `GET stats[?perUser=true]`
 * - `GET|POST clock {now}`, `GET|POST organization {onPremisesSyncEnabled?, onPremisesLastSyncDateTime?, lastSyncAgeMinutes?}`,
 *   `GET|POST roles {roles}`
 * - `GET|POST conditionalAccess {scenario? | policies? (+ strengths?), throttled?, expandStrength?}`, `GET|POST registrationReport {lagMinutes?, licensed?, throttled?, pageSize?}`,
 *   `POST signIn {user}`, `POST signInNight {share, seed?}`, `POST simulateSignIns {share, seed?}`,
 *   `GET|POST signInSimulation {registerProbability?, smsDelivery?, smsRetirementDate?}` (settings, totals, blocked sign-ins)
 * - `GET tenantUsers`: every user's MFA facts as Graph holds them (method kinds, per-user state, groups, pass)
 * - `GET|POST methodsPolicy {scenario?, securityDefaults?}` (the Authentication methods policy and security defaults)
 * - `POST registerMethod {user, method}` (a user registers Authenticator, a passkey or a hardware token),
 *   `GET temporaryAccessPass?user=`, `POST temporaryAccessPass/check {user, pass}`, `GET|POST temporaryAccessPassIssuance {issuance}`
 * - `GET|POST quota`, `GET|POST|DELETE faults`, `DELETE faults/{id}`, `GET|POST latency`
 * - `GET|POST mail {concurrency?, messagesPerMinute?, recipientsPerDay?, reset?}`: Exchange's limits and every message accepted
 */
export function handleAdminRequest(request: AdminRequest, surface: AdminSurface): Reply {
  const path = request.url.pathname.replace(/\/+$/, '').replace(/^\/_sandbox\/?/, '');
  const body = request.method === 'POST' ? readJson(request.bodyText) : {};
  if (body === undefined) return adminError(400, 'BadRequest', 'Expected a JSON object body.');
  try {
    const operation = operations[`${request.method} ${path}`];
    if (operation !== undefined) return operation(request, body, surface);
    const fault = /^faults\/([^/]+)$/.exec(path);
    if (request.method === 'DELETE' && fault?.[1] !== undefined) return removeFault(fault[1], surface.traffic);
    return adminError(
      404,
      'NotFound',
      `No admin operation '${request.method} /_sandbox/${path}'. See GET /_sandbox/manifest, /journal, /counters, /stats, /tenantUsers; GET|POST /clock, /organization, /roles, /quota, /faults, /latency, /mail, /conditionalAccess, /registrationReport, /methodsPolicy, /temporaryAccessPassIssuance, /signInSimulation; GET /temporaryAccessPass?user=; POST /signIn, /signInNight, /simulateSignIns, /registerMethod, /temporaryAccessPass/check; DELETE /faults, /faults/{id}.`,
    );
  } catch (error) {
    if (error instanceof RangeError) return adminError(400, 'BadRequest', error.message);
    throw error;
  }
}
