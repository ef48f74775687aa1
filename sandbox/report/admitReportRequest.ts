import { graphErrors } from '../http/graphErrors.js';
import type { RequestContext } from '../http/graphRoute.js';

/**
 * What every request of the reports family checks first (the registration report and the sign-in log share it):
 * Graph's limit (5 requests per 10 s per app and tenant, 429 with a whole-second Retry-After), then the tenant's
 * licence (no Entra ID P1/P2: 403).
 */
export function admitReportRequest(context: RequestContext): void {
  const { tenant } = context;
  const settings = tenant.registrationReportSettings();
  if (settings.throttled) {
    const decision = tenant.limits.registrationReport.take(context.caller?.appId ?? '');
    if (!decision.ok) throw graphErrors.tooManyRequests({ 'Retry-After': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) });
  }
  if (!settings.licensed) throw graphErrors.reportUnlicensed();
}
