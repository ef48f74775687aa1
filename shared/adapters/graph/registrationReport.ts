import { z } from 'zod';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const entrySchema = z.object({ id: z.string() });

/**
 * Ids of the users Entra's registration report says have no MFA method registered
 * (`userRegistrationDetails?$filter=isMfaRegistered eq false`). The report is not live state and may lag; it
 * has its own low limit (MFA_REPORT_REQUESTS_PER_10_SECONDS), so its pages are spaced by the gateway.
 */
export async function readUnregisteredUserIds(gateway: GraphGateway, requestsPer10Seconds: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of gateway.pages({
    operation: 'registrationReport.list',
    method: 'GET',
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false',
    permission: graphPermissions.readRegistrationReport,
    minIntervalMs: Math.ceil(10_000 / requestsPer10Seconds) + 50,
  })) {
    for (const item of page) {
      const entry = entrySchema.safeParse(item);
      if (entry.success) ids.add(entry.data.id);
    }
  }
  return ids;
}
