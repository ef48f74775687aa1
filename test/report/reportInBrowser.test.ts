import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { renderReportHtml } from '../../shared/report/renderReportHtml.js';
import type { RolloutReport } from '../../shared/shell/buildReport.js';
import { rehearse, type RehearsalOutcome } from '../../rehearsal/rehearse.js';
import { phoneTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { openChromium, type OpenChromium } from './helpers/openChromium.js';
import { readReportDom, reportMismatches } from './helpers/readReportDom.js';
import { sampleDeadline } from './helpers/sampleDeadline.js';
import { decideTenantPosture } from '../../shared/core/posture/decideTenantPosture.js';
import { passkeyTrack, testConfig } from '../core/configBuilder.js';
import { postureInput } from '../core/posture/postureBuilder.js';

/**
 * The HTML report from real tables, in a real browser: a short rehearsal (Azurite + the sandbox tenant, 7 simulated
 * nights, mid-rollout) writes its report file; headless Chromium opens it from disk, and every number the page shows
 * is read back from the DOM and compared with the report data, and with the rehearsal's own per-night counts.
 * Sandbox faults make 4 enforcement writes fail (503, one attempt), so the failure tables have rows; a low sign-in
 * share and MFA_STUCK_AFTER_DAYS=2 leave users stuck. The rehearsal parks nobody, so the tests that need the parked
 * table add parked users to a copy of its report (`withParkedUsers`).
 */

const screenshotFile = process.env['MFA_REPORT_SCREENSHOT'] ?? path.join(tmpdir(), 'mfa-rollout-report.png');
let workDir = '';
let outcome: RehearsalOutcome;
let html = '';
let browser: OpenChromium;

beforeAll(async () => {
  browser = await openChromium(); // first: a Chromium that cannot be found or started fails the test at once
  workDir = mkdtempSync(path.join(tmpdir(), 'mfa-report-'));
  const printed: string[] = [];
  outcome = await rehearse({
    users: 400, waveSize: 10, start: '2026-12-01', nights: 7, seed: 3, strategy: 'perUserMfa', noticeDays: 1, signInShare: 0.15,
    out: { write: (chunk: string) => printed.push(chunk) } as unknown as NodeJS.WritableStream,
    report: path.join(workDir, 'rehearsal-report.html'),
    settings: { ...phoneTrackSettings, MFA_GRAPH_MAX_ATTEMPTS: '1', MFA_STUCK_AFTER_DAYS: '2' },
    faults: { rules: [{ kind: 'unavailable', status: 503, operations: ['requirements.update'], count: 4 }] },
  });
  expect(printed.join('')).toContain(`On-call report of the last night: ${outcome.reportFile ?? '?'}`);
  html = readFileSync(outcome.reportFile ?? '', 'utf8');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

/** Opens a report file as a person would (from disk), recording every request the page makes and every console error. */
async function open(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, requests, errors };
}

/** The report with two parked users more (the rehearsal parks nobody), so the parked table has rows to read back. */
function withParkedUsers(report: RolloutReport): RolloutReport {
  const parked = (n: number, attempts: number, requestId: string | null) => ({
    userId: `0000000${n}-0000-4000-8000-00000000000${n}`, upn: `parked${n}@contoso.example`, waveId: report.waves.at(-1)?.waveId ?? 'w', parkedAt: report.generatedAt,
    attempts, errorCode: 'GRAPH_UNAVAILABLE', requestId, hint: 'Graph answered 503 on every attempt: run retry-parked once Graph is healthy',
  });
  return { ...report, parked: { count: report.parked.count + 2, users: [...report.parked.users, parked(1, 3, 'req-parked-1'), parked(2, 12, null)] } };
}

describe('the HTML report in headless Chromium (rehearsal tables)', () => {
  it('the rehearsal wrote a mid-rollout report with failures, stuck users and nights left', () => {
    const { report } = outcome;
    expect(report.progress.enforced).toBeGreaterThan(100);
    expect(report.progress.ready).toBeGreaterThan(0);
    expect(report.estimate.nights).toBeGreaterThan(0);
    expect(report.failures).toEqual([expect.objectContaining({ errorCode: 'GRAPH_UNAVAILABLE', count: 4 })]);
    expect(report.failures[0]?.sampleRequestIds).toHaveLength(3);
    expect(report.stuck.count).toBeGreaterThan(0);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('shows every number of the report: cards, chart points and bars, per-night table, waves, failures, stuck users', async () => {
    const { page, requests, errors } = await open(outcome.reportFile ?? '');
    try {
      const dom = await readReportDom(page);
      expect(reportMismatches(dom, outcome.report)).toEqual([]);
      expect(dom.chart?.enforced.length).toBe(outcome.report.nights.length);

      // self-contained: the page fetched nothing but itself, and nothing failed or ran
      expect(requests).toEqual([pathToFileURL(outcome.reportFile ?? '').href]);
      expect(errors).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);

      await page.screenshot({ path: screenshotFile, fullPage: true });
      expect(statSync(screenshotFile).size).toBeGreaterThan(20_000);
    } finally {
      await page.close();
    }
  });

  it('agrees with what the rehearsal counted night by night, independently of the report code', () => {
    const byDate = new Map(outcome.report.nights.map((night) => [night.date, night]));
    for (const row of outcome.nights) {
      expect({ date: row.date, enforced: byDate.get(row.date)?.cumulativeEnforced, registered: byDate.get(row.date)?.cumulativeRegistered })
        .toEqual({ date: row.date, enforced: row.registration.enforced, registered: row.registration.registered });
    }
    expect(outcome.report.stuck.count).toBe(outcome.nights.at(-1)?.registration.stuck);
    expect(outcome.report.failures.reduce((sum, group) => sum + group.count, 0)).toBe(outcome.nights.reduce((sum, row) => sum + row.failed, 0));
    expect(outcome.report.progress.enforced).toBe(outcome.standing['enforced']);
  });

  it('the check fails when the page shows a wrong number (a tampered copy of the report)', async () => {
    const report = withParkedUsers(outcome.report);
    const night = report.nights.at(-2);
    const group = report.failures[0];
    const wave = report.waves[0];
    const parked = report.parked.users[0];
    if (night === undefined || group === undefined || wave === undefined || parked === undefined) throw new Error('the rehearsal report has no nights, no failures, no waves or no parked users');
    const tampered = renderReportHtml(report)
      .replace(`data-value="${report.progress.enforced}">`, `data-value="${report.progress.enforced + 1}">`)
      .replace(`data-field="users" data-value="${report.users}"`, `data-field="users" data-value="${report.users + 1}"`)
      .replace(/(<div class="card enforced" data-metric="enforced">.*?<span class="share">)[^<]*/, '$1 99.9%')
      .replace(`<td class="number" data-field="alreadyDone">${wave.alreadyDone}</td>`, `<td class="number" data-field="alreadyDone">${wave.alreadyDone + 5}</td>`)
      .replace(`<circle data-date="${night.date}" data-value="${night.cumulativeEnforced}"`, `<circle data-date="${night.date}" data-value="${night.cumulativeEnforced + 7}"`)
      .replace(`<td class="number" data-field="count">${group.count}</td>`, `<td class="number" data-field="count">${group.count + 1}</td>`)
      .replace(`<td class="number" data-field="attempts">${parked.attempts}</td>`, `<td class="number" data-field="attempts">${parked.attempts + 2}</td>`);
    const file = path.join(workDir, 'tampered.html');
    writeFileSync(file, tampered);
    const { page } = await open(file);
    try {
      const problems = reportMismatches(await readReportDom(page), report);
      expect(problems).toEqual(expect.arrayContaining([
        expect.stringMatching(/^card enforced \(data-value\)/),
        expect.stringMatching(/^chart enforced points/),
        expect.stringMatching(/^failures table/),
        expect.stringMatching(/^users in the roster/),
        expect.stringMatching(/^card enforced \(share\)/),
        expect.stringMatching(/^waves table/),
        expect.stringMatching(/^parked table/),
      ]));
      // and nothing else: the geometry check adds lines about the tampered point only
      for (const problem of problems) expect(problem).toMatch(/^(card enforced \((data-value|share)\)|chart enforced|failures table|users in the roster|waves table|parked table)/);
    } finally {
      await page.close();
    }
  });

  it('held and stopped nights in the top banner, and a rollback in its own column: every figure as the report says, and a wrong one is caught', async () => {
    const report = withParkedUsers(outcome.report);
    const [latest, undone] = [report.waves[0], report.waves.find((wave) => wave.kind === 'enforce' && wave.enforced > 0)];
    if (latest === undefined || undone === undefined) throw new Error('the rehearsal report has no waves');
    const next = (days: number) => new Date(Date.parse(latest.startedAt) + days * 86_400_000).toISOString();
    const rollback = { ...latest, waveId: `${latest.waveId}-rollback`, kind: 'rollback' as const, status: 'done' as const, startedAt: next(0.3), pilot: false, planned: 0, enforced: 0, rolledBack: 7, failed: 1, announced: 0, alreadyDone: 0, targetWaveId: undone.waveId, reason: 'rolled back 7 of 8 user(s); 1 failed (run it again)', topErrors: [] };
    const stopped = { ...latest, waveId: 'stopped-wave', status: 'stopped' as const, startedAt: next(1), reason: 'time budget of 50 min reached; 12 planned users continue next night', rolledBack: 0 };
    const held = { ...latest, waveId: 'held-night', kind: 'held' as const, status: 'held' as const, startedAt: next(2), planned: 0, enforced: 0, failed: 0, reason: 'syncStale (last sync 300 min ago)', rolledBack: 0 };
    const troubled = {
      ...report,
      waves: [held, stopped, rollback, ...report.waves],
      flagged: [held, stopped].map((wave) => ({ waveId: wave.waveId, status: wave.status === 'held' ? ('held' as const) : ('stopped' as const), startedAt: wave.startedAt, reason: wave.reason })),
    };
    const file = path.join(workDir, 'troubled.html');
    writeFileSync(file, renderReportHtml(troubled));
    const { page } = await open(file);
    try {
      const dom = await readReportDom(page);
      expect(reportMismatches(dom, troubled)).toEqual([]);
      expect(dom.flagged?.nights.map((night) => night.status)).toEqual(['held', 'stopped']);
      expect(dom.waves.find((wave) => wave.waveId === rollback.waveId)).toMatchObject({ kind: 'rollback', enforced: 0, rolledBack: 7 });
      expect(await page.locator('[data-field="flagged"]').isVisible()).toBe(true);
      // the banner is the first thing under the title
      const top = await page.locator('header .banner').first().getAttribute('data-field');
      expect(top).toBe('flagged');
    } finally {
      await page.close();
    }
    const wrong = renderReportHtml(troubled).replace('<td class="number" data-field="rolledBack">7</td>', '<td class="number" data-field="rolledBack">8</td>').replace('data-field="flagged" data-value="2"', 'data-field="flagged" data-value="1"');
    const wrongFile = path.join(workDir, 'troubled-wrong.html');
    writeFileSync(wrongFile, wrong);
    const tampered = await open(wrongFile);
    try {
      const problems = reportMismatches(await readReportDom(tampered.page), troubled);
      expect(problems).toEqual([expect.stringMatching(/^waves table/), expect.stringMatching(/^flagged nights banner/)]);
    } finally {
      await tampered.page.close();
    }
  });

  it('the SMS retirement first: verdict, days left, users by posture, the SMS-only line toward its marker, conversion, stragglers; a wrong figure is caught', async () => {
    // the rehearsal runs the phone track; the passkey track's deadline comes from a sample roster 20 days into its campaign
    const now = new Date(outcome.report.generatedAt);
    const posture = { ...decideTenantPosture(postureInput(), testConfig(passkeyTrack), now), problems: [{ code: 'campaignOff' as const, severity: 'warning' as const, message: 'the registration campaign is off', fix: 'mfa-rollout setup-passkeys --apply' }] };
    const deadline = sampleDeadline(now, posture);
    expect(deadline.stragglers.count).toBeGreaterThan(0);
    expect(deadline.conversion[0]?.windows.every((window) => window.complete)).toBe(true);
    const passkeys = { ...outcome.report, deadline };
    const file = path.join(workDir, 'deadline.html');
    const page = renderReportHtml(passkeys);
    writeFileSync(file, page);
    const opened = await open(file);
    try {
      expect(reportMismatches(await readReportDom(opened.page), passkeys)).toEqual([]);
      // the deadline comes before the progress
      const sections = await opened.page.locator('main > section').evaluateAll((elements) => elements.map((element) => element.id));
      expect(sections.indexOf('deadline')).toBe(0);
      expect(await opened.page.locator('[data-field="deadlineVerdict"]').isVisible()).toBe(true);
    } finally {
      await opened.page.close();
    }
    const bucket = deadline.users.smsVoiceOnly;
    const [firstPoint] = deadline.smsOnlyByNight;
    if (firstPoint === undefined) throw new Error('the sample has no nights');
    const wrong = page
      .replace(`<span class="count" data-value="${bucket}">${bucket}</span>`, `<span class="count" data-value="${bucket + 1}">${bucket + 1}</span>`)
      .replace(`<circle data-date="${firstPoint.date}" data-value="${firstPoint.atRisk}"`, `<circle data-date="${firstPoint.date}" data-value="${firstPoint.atRisk + 2}"`)
      .replace(`data-field="stragglerCount" data-value="${deadline.stragglers.count}"`, `data-field="stragglerCount" data-value="${deadline.stragglers.count + 1}"`);
    const wrongFile = path.join(workDir, 'deadline-wrong.html');
    writeFileSync(wrongFile, wrong);
    const tampered = await open(wrongFile);
    try {
      const problems = reportMismatches(await readReportDom(tampered.page), passkeys);
      expect(problems).toEqual([
        expect.stringMatching(/^deadline buckets:/),
        expect.stringMatching(/^deadline buckets total/),
        expect.stringMatching(/^deadline chart atRisk points/),
        expect.stringMatching(/^deadline straggler count/),
      ]);
    } finally {
      await tampered.page.close();
    }
  });

  it('the end labels of the two lines do not overlap, even where the lines end one user apart', async () => {
    const report = outcome.report;
    const lastIndex = report.nights.length - 1;
    const together = {
      ...report,
      nights: report.nights.map((night, index) => (index === lastIndex ? { ...night, cumulativeRegistered: night.cumulativeEnforced - 1 } : night)),
    };
    const file = path.join(workDir, 'together.html');
    writeFileSync(file, renderReportHtml(together));
    const { page } = await open(file);
    try {
      const labels = await page.locator('svg.chart text.end-label').evaluateAll((elements) =>
        elements.map((element) => {
          const box = element.getBoundingClientRect();
          return { text: element.textContent, top: box.top, bottom: box.bottom };
        }));
      const last = report.nights[lastIndex];
      if (last === undefined) throw new Error('the rehearsal report has no nights');
      expect(labels.map((label) => label.text)).toEqual([last.cumulativeEnforced, last.cumulativeEnforced - 1].map((value) => value.toLocaleString('en-US')));
      const [first, second] = labels;
      if (first === undefined || second === undefined) throw new Error('two end labels expected');
      expect(second.top).toBeGreaterThanOrEqual(first.bottom);
    } finally {
      await page.close();
    }
  });

  it('escapes hostile values: they show as text, nothing runs', async () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&amp;<script>alert(2)</script>@evil.example';
    const report = outcome.report;
    const group = report.failures[0];
    if (group === undefined) throw new Error('the rehearsal report has no failures');
    const poisoned = {
      ...report,
      rolloutId: `"><script>alert(3)</script>`,
      failures: [{ ...group, sampleUsers: [hostile], hint: `</td></tr></table><h1>${hostile}</h1>` }],
      waves: report.waves.map((wave, index) => (index === 0 ? { ...wave, reason: hostile } : wave)),
      stuck: { ...report.stuck, count: 1, users: [{ userId: 'u-1', upn: hostile, waveId: `w"<>`, enforcedAt: report.generatedAt, days: 9, lastCheckedAt: null }] },
    };
    const file = path.join(workDir, 'hostile.html');
    writeFileSync(file, renderReportHtml(poisoned));
    const { page, requests, errors } = await open(file);
    try {
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('h1').count()).toBe(1);
      expect(await page.locator('[data-field="rolloutId"]').innerText()).toBe(`"><script>alert(3)</script>`);
      expect(await page.locator('#failures-table [data-field="users"]').innerText()).toBe(hostile);
      expect(await page.locator('#stuck-table [data-field="upn"]').innerText()).toBe(hostile);
      expect(await page.locator('#waves-table [data-field="reason"]').first().innerText()).toContain(hostile);
      expect(requests).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
