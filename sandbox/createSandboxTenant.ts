import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { createSandboxControls, type SandboxControls } from './admin/sandboxControls.js';
import { createTrafficControls, type TrafficControls } from './admin/trafficControls.js';
import { defaultAppRoles } from './auth/graphPermissions.js';
import { createTokenService, type TokenService } from './auth/tokens.js';
import { batchOperation, createBatchRoute, isBatchRoute } from './batch/createBatchRoute.js';
import { createFaultInjector } from './faults/createFaultInjector.js';
import { defaultLatency, mergeLatency, type FaultOptions } from './faults/faultRules.js';
import { compileRoutes } from './http/compileRoutes.js';
import { createGraphDispatcher, type GraphOutcome } from './http/createGraphDispatcher.js';
import type { GraphRequest } from './http/graphRoute.js';
import { defaultGraphPipeline, graphStages } from './http/graphStages.js';
import { mailboxConcurrency } from './mail/mailboxConcurrency.js';
import type { ApplicationQuota } from './quota/createApplicationQuota.js';
import { createQuotaMeter } from './quota/createQuotaMeter.js';
import { defaultQuotaConfig, mergeQuotaConfig, type QuotaOptions } from './quota/quotaConfig.js';
import { graphRoutes } from './routes/graphRoutes.js';
import { createOutcomeRecorder, type OutcomeRecorder } from './stats/createOutcomeRecorder.js';
import { createTrafficStats } from './stats/createTrafficStats.js';
import { createWriteObserver } from './stats/createWriteObserver.js';
import { createJournal, type Journal } from './stats/journal.js';
import type { MethodsPolicyScenario } from './tenant/methodsPolicyModel.js';
import { seedTenant } from './tenant/seedTenant.js';
import { createTenantState, type TenantState } from './tenant/tenantState.js';

/** What one tenant of a sandbox is: its size, seed, defects, methods policy and whether the app is consented there. */
export interface SandboxTenantOptions {
  /** Number of generated users (default 2000). */
  readonly users?: number;
  /** Generation seed: same seed and size give the same tenant (ids included), so tenants of one sandbox need different seeds. */
  readonly seed?: number;
  /** ISO 3166 country most users live in; national-form numbers belong to it (default 'SE'). */
  readonly homeCountry?: string;
  /** The organization's display name; its domains follow from it (default 'Contoso'). */
  readonly displayName?: string;
  /** Graph application permissions consented to the app in this tenant (default: every permission the endpoints need). */
  readonly roles?: readonly string[];
  /** The app has a service principal here (an admin consented; default true). `false`: the token endpoint refuses it (AADSTS700016) until `controls.consent()`. */
  readonly consented?: boolean;
  /** Graph throttling of this tenant (its own meter: Graph's limits are per app per tenant). Defaults to Graph's. */
  readonly quota?: QuotaOptions;
  /** Latency, fault rules active from the start, and their seed (default: `seed`). */
  readonly faults?: FaultOptions;
  /** A named Authentication methods policy state (default `default`; see tenant/methodsPolicyScenarios.ts). */
  readonly methodsPolicy?: MethodsPolicyScenario;
}

/** What the tenants of one sandbox share: one clock, one multi-tenant app (one id, one secret), one token signing key. */
export interface SandboxTenantWiring {
  readonly clock: () => Date;
  /** The app's client id in every tenant; undefined: the seeded one (a single tenant keeps its generated id). */
  readonly clientId?: string;
  readonly clientSecret: string;
  /** Signs every tenant's tokens (as Entra signs every tenant's with the same keys); `tid` tells them apart. */
  readonly tokenKey: Buffer;
  readonly tokenLifetimeSeconds?: number;
  readonly origin: string;
  readonly onInternalError: (error: unknown) => void;
  /** The app's limits across all tenants, which every tenant's meter also draws on. */
  readonly applicationQuota?: ApplicationQuota;
}

