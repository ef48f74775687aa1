import { randomBytes } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { createSandboxControls, type SandboxControls } from './admin/sandboxControls.js';
import { createTrafficControls, type TrafficControls } from './admin/trafficControls.js';
import { defaultAppRoles } from './auth/graphPermissions.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { batchOperation, createBatchRoute, isBatchRoute } from './batch/createBatchRoute.js';
import { createFaultInjector } from './faults/createFaultInjector.js';
import { defaultLatency, mergeLatency, type FaultOptions } from './faults/faultRules.js';
import { compileRoutes } from './http/compileRoutes.js';
import { createCertificate } from './http/createCertificate.js';
import { createGraphDispatcher, type GraphOutcome } from './http/createGraphDispatcher.js';
import { createRequestListener } from './http/createRequestListener.js';
import type { GraphRequest } from './http/graphRoute.js';
import { defaultGraphPipeline, graphStages } from './http/graphStages.js';
import { listenHttps } from './http/server.js';
import { mailboxConcurrency } from './mail/mailboxConcurrency.js';
import { createQuotaMeter } from './quota/createQuotaMeter.js';
import { defaultQuotaConfig, mergeQuotaConfig, type QuotaOptions } from './quota/quotaConfig.js';
import { graphRoutes } from './routes/graphRoutes.js';
import { createOutcomeRecorder, type OutcomeRecorder } from './stats/createOutcomeRecorder.js';
import { createTrafficStats } from './stats/createTrafficStats.js';
import { createWriteObserver } from './stats/createWriteObserver.js';
import { createJournal, type Journal, type JournalView } from './stats/journal.js';
import { seedTenant } from './tenant/seedTenant.js';
import type { SandboxManifest } from './tenant/tenantModel.js';
import { createTenantState, type TenantState } from './tenant/tenantState.js';

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
}

/** A running sandbox. Each operation has one home: `controls` and `traffic` are what the admin API offers. */
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
  /** The live tenant (users, groups, methods, MFA states, clock): what a test reads to check Graph's state. */
  readonly state: TenantState;
  /** Every write, the request counters, and `onWrite` to see each write as it is journaled. */
  readonly journal: JournalView;
  readonly manifest: SandboxManifest;
  /** Clock, directory sync, roles, Conditional Access scenario, registration report and sign-ins (`/_sandbox/{clock,organization,roles,conditionalAccess,registrationReport,signIn,signInNight}`). */
  readonly controls: SandboxControls;
  /** Statistics, quotas, faults and latency (`/_sandbox/{stats,quota,faults,latency}`). */
  readonly traffic: TrafficControls;
  /** Stops listening and closes open connections. */
  stop(): Promise<void>;
}

interface GraphTrafficOptions {
  readonly tenant: TenantState;
  readonly tokens: TokenService;
  readonly journal: Journal;
  readonly origin: string;
  /** Default seed of faults and of the `$batch` answer order. */
  readonly seed: number;
  readonly quota?: QuotaOptions;
  readonly faults?: FaultOptions;
  readonly onInternalError?: (error: unknown) => void;
}

/**
 * Puts the Graph side together: the route table with `$batch`, the pipeline with fault injection, quota metering and
 * the duplicate-write observer, and the recorder that books every exchange. Options are checked eagerly (RangeError).
 */
function wireGraphTraffic(options: GraphTrafficOptions): { dispatchGraph: (request: GraphRequest) => Promise<GraphOutcome>; record: OutcomeRecorder; traffic: TrafficControls } {
  const { tenant, journal } = options;
  const quotaConfig = mergeQuotaConfig(defaultQuotaConfig(tenant.users.length), options.quota ?? {});
  const latency = options.faults?.latency === undefined ? defaultLatency : mergeLatency(defaultLatency, options.faults.latency);
  const faultSeed = options.faults?.seed ?? options.seed;
  if (!Number.isInteger(faultSeed)) throw new RangeError("startSandbox: expected 'faults.seed' to be a whole number");

  const stats = createTrafficStats();
  const record = createOutcomeRecorder(journal, stats);
  const quota = createQuotaMeter({ tenantId: tenant.tenantId, config: quotaConfig, isUnmetered: isBatchRoute });
  journal.reportQuotaTimeScale(() => quota.config().timeScale);
  const operations = new Set([...graphRoutes.map((route) => route.operation), batchOperation]);
  const faults = createFaultInjector({ tenant, seed: faultSeed, latency, rules: options.faults?.rules ?? [], isEnvelope: isBatchRoute, operations });

  // The batch route runs its items through the dispatcher that contains it.
  const late: { dispatch?: (request: GraphRequest) => Promise<GraphOutcome> } = {};
  const batchRoute = createBatchRoute({
    dispatch: (request) => {
      if (late.dispatch === undefined) throw new Error('startSandbox: the dispatcher is not ready');
      return late.dispatch(request);
    },
    record,
    seed: options.seed,
  });
  const stages = graphStages({ routes: compileRoutes([...graphRoutes, batchRoute]), tokens: options.tokens });
  const dispatchGraph = createGraphDispatcher({
    tenant,
    origin: options.origin,
    stages: defaultGraphPipeline(stages, { mailbox: mailboxConcurrency(() => tenant.mail.limits().concurrency), faults: faults.stage, quota: quota.stage, observeWrites: createWriteObserver(tenant, stats) }),
    ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
  });
  late.dispatch = dispatchGraph;
  return { dispatchGraph, record, traffic: createTrafficControls({ stats, quota, faults }) };
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
  const controls = createSandboxControls(tenant);
  let graph: ReturnType<typeof wireGraphTraffic>;
  try {
    graph = wireGraphTraffic({ tenant, tokens, journal, origin, seed, onInternalError, ...(options.quota === undefined ? {} : { quota: options.quota }), ...(options.faults === undefined ? {} : { faults: options.faults }) });
  } catch (error) {
    await server.close();
    throw error;
  }
  const { dispatchGraph, record, traffic } = graph;
  server.attach(createRequestListener({ tenant, tokens, origin, dispatchGraph, journal, record, admin: { tenant, journal, controls, traffic }, onInternalError }));

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
    traffic,
    stop: () => {
      stopped ??= server.close();
      return stopped;
    },
  };
}
