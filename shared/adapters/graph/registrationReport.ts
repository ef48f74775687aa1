import { z } from 'zod';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

const entrySchema = z.object({ id: z.string() });

/** The reports family (registration report, sign-in log): one limit for all its calls (docs/graph-behaviour.md#throttling). */
export const reportsLimitGroup = 'reports';

/**
 * Ids of the users Entra's registration report says are not MFA-capable
 * (`userRegistrationDetails?$filter=isMfaCapable eq false`): no method registered that the authentication-methods
 * policy allows them to use (docs/graph-behaviour.md#registration-report). "Capable" is what the rollout decides on:
 * `isMfaRegistered` counts methods the policy does not allow. The report is not live state and lags by hours; it
 * reflects the rollout's own phone write without any sign-in, so it says nothing about whether MFA was done. Its
 * pages are spaced to the reports family's limit (MFA_REPORT_REQUESTS_PER_10_SECONDS).
 */
export async function readNotCapableUserIds(gateway: GraphGateway, requestsPer10Seconds: number): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of gateway.pages({
    operation: 'registrationReport.list',
    method: 'GET',
    version: 'v1.0',
    path: '/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaCapable eq false',
    permission: graphPermissions.readRegistrationReport,
    minIntervalMs: Math.ceil(10_000 / requestsPer10Seconds) + 50,
    limitGroup: reportsLimitGroup,
  })) {
    for (const item of page) {
      const entry = entrySchema.safeParse(item);
      if (entry.success) ids.add(entry.data.id);
    }
  }
  return ids;
}
