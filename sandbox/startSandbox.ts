import { randomBytes } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { createCertificate } from './http/createCertificate.js';
import type { FaultOptions } from './faults/faultRules.js';
import { defaultAppRoles } from './auth/graphPermissions.js';
import { createJournal, type Journal, type RequestCounters } from './stats/journal.js';
import { createRequestListener } from './http/createRequestListener.js';
import type { QuotaOptions } from './quota/quotaConfig.js';
import { createSandboxControls, type OrganizationChange, type SandboxControls } from './admin/sandboxControls.js';
import type { SandboxScenarios } from './admin/sandboxScenarios.js';
import { seedTenant } from './tenant/seedTenant.js';
import { listenHttps } from './http/server.js';
import type { SandboxManifest } from './tenant/tenantModel.js';
import { createTenantState, type TenantState } from './tenant/tenantState.js';
import { createTokenService } from './auth/tokens.js';
import type { SandboxStats, TrafficControls } from './admin/trafficControls.js';
import { wireGraphTraffic } from './wireGraphTraffic.js';

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
  /** Graph throttling (token buckets, graph-notes §8): any figure, `timeScale`, or `enabled: false`. Defaults to Graph's. */
  readonly quota?: QuotaOptions;
  /** Latency (default 10–40 ms), fault rules active from the start, and their seed (default: `seed`). */
  readonly faults?: FaultOptions;
}

export interface SandboxHandle {
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
  /** The live tenant (users, groups, methods, MFA states, clock). */
  readonly state: TenantState;
  readonly journal: Journal;
  readonly manifest: SandboxManifest;
  /** The same operations the admin API offers. */
  readonly controls: SandboxControls;
  /** Conditional Access scenarios, the registration report and sign-ins: `/_sandbox/{conditionalAccess,registrationReport,signIn,signInNight}`. */
  readonly scenarios: SandboxScenarios;
  /** Quotas, faults, latency and statistics: the same operations as `/_sandbox/{stats,quota,faults,latency}`. */
  readonly traffic: TrafficControls;
  stats(options?: { readonly perUser?: boolean }): SandboxStats;
  setNow(date: Date | string): Date;
  setOrganization(change: OrganizationChange): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  setRoles(roles: readonly string[]): readonly string[];
  counters(): RequestCounters;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

/**
 * Starts a local HTTPS server that behaves like Microsoft Graph (and like the Entra token endpoint) for a generated
 * tenant. Listens on 127.0.0.1 only, with a certificate made at start for `localhost` and `127.0.0.1`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const size = options.users ?? 2000;
  const seed = options.seed ?? 1;
  const homeCountry = options.homeCountry ?? 'SE';
  if (!isSupportedCountry(homeCountry)) throw new RangeError("startSandbox: expected 'homeCountry' to be an ISO 3166 country code libphonenumber-js knows, e.g. 'SE'");
  if (!Number.isInteger(size) || size < 0 || size > 1_000_000) throw new RangeError("startSandbox: expected 'users' to be a whole number from 0 to 1,000,000");
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError("startSandbox: expected 'port' to be a TCP port number (0 for any free port)");

  const seeded = seedTenant({ seed, size, homeCountry });
  const journal = createJournal();
  const tenant = createTenantState({
    seeded,
    journal,
    clock: options.clock ?? (() => new Date()),
    clientSecret: options.clientSecret ?? `sbx~${randomBytes(24).toString('base64url')}`,
    roles: options.roles ?? defaultAppRoles,
    limitTimeScale: options.quota?.timeScale ?? 1,
  });
  const certificate = await createCertificate();
  const server = await listenHttps({ key: certificate.keyPem, cert: certificate.certPem, port });
  const origin = `https://localhost:${server.port}`;
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('sandbox: unexpected error', error));

  const tokens = createTokenService({ tenantId: tenant.tenantId, ...(options.tokenLifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.tokenLifetimeSeconds }) });
  const controls = createSandboxControls(tenant, journal);
  let graph: ReturnType<typeof wireGraphTraffic>;
  try {
    graph = wireGraphTraffic({ tenant, tokens, journal, origin, seed, onInternalError, ...(options.quota === undefined ? {} : { quota: options.quota }), ...(options.faults === undefined ? {} : { faults: options.faults }) });
  } catch (error) {
    await server.close();
    throw error;
  }
  const { dispatchGraph, record, traffic } = graph;
  server.attach(createRequestListener({ tenant, tokens, origin, dispatchGraph, journal, record, controls, traffic, onInternalError }));

  let stopped: Promise<void> | undefined;
  return {
    url: `${origin}/`,
    origin,
    port: server.port,
    adminUrl: `${origin}/_sandbox/`,
    caPem: certificate.certPem,
    tenantId: tenant.tenantId,
    clientId: tenant.app.clientId,
    clientSecret: tenant.app.clientSecret,
    state: tenant,
    journal,
    manifest: tenant.manifest,
    controls,
    scenarios: controls.scenarios,
    traffic,
    stats: traffic.stats,
    setNow: controls.setNow,
    setOrganization: controls.setOrganization,
    setRoles: controls.setRoles,
    counters: controls.counters,
    stop: () => {
      stopped ??= server.close();
      return stopped;
    },
  };
}
