import type { GraphConnection } from './graphClient.js';
import { createGraphGateway, type GatewayConfig, type GatewayOptions, type GraphGateway } from './graphGateway.js';
import { exchangeMailLimits } from '../../core/mailPacing.js';

/** Retries the notices may spend in one run: their own budget, never MFA_GRAPH_RETRY_BUDGET. */
export const mailRetryBudget = 200;

/**
 * A gateway for notices only: its own request limit (Exchange's 4 concurrent requests per mailbox), no `$batch`
 * (Graph would run a batch's Outlook items 4 at a time anyway), its own retry budget and its own hold after a 429, so
 * mail throttling never slows the MFA writes nor spends their retries (docs/graph-behaviour.md#mail).
 */
export function createMailGateway(connection: GraphConnection, config: GatewayConfig, options: GatewayOptions = {}): GraphGateway {
  return createGraphGateway(connection, { ...config, graphConcurrency: exchangeMailLimits.concurrency, graphUseBatch: false, graphRetryBudget: mailRetryBudget }, options);
}
