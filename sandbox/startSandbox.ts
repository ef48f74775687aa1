import { randomBytes } from 'node:crypto';
import type { SandboxControls } from './admin/sandboxControls.js';
import type { TrafficControls } from './admin/trafficControls.js';
import { handleSandboxAdminRequest } from './admin/sandboxAdminApi.js';
import { listenManagedIdentityEndpoint } from './auth/managedIdentityEndpoint.js';
import { createWorkloadIdentity, type FederatedIdentityCredential, type ManagedIdentity, type WorkloadIdentityOptions } from './auth/workloadIdentity.js';
import { checkSandboxTenantOptions, createSandboxTenant, type SandboxTenant, type SandboxTenantOptions, type SandboxTenantWiring } from './createSandboxTenant.js';
import type { FaultOptions } from './faults/faultRules.js';
import { createCertificate } from './http/createCertificate.js';
import { createRequestListener, type ListenerTenant } from './http/createRequestListener.js';
import { listenHttps } from './http/server.js';
import { createTenantRouter, type TenantRouter } from './http/tenantRouter.js';
import { createApplicationQuota, type ApplicationQuota, type ApplicationQuotaOptions } from './quota/createApplicationQuota.js';
import type { QuotaOptions } from './quota/quotaConfig.js';
import type { JournalView } from './stats/journal.js';
import type { SandboxManifest } from './tenant/tenantModel.js';
import type { TenantState } from './tenant/tenantState.js';
import { generatedTenantName } from './tenant/tenantNames.js';

export type { SandboxTenantOptions } from './createSandboxTenant.js';
export type { FederatedIdentityCredential, ManagedIdentity } from './auth/workloadIdentity.js';

export interface SandboxOptions {
  /** Number of generated users (default 2000). */
  readonly users?: number;
  /** Generation seed (default 1): same seed and size give the same tenant. */
  readonly seed?: number;
  /** TCP port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** ISO 3166 country most users live in; national-form numbers belong to it (default 'SE'). */
  readonly homeCountry?: string;
  /** Base of the sandbox clock (default real time); setNow() shifts it. */
  readonly clock?: () => Date;
  /** Graph application permissions consented to the app registration (default: every permission the endpoints need). */
  readonly roles?: readonly string[];
  /** The app registration's secret (default: random per start). */
  readonly clientSecret?: string;
  /** Access-token lifetime in seconds (default 3599). */
  readonly tokenLifetimeSeconds?: number;
  /** Receives unexpected handler failures, which answer 500 `generalException` (default: console.error). */
  readonly onInternalError?: (error: unknown) => void;
  /** Graph throttling (token buckets, docs/graph-behaviour.md#throttling): any figure, `timeScale`, or `enabled: false`. Defaults to Graph's. */
  readonly quota?: QuotaOptions;
  /** Latency (default 10–40 ms), fault rules active from the start, and their seed (default: `seed`). */
  readonly faults?: FaultOptions;
  /**
   * Many tenants in one sandbox: one HTTPS origin for Graph and the authority, one multi-tenant app (one client id,
   * one secret), and per tenant its own directory, token endpoint, quota meter, faults, journal and admin API. Each
   * entry's fields override the top-level `users`, `homeCountry`, `roles`, `quota` and `faults`; a tenant's `seed`
   * defaults to the top-level `seed` plus its index (tenants need different seeds), its `displayName` to a generated
   * name ('Contoso' first). Absent: one tenant from the top-level options, exactly as before.
   */
  readonly tenants?: readonly SandboxTenantOptions[];
  /**
   * Workload identity federation: the user-assigned managed identity the identity endpoint serves, and the app's
   * federated identity credentials (default: one trusting that identity's tokens in every tenant).
   */
  readonly workloadIdentity?: WorkloadIdentityOptions;
  /**
   * Graph's application-wide limits, shared by every tenant (150,000 resource units per 20 s, 35,000 writes per 5 min,
   * docs/graph-behaviour.md#throttling): any figure, or `enabled: false`. `timeScale` defaults to `quota.timeScale`.
   */
  readonly applicationQuota?: ApplicationQuotaOptions;
}

/** The managed identity endpoint and the app's federated credentials (`/_sandbox/{managedIdentity,federatedCredentials}`). */
export interface SandboxWorkloadIdentity {
  /** Set as `IDENTITY_ENDPOINT` for ManagedIdentityCredential (App Service protocol, plain HTTP on loopback as the host serves it). */
  readonly identityEndpoint: string;
  /** Set as `IDENTITY_HEADER`. */
  readonly identityHeader: string;
  /** Its client id is what `new ManagedIdentityCredential({ clientId })` names. */
  readonly managedIdentity: ManagedIdentity;
  /** The `iss` of the managed identity's tokens: `<origin>/<its tenant>/v2.0`. */
  readonly issuer: string;
  federatedCredentials(): readonly FederatedIdentityCredential[];
  /** Replaces the app's federated credentials (RangeError naming a bad field). */
  setFederatedCredentials(credentials: readonly FederatedIdentityCredential[]): readonly FederatedIdentityCredential[];
}

