import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import azureFunctions from '@azure/functions';
import type { HttpHandler, HttpFunctionOptions, HttpResponseInit } from '@azure/functions';
import { createLogger } from '../../shared/log/logEvent.js';
import { buildReport, type RolloutReport } from '../../shared/shell/buildReport.js';
import { runWave, type NightResult } from '../../shared/shell/runWave.js';
import { captureLogs } from '../helpers/captureLogs.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 5 });

/** The handler and its registration, captured by wrapping `app.http` while the function module loads. */
let handler: HttpHandler;
let registration: { name: string; options: HttpFunctionOptions } | undefined;
let settings: Record<string, string>;
let night: NightResult;

beforeAll(async () => {
  const http = azureFunctions.app.http;
  azureFunctions.app.http = (name: string, options: HttpFunctionOptions) => {
    registration = { name, options };
  };
  try {
    ({ onCallReport: handler } = await import('../../functions/onCallReport.js'));
  } finally {
    azureFunctions.app.http = http;
  }
  // tonight's pilot wave against the sandbox, so the tables the function reads have a wave, enforced users and the rest
  settings = tenant().settings();
  const { config, rollout } = await tenant().open(settings);
  night = await runWave({ config, clock: () => tenant().sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'report-night' });
}, 60_000);

afterAll(() => {
  for (const key of Object.keys(settings ?? {})) delete process.env[key];
});

/** Calls the handler as the host would: app settings in the environment, a real HttpRequest and InvocationContext. */
async function get(url: string, headers: Record<string, string> = {}, overrides: Record<string, string> = {}) {
  const environment = { ...settings, ...overrides };
  Object.assign(process.env, environment);
  const { context, lines } = captureLogs('onCallReport');
  try {
    const request = new azureFunctions.HttpRequest({ method: 'GET', url: `http://localhost:7071/api/report${url}`, headers });
    const init: HttpResponseInit = await handler(request, context) as HttpResponseInit;
    const response = new azureFunctions.HttpResponse(init); // the library's own serialisation of what the host sends
    return { status: response.status, headers: response.headers, text: await response.text(), lines };
  } finally {
    for (const key of Object.keys(environment)) delete process.env[key];
  }
}

describe('onCallReport (HTTP function, function key)', () => {
  it('is registered as GET /api/report with function-level auth', () => {
    expect(registration).toMatchObject({ name: 'onCallReport', options: { methods: ['GET'], authLevel: 'function', route: 'report' } });
  });

  it('serves the report as JSON by default: the same report as the CLI, from the tables tonight wrote', async () => {
    if (night.outcome !== 'wave') throw new Error(`the night did not run a wave: ${night.outcome}`);
    const response = await get('');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const report = JSON.parse(response.text) as RolloutReport;

    const { config, rollout } = await tenant().open(settings);
    const direct = await buildReport(config, rollout.ports, new Date(report.generatedAt));
    expect(report).toEqual(JSON.parse(JSON.stringify(direct)));

    expect(report.users).toBe(40);
    const { progress } = report;
    expect(progress.enforced + progress.ready + progress.notReady + progress.excluded + progress.parked + progress.rolledBack + progress.notPresent).toBe(40);
    expect(progress.enforced).toBe(night.wave.enforced);
    expect(report.waves[0]).toMatchObject({ waveId: night.wave.waveId, kind: 'enforce', status: 'completed', pilot: true, enforced: night.wave.enforced, failed: 0 });
    expect(report.nights.at(-1)).toMatchObject({ cumulativeEnforced: night.wave.enforced });
  });

  it('serves HTML to a browser (Accept: text/html), with a CSP that loads nothing', async () => {
    const response = await get('', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; .*frame-ancestors 'none'$/);
    expect(response.headers.get('vary')).toBe('Accept');
    expect(response.text).toMatch(/^<!doctype html>/);
    expect(response.text).toContain('<svg class="chart" data-chart="progress"');
    expect(response.text).toContain(`<div class="card enforced" data-metric="enforced"><dt>Enforced</dt><dd><span class="value" data-value="${night.outcome === 'wave' ? night.wave.enforced : -1}">`);
    expect(response.text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('?format= wins over Accept: json, html and text', async () => {
    const json = await get('?format=json', { accept: 'text/html' });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect((JSON.parse(json.text) as RolloutReport).rolloutId).toBe('default');
    const html = await get('?format=html', { accept: 'application/json' });
    expect(html.text).toMatch(/^<!doctype html>/);
    const text = await get('?format=text&waves=1');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text).toMatch(/^Rollout default: 40 users/);
    expect(text.text).toContain('nights left:');
    expect(text.text.match(/^ {2}\d{4}-\d\d-\d\dT\S+ +enforce/gm)).toHaveLength(1);
  });

  it('refuses what it cannot serve: 406 for an unknown format, 400 for a bad waves count', async () => {
    const png = await get('', { accept: 'image/png' });
    expect(png.status).toBe(406);
    expect(JSON.parse(png.text)).toMatchObject({ error: 'FORMAT_UNSUPPORTED' });
    expect((await get('?format=pdf')).status).toBe(406);
    const waves = await get('?waves=0');
    expect(waves.status).toBe(400);
    expect(JSON.parse(waves.text)).toMatchObject({ error: 'PARAMETER_INVALID' });
    // ?tenant= is for a many-tenants deployment only
    const tenantOfOne = await get('?tenant=3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b');
    expect(tenantOfOne.status).toBe(400);
    expect(JSON.parse(tenantOfOne.text)).toMatchObject({ error: 'PARAMETER_INVALID', message: expect.stringContaining('MFA_MULTI_TENANT') });
  });

  it('an invalid setting answers 500 naming it, logs config.invalid, and never echoes a secret', async () => {
    const response = await get('', {}, { MFA_WAVE_SIZE: 'lots', MFA_CLIENT_SECRET: 'super-secret-value' });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text)).toMatchObject({ error: 'CONFIG_INVALID', message: expect.stringContaining('MFA_WAVE_SIZE: expected') });
    expect(response.text).not.toContain('super-secret-value');
    expect(response.lines.some((line) => line.includes('"event":"config.invalid"'))).toBe(true);
    expect(response.lines.join('\n')).not.toContain('super-secret-value');
  });
});
