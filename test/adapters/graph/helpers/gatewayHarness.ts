import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { createGraphConnection, type GraphConnection } from '../../../../shared/adapters/graph/graphClient.js';
import { createGraphGateway, type GatewayConfig, type GatewayOptions, type GraphGateway } from '../../../../shared/adapters/graph/graphGateway.js';
import type { JournalEntry } from '../../../../sandbox/stats/journal.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../../sandbox/startSandbox.js';
import type { SandboxManifest } from '../../../../sandbox/tenant/tenantModel.js';

export const gatewayDefaults: GatewayConfig = {
  graphConcurrency: 4,
  graphMaxAttempts: 6,
  graphRetryBudget: 1_000,
  // the product's default: a loaded 2-core machine can take more than 5 s to answer a first batch (TLS, token);
  // the tests of timeouts set their own
  graphTimeoutSeconds: 30,
  graphMaxRetryAfterSeconds: 30,
  graphUseBatch: true,
  graphWritesPerSecond: 1_000,
  graphWriteQuota: 100_000,
};

/** What the sandbox saw since a mark: Graph operations (plain requests + batch items), 429s, writes. */
export interface TrafficSince {
  /** Plain requests plus `$batch` items: what the gateway counts as attempts. */
  readonly operations: number;
  readonly envelopes: number;
  readonly batchItems: number;
  readonly throttled: number;
  readonly throttledBatchItems: number;
  readonly duplicateWrites: number;
  /** Journal entries (writes, any status) since the mark. */
  readonly journal: readonly JournalEntry[];
}

export interface GatewayHarness {
  readonly sandbox: SandboxHandle;
  readonly manifest: SandboxManifest;
  /** A new connection (new credential, so a new token) through the product's createGraphConnection. */
  connect(overrides?: { clientSecret?: string }): GraphConnection;
  /** A gateway over a new connection, with the test defaults and these overrides. */
  gateway(config?: Partial<GatewayConfig>, options?: GatewayOptions & { clientSecret?: string }): GraphGateway;
  addFault(rule: Record<string, unknown>): string;
  /** Starts counting: the returned function reports what the sandbox saw since. */
  mark(): () => TrafficSince;
  /** Ids of generated users of these categories, in manifest order. */
  users(...categories: string[]): string[];
}

/** A sandbox tenant (real HTTPS) for the file, and gateways built exactly as production builds them. */
export function useGatewayHarness(options: SandboxOptions = {}): () => GatewayHarness {
  let harness: GatewayHarness | undefined;
  let workDir = '';
  const connections: GraphConnection[] = [];
  beforeAll(async () => {
    const sandbox = await startSandbox({ users: 120, seed: 5, faults: { latency: false }, ...options });
    workDir = mkdtempSync(path.join(tmpdir(), 'gateway-test-'));
    const caFile = path.join(workDir, 'ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    const connect: GatewayHarness['connect'] = (overrides = {}) => {
      const connection = createGraphConnection({
        graphBaseUrl: sandbox.url,
        authMode: 'clientSecret',
        tenantId: sandbox.tenantId,
        clientId: sandbox.clientId,
        clientSecret: overrides.clientSecret ?? sandbox.clientSecret,
        authorityHost: sandbox.origin,
        extraCaFile: caFile,
        managedIdentityClientId: undefined,
      });
      connections.push(connection);
      return connection;
    };
    harness = {
      sandbox,
      manifest: sandbox.manifest,
      connect,
      gateway: (config = {}, gatewayOptions = {}) => {
        const { clientSecret, ...rest } = gatewayOptions;
        return createGraphGateway(connect(clientSecret === undefined ? {} : { clientSecret }), { ...gatewayDefaults, ...config }, rest);
      },
      addFault: (rule) => sandbox.traffic.addFault(rule).id,
      mark: () => {
        const before = sandbox.traffic.stats();
        const journalFrom = sandbox.journal.entries().length;
        return () => {
          const after = sandbox.traffic.stats();
          const operations = (stats: typeof before) => stats.requests.total - stats.requests.batchEnvelopes + stats.requests.batchItems;
          return {
            operations: operations(after) - operations(before),
            envelopes: after.requests.batchEnvelopes - before.requests.batchEnvelopes,
            batchItems: after.requests.batchItems - before.requests.batchItems,
            throttled: after.throttled.total - before.throttled.total,
            throttledBatchItems: after.throttled.batchItems - before.throttled.batchItems,
            duplicateWrites: after.duplicateWrites.total - before.duplicateWrites.total,
            journal: sandbox.journal.entries(journalFrom),
          };
        };
      },
      users: (...categories) => sandbox.manifest.users.filter((user) => categories.includes(user.category)).map((user) => user.id),
    };
  }, 60_000);
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    await harness?.sandbox.stop();
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });
  return () => {
    if (harness === undefined) throw new Error('the gateway harness is not running (used outside a test?)');
    return harness;
  };
}

/** Successful writes per user in journal entries, e.g. to check that every write landed exactly once. */
export function landedPerUser(entries: readonly JournalEntry[], operation: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.operation !== operation || entry.status < 200 || entry.status > 299 || entry.userId === null) continue;
    counts.set(entry.userId, (counts.get(entry.userId) ?? 0) + 1);
  }
  return counts;
}

export const requestIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
