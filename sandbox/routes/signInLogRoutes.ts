import { pageOf } from '../http/pageOf.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { graphErrors } from '../http/graphErrors.js';
import type { GraphRoute, RequestContext } from '../http/graphRoute.js';
import { admitReportRequest } from '../report/admitReportRequest.js';
import { parseSignInFilter } from '../report/signInLogQuery.js';
import { graphDateTime } from '../tenant/tenantModel.js';
import type { SignInRecord } from '../tenant/tenantState.js';

const collection = 'auditLogs/signIns';

/** The sandbox's own app registration id for the sign-ins users make (an Office client, not the rollout's app). */
const signInApp = { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', appDisplayName: 'OfficeHome' };

/**
 * One sign-in as `GET auditLogs/signIns` renders it. Beta carries `authenticationRequirement`,
 * `authenticationDetails` and `signInEventTypes`; v1.0 has none of the three (docs/graph-behaviour.md#sign-in-activity).
 */
function renderSignIn(context: RequestContext, record: SignInRecord): Record<string, unknown> {
  const user = context.tenant.findUser(record.userId);
  const createdDateTime = graphDateTime(new Date(record.atMs));
  const common = {
    id: record.id,
    createdDateTime,
    userId: record.userId,
    userPrincipalName: user?.userPrincipalName.toLowerCase() ?? null,
    userDisplayName: user?.displayName ?? null,
    ...signInApp,
    clientAppUsed: 'Browser',
    isInteractive: true,
    conditionalAccessStatus: 'notApplied',
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: null },
  };
  if (context.version === 'v1.0') return common;
  const steps = [{ authenticationStepDateTime: createdDateTime, authenticationMethod: 'Password', authenticationMethodDetail: 'Password in the cloud', succeeded: true, authenticationStepResultDetail: 'Correct password', authenticationStepRequirement: 'Primary authentication' }];
  if (record.secondFactor !== null) {
    steps.push({ authenticationStepDateTime: createdDateTime, authenticationMethod: record.secondFactor, authenticationMethodDetail: '', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed', authenticationStepRequirement: 'Secondary authentication' });
  }
  return { ...common, authenticationRequirement: record.authenticationRequirement, authenticationDetails: steps, signInEventTypes: ['interactiveUser'] };
}

/**
 * The sign-in log (`AuditLog.Read.All`; Entra ID P1): `GET auditLogs/signIns`, newest first, pages of `$top` (1–1,000,
 * default and most 1,000) by absolute `@odata.nextLink`, `$filter` as `report/signInLogQuery.ts` documents. Shares the
 * reports family's limit with the registration report (5 requests per 10 s per app and tenant, 429 with Retry-After)
 * and its licence switch (`/_sandbox/registrationReport {licensed}`). The log holds the interactive sign-ins of
 * `TenantState.signIn` on the sandbox clock.
 */
export const signInLogRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'signIns.list',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.readSignIns,
    queryOptions: ['$filter', '$top', '$skiptoken'],
    handle: (context) => {
      const { tenant } = context;
      admitReportRequest(context);
      const rawTop = context.query.get('$top');
      const top = rawTop === null ? 1_000 : Number(rawTop);
      if (rawTop !== null && !(Number.isInteger(top) && top >= 1 && top <= 1_000)) throw graphErrors.invalidSignInPageSize(rawTop);
      const filter = parseSignInFilter(context.query);
      const records = tenant.signIns().filter(filter).sort((a, b) => b.atMs - a.atMs);
      return pageOf(context, {
        collection,
        total: records.length,
        size: top,
        contextUrl: `${context.origin}/${context.version}/$metadata#${collection}`,
        render: (index) => renderSignIn(context, records[index] as (typeof records)[number]),
      });
    },
  },
];