/** One tenant's directory, journal, controls, quota meter, faults, tokens and Graph dispatcher. */
export interface SandboxTenant {
  readonly tenant: TenantState;
  readonly journal: Journal;
  readonly controls: SandboxControls;
  readonly traffic: TrafficControls;
  readonly tokens: TokenService;
  readonly dispatchGraph: (request: GraphRequest) => Promise<GraphOutcome>;
  readonly record: OutcomeRecorder;
}

/** Checks a tenant's options (RangeError naming the option) before anything listens; returns its home country. */
export function checkSandboxTenantOptions(options: SandboxTenantOptions): CountryCode {
  const size = options.users ?? 2000;
  const homeCountry = options.homeCountry ?? 'SE';
  if (!isSupportedCountry(homeCountry)) throw new RangeError("startSandbox: expected 'homeCountry' to be an ISO 3166 country code libphonenumber-js knows, e.g. 'SE'");
  if (!Number.isInteger(size) || size < 0 || size > 1_000_000) throw new RangeError("startSandbox: expected 'users' to be a whole number from 0 to 1,000,000");
  return homeCountry;
}

/**
 * Generates one tenant and puts its Graph side together: the route table with `$batch`, the pipeline with fault
 * injection, quota metering and the duplicate-write observer, and the recorder that books every exchange. Options are
 * checked eagerly (RangeError).
 */
export function createSandboxTenant(options: SandboxTenantOptions, wiring: SandboxTenantWiring): SandboxTenant {
  const homeCountry = checkSandboxTenantOptions(options);
  const seed = options.seed ?? 1;
  const seeded = seedTenant({ seed, size: options.users ?? 2000, homeCountry, ...(options.displayName === undefined ? {} : { organizationName: options.displayName }) });
  const journal = createJournal();
  const tenant = createTenantState({
    seeded,
    clock: wiring.clock,
    clientSecret: wiring.clientSecret,
    roles: options.roles ?? defaultAppRoles,
    ...(wiring.clientId === undefined ? {} : { clientId: wiring.clientId }),
    consented: options.consented ?? true,
    limitTimeScale: options.quota?.timeScale ?? 1,
  });
  const tokens = createTokenService({
    tenantId: tenant.tenantId,
    key: wiring.tokenKey,
    ...(wiring.tokenLifetimeSeconds === undefined ? {} : { lifetimeSeconds: wiring.tokenLifetimeSeconds }),
  });
  const controls = createSandboxControls(tenant);
  if (options.methodsPolicy !== undefined) controls.setMethodsPolicy({ scenario: options.methodsPolicy });

  const quotaConfig = mergeQuotaConfig(defaultQuotaConfig(tenant.users.length), options.quota ?? {});
  const latency = options.faults?.latency === undefined ? defaultLatency : mergeLatency(defaultLatency, options.faults.latency);
  const faultSeed = options.faults?.seed ?? seed;
  if (!Number.isInteger(faultSeed)) throw new RangeError("startSandbox: expected 'faults.seed' to be a whole number");

  const stats = createTrafficStats();
  const record = createOutcomeRecorder(journal, stats);
  const quota = createQuotaMeter({ tenantId: tenant.tenantId, config: quotaConfig, isUnmetered: isBatchRoute, ...(wiring.applicationQuota === undefined ? {} : { application: wiring.applicationQuota }) });
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
    seed,
  });
  const stages = graphStages({ routes: compileRoutes([...graphRoutes, batchRoute]), tokens });
  const dispatchGraph = createGraphDispatcher({
    tenant,
    origin: wiring.origin,
    stages: defaultGraphPipeline(stages, { mailbox: mailboxConcurrency(() => tenant.mail.limits().concurrency), faults: faults.stage, quota: quota.stage, observeWrites: createWriteObserver(tenant, stats) }),
    onInternalError: wiring.onInternalError,
  });
  late.dispatch = dispatchGraph;
  return { tenant, journal, controls, traffic: createTrafficControls({ stats, quota, faults }), tokens, dispatchGraph, record };
}
