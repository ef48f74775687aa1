import { z } from 'zod';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const entrySchema = z.object({ id: z.string() });

/**
 * Ids of the users Entra's registration report says have no MFA method registered
 * (`userRegistrationDetails?$filter=isMfaRegistered eq false`). The report is not live state and may lag; it
 * allows about 5 requests per 10 s per app and tenant, so its pages are spaced by the gateway.
 */
export async function readUnregisteredUserIds(gateway: GraphGateway): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of gateway.pages({
    operation: 'reports.registrationDetails',
    method: 'GET',
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false',
    permission: graphPermissions.readRegistrationReport,
    minIntervalMs: 2100,
  })) {
    for (const item of page) {
      const entry = entrySchema.safeParse(item);
      if (entry.success) ids.add(entry.data.id);
    }
  }
  return ids;
}