/** One tenant of a running sandbox: what the single-tenant handle exposes of its tenant. */
export interface SandboxTenantHandle {
  readonly tenantId: string;
  /** The organization's display name (its domains follow from it). */
  readonly displayName: string;
  /** The live tenant (users, groups, methods, MFA states, clock): what a test reads to check Graph's state. */
  readonly state: TenantState;
  /** Every write, the request counters, and `onWrite` to see each write as it is journaled. */
  readonly journal: JournalView;
  readonly manifest: SandboxManifest;
  /** Clock, directory sync, roles, consent, Conditional Access scenario, registration report and sign-ins (`<adminUrl>{clock,…}`). */
  readonly controls: SandboxControls;
  /** Statistics, quotas, faults and latency of this tenant (`<adminUrl>{stats,quota,faults,latency}`). */
  readonly traffic: TrafficControls;
  /** `https://localhost:PORT/_sandbox/tenants/{tenantId}/`: this tenant's admin API. */
  readonly tenantAdminUrl: string;
  /** `https://localhost:PORT/{tenantId}/oauth2/v2.0/token`. */
  readonly tokenEndpoint: string;
}

/**
 * A running sandbox. Each operation has one home: `controls` and `traffic` are what the admin API offers. The
 * tenant fields (`tenantId`, `state`, `journal`, `manifest`, `controls`, `traffic`) are the first tenant's.
 */
export interface SandboxHandle extends SandboxTenantHandle {
  /** `https://localhost:PORT/`: the Graph base URL and the authority host. */
  readonly url: string;
  /** `https://localhost:PORT` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  /** `https://localhost:PORT/_sandbox/`. */
  readonly adminUrl: string;
  /** PEM of the self-signed certificate the server uses; trust it as an extra CA. */
  readonly caPem: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The live tenant (users, groups, methods, MFA states, clock): what a test reads to check Graph's state. */
  readonly state: TenantState;
  /** Every write, the request counters, and `onWrite` to see each write as it is journaled. */
  readonly journal: JournalView;
  readonly manifest: SandboxManifest;
  /** Clock, directory sync, roles, Conditional Access scenario, registration report and sign-ins (`/_sandbox/{clock,organization,roles,conditionalAccess,registrationReport,signIn,signInNight}`). */
  readonly controls: SandboxControls;
  /** Statistics, quotas, faults and latency (`/_sandbox/{stats,quota,faults,latency}`). */
  readonly traffic: TrafficControls;
  /** Every tenant, in the order given (one for a single-tenant sandbox). */
  readonly tenants: readonly SandboxTenantHandle[];
  /** The tenant with this id (ignoring case); RangeError when the sandbox has none. */
  tenant(tenantId: string): SandboxTenantHandle;
  readonly workloadIdentity: SandboxWorkloadIdentity;
  /** The app's limits across all tenants (`/_sandbox/applicationQuota`): config, configure (RangeError), usage. */
  readonly applicationQuota: Pick<ApplicationQuota, 'config' | 'configure' | 'usage'>;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/** The tenants a sandbox starts: the `tenants` entries over the top-level defaults, or one tenant from the top level. */
function tenantOptionsOf(options: SandboxOptions): SandboxTenantOptions[] {
  const shared: SandboxTenantOptions = {
    ...(options.users === undefined ? {} : { users: options.users }),
    ...(options.homeCountry === undefined ? {} : { homeCountry: options.homeCountry }),
    ...(options.roles === undefined ? {} : { roles: options.roles }),
    ...(options.quota === undefined ? {} : { quota: options.quota }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  };
  const seed = options.seed ?? 1;
  if (options.tenants === undefined) return [{ ...shared, seed }];
  if (!Array.isArray(options.tenants) || options.tenants.length === 0) throw new RangeError("startSandbox: expected 'tenants' to list at least one tenant");
  return options.tenants.map((entry, index) => ({ ...shared, seed: seed + index, displayName: generatedTenantName(index), ...entry }));
}

/** Runs one tenant's step, naming the tenant in a RangeError when the sandbox has several. */
function inTenant<T>(options: SandboxOptions, index: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (options.tenants === undefined || !(error instanceof RangeError)) throw error;
    throw new RangeError(error.message.replace(/^startSandbox: /, `startSandbox: tenants[${index}]: `));
  }
}

function tenantHandle(entry: SandboxTenant, origin: string): SandboxTenantHandle {
  const { tenant } = entry;
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.organization.displayName,
    state: tenant,
    journal: entry.journal,
    manifest: tenant.manifest,
    controls: entry.controls,
    traffic: entry.traffic,
    tenantAdminUrl: `${origin}/_sandbox/tenants/${tenant.tenantId}/`,
    tokenEndpoint: `${origin}/${tenant.tenantId}/oauth2/v2.0/token`,
  };
}

