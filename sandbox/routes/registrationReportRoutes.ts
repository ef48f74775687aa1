import { pageOf } from '../http/pageOf.js';
import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { routeParam, type GraphRoute, type RequestContext } from '../http/graphRoute.js';
import { renderRegistrationDetails, type RegistrationRow } from '../report/registrationDetails.js';
import { parseRegistrationFilter } from '../report/registrationReportQuery.js';
import { admitReportRequest } from '../report/admitReportRequest.js';
import { guidPattern, type RegistrationSnapshot, type SandboxUser } from '../tenant/tenantModel.js';

const both = ['v1.0', 'beta'] as const;
const collection = 'reports/authenticationMethods/userRegistrationDetails';

function rowOf(context: RequestContext, user: SandboxUser, entry: RegistrationSnapshot | undefined): RegistrationRow | undefined {
  return entry === undefined ? undefined : { user, entry, isAdmin: context.tenant.userRoles(user.id).length > 0 };
}

/**
 * The authentication-methods registration report (docs/graph-behaviour.md#registration-report). It is a report, not live state: an entry is
 * computed from the user's methods at generation and at each sign-in, and shows only `lagMinutes` after a sign-in
 * (admin API `/_sandbox/registrationReport`). Disabled accounts are not in it. The list takes `$filter` only
 * (`$orderby` is not modelled) and pages by `@odata.nextLink` (page size a report setting, default 100).
 */
export const registrationReportRoutes: readonly GraphRoute[] = [
  {
    method: 'GET',
    pattern: collection,
    operation: 'registrationReport.list',
    versions: both,
    permissions: graphPermissions.readRegistrationReport,
    queryOptions: ['$filter', '$skiptoken'],
    handle: (context) => {
      admitReportRequest(context);
      const filter = parseRegistrationFilter(context.query);
      const rows: RegistrationRow[] = [];
      const entryOf = context.tenant.registrationView();
      for (const user of context.tenant.users) {
        const row = rowOf(context, user, entryOf(user));
        if (row !== undefined && filter(row)) rows.push(row);
      }

      return pageOf(context, {
        collection,
        total: rows.length,
        size: context.tenant.registrationReportSettings().pageSize,
        contextUrl: `${context.origin}/${context.version}/$metadata#${collection}`,
        render: (index) => renderRegistrationDetails(rows[index] as (typeof rows)[number]),
      });
    },
  },
  {
    method: 'GET',
    pattern: `${collection}/{userId}`,
    operation: 'registrationReport.read',
    versions: both,
    permissions: graphPermissions.readRegistrationReport,
    handle: (context) => {
      admitReportRequest(context);
      const id = routeParam(context, 'userId');
      const user = guidPattern.test(id) ? context.tenant.findUser(id) : undefined;
      const row = user === undefined ? undefined : rowOf(context, user, context.tenant.registrationEntry(user.id));
      if (row === undefined) throw graphErrors.resourceNotFound(id);
      return {
        status: 200,
        body: { '@odata.context': `${context.origin}/${context.version}/$metadata#${collection}/$entity`, ...renderRegistrationDetails(row) },
      };
    },
  },
];
