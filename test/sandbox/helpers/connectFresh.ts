import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphConnection, type GraphConnection } from '../../../shared/adapters/graph/graphClient.js';
import type { TestSandbox } from './startTestSandbox.js';

/**
 * A new Graph connection (new credential, so a new token) to a test sandbox, built as production builds it. The
 * sandbox authorizes against the token's `roles`, so a test that changes the app's roles needs one afterwards. In a
 * many-tenant sandbox, `tenantId` picks the tenant (the same app, that tenant's token endpoint).
 */
export function connectFresh(t: TestSandbox, tenantId = t.sandbox.tenantId): GraphConnection {
  return createGraphConnection({
    graphBaseUrl: t.sandbox.url,
    authMode: 'clientSecret',
    tenantId,
    clientId: t.sandbox.clientId,
    clientSecret: t.sandbox.clientSecret,
    authorityHost: t.sandbox.url.replace(/\/$/, ''),
    extraCaFile: t.caFile,
    managedIdentityClientId: undefined,
  });
}

/** Runs `use` with the client of a fresh connection (to `tenantId`, default the first tenant), then closes it. */
export async function withFreshClient<T>(t: TestSandbox, use: (client: Client) => Promise<T>, tenantId?: string): Promise<T> {
  const connection = connectFresh(t, tenantId);
  try {
    return await use(connection.client);
  } finally {
    await connection.close();
  }
}
