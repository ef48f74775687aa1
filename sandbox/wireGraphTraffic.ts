import { createBatchRoute, isBatchRoute } from './batch/createBatchRoute.js';
import { compileRoutes } from './http/compileRoutes.js';
import { createGraphDispatcher, type GraphOutcome } from './http/createGraphDispatcher.js';
import { createFaultInjector } from './faults/createFaultInjector.js';
import { defaultLatency, mergeLatency, type FaultOptions } from './faults/faultRules.js';
import type { GraphRequest } from './http/graphRoute.js';
import { defaultGraphPipeline, graphStages } from './http/graphStages.js';
import type { Journal } from './stats/journal.js';
import { createQuotaMeter } from './quota/createQuotaMeter.js';
import { defaultQuotaConfig, mergeQuotaConfig, type QuotaOptions } from './quota/quotaConfig.js';
import { graphRoutes } from './routes/graphRoutes.js';
import { createOutcomeRecorder, type OutcomeRecorder } from './stats/createOutcomeRecorder.js';
import { createTrafficStats } from './stats/createTrafficStats.js';
import { createWriteObserver } from './stats/createWriteObserver.js';
import type { TenantState } from './tenant/tenantState.js';
import type { TokenService } from './auth/tokens.js';
import { createTrafficControls, type TrafficControls } from './admin/trafficControls.js';

export interface GraphTrafficOptions {
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

export interface GraphTraffic {
  readonly dispatchGraph: (request: GraphRequest) => Promise<GraphOutcome>;
  readonly record: OutcomeRecorder;
  readonly traffic: TrafficControls;
}

/**
 * Puts the Graph side together: the route table with `$batch`, the pipeline with fault injection, quota metering and
 * the duplicate-write observer, and the recorder that books every exchange. Options are checked eagerly (RangeError).
 */
export function wireGraphTraffic(options: GraphTrafficOptions): GraphTraffic {
  const { tenant, journal } = options;
  const quotaConfig = mergeQuotaConfig(defaultQuotaConfig(tenant.users.length), options.quota ?? {});
  const latency = options.faults?.latency === undefined ? defaultLatency : mergeLatency(defaultLatency, options.faults.latency);
  const faultSeed = options.faults?.seed ?? options.seed;
  if (!Number.isInteger(faultSeed)) throw new RangeError("startSandbox: expected 'faults.seed' to be a whole number");

  const stats = createTrafficStats();
  const record = createOutcomeRecorder(journal, stats);
  const quota = createQuotaMeter({ tenantId: tenant.tenantId, config: quotaConfig, isUnmetered: isBatchRoute });
  journal.reportQuotaTimeScale(() => quota.config().timeScale);
  const faults = createFaultInjector({ tenant, seed: faultSeed, latency, rules: options.faults?.rules ?? [], isEnvelope: isBatchRoute });

  // The batch route runs its items through the dispatcher that contains it.
  const late: { dispatch?: (request: GraphRequest) => Promise<GraphOutcome> } = {};
  const itemRoutes = compileRoutes(graphRoutes);
  const batchRoute = createBatchRoute({
    dispatch: (request) => {
      if (late.dispatch === undefined) throw new Error('wireGraphTraffic: the dispatcher is not ready');
      return late.dispatch(request);
    },
    record,
    routes: itemRoutes,
    seed: options.seed,
  });
  const stages = graphStages({ routes: compileRoutes([...graphRoutes, batchRoute]), tokens: options.tokens });
  const dispatchGraph = createGraphDispatcher({
    tenant,
    origin: options.origin,
    stages: defaultGraphPipeline(stages, { faults: faults.stage, quota: quota.stage, observeWrites: createWriteObserver(tenant, stats) }),
    ...(options.onInternalError === undefined ? {} : { onInternalError: options.onInternalError }),
  });
  late.dispatch = dispatchGraph;
  return { dispatchGraph, record, traffic: createTrafficControls({ stats, quota, faults }) };
}
