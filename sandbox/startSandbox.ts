import { randomBytes } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { createCertificate } from './createCertificate.js';
import { createGraphDispatcher } from './createGraphDispatcher.js';
import { defaultAppRoles } from './graphPermissions.js';
import { defaultGraphPipeline, graphStages } from './graphStages.js';
import { createJournal, type Journal, type RequestCounters } from './journal.js';
import { compileRoutes } from './compileRoutes.js';
import { createRequestListener } from './createRequestListener.js';
import { graphRoutes } from './routes/graphRoutes.js';
import { createSandboxControls, type OrganizationChange, type SandboxControls } from './sandboxControls.js';
import { seedTenant } from './seedTenant.js';
import { listenHttps } from './server.js';
import type { SandboxManifest } from './tenantModel.js';
import { createTenantState, type TenantState } from './tenantState.js';
import { createTokenService } from './tokens.js';

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
  const tenant = createTenantState({
    seeded,
    clock: options.clock ?? (() => new Date()),
    clientSecret: options.clientSecret ?? `sbx~${randomBytes(24).toString('base64url')}`,
    roles: options.roles ?? defaultAppRoles,
  });
  const certificate = await createCertificate();
  const server = await listenHttps({ key: certificate.keyPem, cert: certificate.certPem, port });
  const origin = `https://localhost:${server.port}`;
  const onInternalError = options.onInternalError ?? ((error: unknown) => console.error('sandbox: unexpected error', error));

  const tokens = createTokenService({ tenantId: tenant.tenantId, ...(options.tokenLifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.tokenLifetimeSeconds }) });
  const journal = createJournal();
  const controls = createSandboxControls(tenant, journal);
  const stages = graphStages({ routes: compileRoutes(graphRoutes), tokens });
  const dispatchGraph = createGraphDispatcher({
    tenant,
    origin,
    stages: defaultGraphPipeline(stages),
    onInternalError,
  });
  server.attach(createRequestListener({ tenant, tokens, origin, dispatchGraph, journal, controls, onInternalError }));

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
