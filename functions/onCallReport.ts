import azureFunctions from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { isMultiTenantDeployment, loadDeploymentConfig } from '../shared/config/loadConfig.js';
import { loadConfigOrReport } from '../shared/config/loadConfigOrReport.js';
import type { TenantsOverview } from '../shared/core/tenantsOverview.js';
import { toRolloutError } from '../shared/errors/RolloutError.js';
import { createLogger, type Logger } from '../shared/log/logEvent.js';
import { invocationSink } from '../shared/log/invocationSink.js';
import { negotiateReportFormat } from '../shared/report/negotiateReportFormat.js';
import { renderReportHtml, reportContentSecurityPolicy } from '../shared/report/renderReportHtml.js';
import { renderReportText } from '../shared/report/renderReportText.js';
import { renderTenantsHtml } from '../shared/report/renderTenantsHtml.js';
import { renderTenantsText } from '../shared/report/renderTenantsText.js';
import { buildTenantsReport } from '../shared/shell/buildTenantsReport.js';
import { loadRegisteredTenant } from '../shared/shell/loadRegisteredTenant.js';
import { openTenantRegistry } from '../shared/shell/openTenantRegistry.js';
import { buildReport, type RolloutReport } from '../shared/shell/buildReport.js';
import { openTablePorts } from '../shared/shell/rolloutPorts.js';

/** The report names users: never cached, never framed, never sniffed, and it says which header chose its form. */
const commonHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', Vary: 'Accept' };

/**
 * The on-call report over HTTP (`GET /api/report`, function key required): the same `buildReport` as
 * `mfa-rollout report`, read from the rollout tables, as JSON (default, `Accept: application/json`), HTML
 * (`Accept: text/html`, so a browser gets the page) or text; `?format=json|html|text` overrides the Accept header,
 * `?waves=N` lists N waves (1-100, default 10). Many tenants (MFA_MULTI_TENANT=true): `?tenant=<id>` is that tenant's
 * report, and without it the report across every registered tenant. Reads only: no Graph call, no table write.
 */
export async function onCallReport(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const logger = createLogger(invocationSink(context), { runId: context.invocationId });
  const format = negotiateReportFormat(request.query.get('format'), request.headers.get('accept'));
  if (format === null) {
    return { status: 406, headers: commonHeaders, jsonBody: { error: 'FORMAT_UNSUPPORTED', message: 'The report is served as application/json, text/html or text/plain (or ?format=json|html|text).' } };
  }
  const wavesParameter = request.query.get('waves');
  const lastWaves = wavesParameter === null ? 10 : Number(wavesParameter);
  if (!Number.isInteger(lastWaves) || lastWaves < 1 || lastWaves > 100) {
    return { status: 400, headers: commonHeaders, jsonBody: { error: 'PARAMETER_INVALID', message: "Expected 'waves' to be a whole number from 1 to 100." } };
  }

  const tenantId = request.query.get('tenant');
  let multiTenant: boolean;
  try {
    multiTenant = isMultiTenantDeployment(process.env);
  } catch (error) {
    const failure = toRolloutError(error);
    return { status: 500, headers: commonHeaders, jsonBody: { error: failure.code, message: failure.message } };
  }
  if (tenantId !== null && !multiTenant) {
    return { status: 400, headers: commonHeaders, jsonBody: { error: 'PARAMETER_INVALID', message: "'tenant' is for a many-tenants deployment (MFA_MULTI_TENANT=true)." } };
  }
  if (multiTenant && tenantId === null) return tenantsOverviewResponse(format, logger);

  let config;
  try {
    config = tenantId === null
      ? loadConfigOrReport(process.env, logger)
      : (await loadRegisteredTenant(process.env, await openTenantRegistry(loadDeploymentConfig(process.env)), tenantId)).config;
  } catch (error) {
    const failure = toRolloutError(error);
    const status = failure.code === 'TENANT_NOT_REGISTERED' ? 404 : failure.code === 'TABLE_UNAVAILABLE' ? 503 : 500;
    return { status, headers: commonHeaders, jsonBody: { error: failure.code, message: failure.message } };
  }
  let report: RolloutReport;
  try {
    report = await buildReport(config, await openTablePorts(config), new Date(), { lastWaves });
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('report.failed', { errorCode: failure.code, requestId: failure.requestId ?? null, message: failure.message }, 'error');
    return { status: failure.code === 'TABLE_UNAVAILABLE' ? 503 : 500, headers: commonHeaders, jsonBody: { error: failure.code, message: failure.message } };
  }
  return reportResponse(format, report, { text: renderReportText, html: renderReportHtml, contentSecurityPolicy: reportContentSecurityPolicy });
}

/** A report in the negotiated form, with the headers of its form. */
function reportResponse<T>(format: 'json' | 'text' | 'html', report: T, render: { text(report: T): string; html(report: T): string; contentSecurityPolicy: string }): HttpResponseInit {
  switch (format) {
    case 'json':
      return { status: 200, headers: commonHeaders, jsonBody: report };
    case 'text':
      return { status: 200, headers: { ...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8' }, body: `${render.text(report)}\n` };
    case 'html':
      return {
        status: 200,
        headers: { ...commonHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': `${render.contentSecurityPolicy}; frame-ancestors 'none'` },
        body: render.html(report),
      };
  }
}

/** Many tenants, no `?tenant=`: the report across every registered tenant (`mfa-rollout report --all-tenants`). */
async function tenantsOverviewResponse(format: 'json' | 'text' | 'html', logger: Logger): Promise<HttpResponseInit> {
  let overview: TenantsOverview;
  try {
    overview = await buildTenantsReport(process.env, await openTenantRegistry(loadDeploymentConfig(process.env)), new Date());
  } catch (error) {
    const failure = toRolloutError(error);
    logger.event('report.failed', { errorCode: failure.code, message: failure.message }, 'error');
    return { status: failure.code === 'TABLE_UNAVAILABLE' ? 503 : 500, headers: commonHeaders, jsonBody: { error: failure.code, message: failure.message } };
  }
  // the page has an inline style sheet and nothing else: no script, image or font
  return reportResponse(format, overview, { text: renderTenantsText, html: renderTenantsHtml, contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'" });
}

azureFunctions.app.http('onCallReport', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'report',
  handler: onCallReport,
});