/** `GET /_sandbox/tenants`: each tenant's id, name, size, consent and admin URL. */
function tenantSummary(entry: SandboxTenantHandle): Record<string, unknown> {
  return { tenantId: entry.tenantId, displayName: entry.displayName, users: entry.state.users.length, seed: entry.manifest.seed, consented: entry.controls.consented(), adminUrl: entry.tenantAdminUrl, tokenEndpoint: entry.tokenEndpoint };
}

/**
 * Starts a local HTTPS server that behaves like Microsoft Graph (and like the Entra token endpoint) for a generated
 * tenant. Listens on 127.0.0.1 only, with a certificate made at start for `localhost` and `127.0.0.1`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const port = options.port ?? 0;
  const tenantOptions = tenantOptionsOf(options);
  for (const [index, entry] of tenantOptions.entries()) inTenant(options, index, () => checkSandboxTenantOptions(entry));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError("startSandbox: expected 'port' to be a TCP port number (0 for any free port)");

  const certificate = await createCertificate();
  const server = await listenHttps({ key: certificate.keyPem, cert: certificate.certPem, port });
  const origin = `https://localhost:${server.port}`;
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('sandbox: unexpected error', error));
  const clientSecret = options.clientSecret ?? `sbx~${randomBytes(24).toString('base64url')}`;

  let router: TenantRouter<ListenerTenant & SandboxTenant>;
  let applicationQuota: ApplicationQuota;
  try {
    applicationQuota = createApplicationQuota({ ...(options.quota?.timeScale === undefined ? {} : { timeScale: options.quota.timeScale }), ...options.applicationQuota });
    const wiring: SandboxTenantWiring = {
      clock: options.clock ?? (() => new Date()),
      clientSecret,
      // Every tenant's tokens are signed with one key (as Entra signs all tenants' with the same keys); `tid` tells them apart.
      tokenKey: randomBytes(32),
      origin,
      onInternalError,
      applicationQuota,
      ...(options.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
    };
    const [firstOptions = {}, ...otherOptions] = tenantOptions;
    const first = inTenant(options, 0, () => createSandboxTenant(firstOptions, wiring));
    // One multi-tenant app: the first tenant's generated client id is the app's id in every tenant.
    const others = otherOptions.map((entry, index) => inTenant(options, index + 1, () => createSandboxTenant(entry, { ...wiring, clientId: first.tenant.app.clientId })));
    router = createTenantRouter([first, ...others].map((entry) => ({ ...entry, admin: { tenant: entry.tenant, journal: entry.journal, controls: entry.controls, traffic: entry.traffic } })));
  } catch (error) {
    await server.close();
    throw error;
  }
  const tenants = router.all.map((entry) => tenantHandle(entry, origin));
  const [primary] = tenants;
  if (primary === undefined) throw new RangeError('startSandbox: expected at least one tenant');
  let workloadIdentity: ReturnType<typeof createWorkloadIdentity>;
  let identity: Awaited<ReturnType<typeof listenManagedIdentityEndpoint>>;
  try {
    workloadIdentity = createWorkloadIdentity({ ...options.workloadIdentity, origin, defaultTenantId: primary.tenantId });
    identity = await listenManagedIdentityEndpoint(workloadIdentity);
  } catch (error) {
    await server.close();
    throw error;
  }
  const surface = { tenants: () => tenants.map(tenantSummary), workloadIdentity, applicationQuota, identityEndpoint: identity.identityEndpoint, identityHeader: identity.identityHeader };
  server.attach(createRequestListener({ tenants: router, origin, workloadIdentity, sandboxAdmin: (request) => handleSandboxAdminRequest(request, surface), onInternalError }));

  let stopped: Promise<void> | undefined;
  return {
    ...primary,
    url: `${origin}/`,
    origin,
    port: server.port,
    adminUrl: `${origin}/_sandbox/`,
    caPem: certificate.certPem,
    clientId: primary.state.app.clientId,
    clientSecret,
    tenants,
    tenant: (tenantId) => {
      const found = tenants.find((entry) => entry.tenantId.toLowerCase() === tenantId.toLowerCase());
      if (found === undefined) throw new RangeError(`startSandbox: no tenant '${tenantId}' in this sandbox`);
      return found;
    },
    applicationQuota: { config: () => applicationQuota.config(), configure: (change) => applicationQuota.configure(change), usage: () => applicationQuota.usage() },
    workloadIdentity: {
      identityEndpoint: identity.identityEndpoint,
      identityHeader: identity.identityHeader,
      managedIdentity: workloadIdentity.managedIdentity,
      issuer: workloadIdentity.issuer,
      federatedCredentials: () => workloadIdentity.federatedCredentials(),
      setFederatedCredentials: (credentials) => workloadIdentity.setFederatedCredentials(credentials),
    },
    stop: () => {
      stopped ??= Promise.all([server.close(), identity.close()]).then(() => undefined);
      return stopped;
    },
  };
}
