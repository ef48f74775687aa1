import { describe, expect, it } from '@jest/globals';
import { escapeHtml } from '../../shared/report/escapeHtml.js';
import { renderReportHtml } from '../../shared/report/renderReportHtml.js';
import type { RolloutReport } from '../../shared/shell/buildReport.js';
import { renderReportText } from '../../shared/report/renderReportText.js';
import { wave } from '../core/waveBuilder.js';

/** A small report as buildReport would return it. */
function report(overrides: Partial<RolloutReport> = {}): RolloutReport {
  return {
    rolloutId: 'default',
    generatedAt: '2026-11-25T09:00:00.000Z',
    users: 10,
    progress: { total: 10, enforced: 4, ready: 3, notReady: 1, excluded: 1, parked: 1, rolledBack: 0, notPresent: 0, registration: { registered: 2, notRegistered: 1, unknown: 1 } },
    estimate: { remaining: 3, nights: 1, lastNight: '2026-11-26', waveSizes: [100], extraNights: { pilot: 0, notice: 0 }, recentPace: { nights: 1, enforced: 4, perNight: 4, nightsLeft: 1 }, halted: false, method: 'how' },
    standing: { enforced: 4, laterWave: 3, mobileMissing: 1, guest: 1, parked: 1 },
    plan: { status: 'plan', targetSize: 100, pilot: false, excluded: 1, notReady: 1 },
    waves: [{ ...wave({ startedAt: '2026-11-25T01:00:00.000Z', enforced: 4, planned: 5, failed: 1, topErrors: [{ code: 'GRAPH_THROTTLED', count: 1 }] }), durationSeconds: 1200 }],
    nights: [{ date: '2026-11-25', outcome: 'completed', waveIds: ['w'], enforced: 4, failed: 1, cumulativeEnforced: 4, cumulativeRegistered: 2 }],
    failures: [{ errorCode: 'GRAPH_THROTTLED', count: 1, hint: 'Graph answered 429', sampleRequestIds: ['r-1'], sampleUsers: ['a@contoso.com'] }],
    stuck: { count: 0, afterDays: 14, users: [] },
    parked: { count: 1, users: [{ userId: 'u-9', upn: 'p@contoso.com', waveId: 'w', parkedAt: '2026-11-25T01:00:00.000Z', attempts: 3, errorCode: 'PHONE_CONFLICT', requestId: null, hint: 'never overwritten' }] },
    corruptRows: [],
    ...overrides,
  };
}

describe('escapeHtml', () => {
  it('escapes the five characters that end text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('renderReportHtml', () => {
  it('one self-contained page: a CSP that loads nothing, no script, no external URL', () => {
    const html = renderReportHtml(report());
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; base-uri &#39;none&#39;; form-action &#39;none&#39;">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)).toEqual(['http://www.w3.org/2000/svg']); // the SVG namespace name, never fetched
  });

  it('every value from the tables is escaped, attributes included', () => {
    const hostile = `x"><script>alert(1)</script>'&`;
    const html = renderReportHtml(report({
      rolloutId: hostile,
      failures: [{ errorCode: hostile, count: 1, hint: hostile, sampleRequestIds: [hostile], sampleUsers: [hostile] }],
      nights: [{ date: hostile, outcome: hostile, waveIds: [], enforced: 1, failed: 0, cumulativeEnforced: 1, cumulativeRegistered: 0 }],
      corruptRows: [hostile],
    }));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('x"><');
    expect(html).not.toContain("</script>'&");
    expect(html).toContain('x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;&amp;');
  });

  it('a halted rollout says so first, with the reason and the way out', () => {
    const html = renderReportHtml(report({
      plan: { status: 'halted', targetSize: 0, pilot: false, excluded: 1, notReady: 1, haltedWaveId: '2026-11-25T01-00-00Z', haltReason: 'failure rate 30% after 20 users' },
      estimate: { ...report().estimate, nights: null, halted: true, lastNight: null },
    }));
    expect(html).toContain('<div class="banner halted" data-field="halted">Halted since wave <code>2026-11-25T01-00-00Z</code>: failure rate 30% after 20 users. Nothing more is enforced until <code>mfa-rollout resume</code>.</div>');
    expect(html).toContain('The rollout is halted: 3 ready user(s) wait until it resumes.');
  });

  it('no night yet: says so instead of an empty chart', () => {
    expect(renderReportHtml(report({ nights: [] }))).toContain('<p class="empty" data-chart="empty">No night recorded yet.</p>');
  });
});

describe('renderReportText', () => {
  it('progress with shares, nights left and pace, waves with duration, failures, parked users', () => {
    const text = renderReportText(report());
    expect(text).toContain('  enforced                 4  40.0%');
    expect(text).toContain('  nights left: about 1, the last around 2026-11-26, if every wave is clean (waves of 100)');
    expect(text).toContain('  recent pace: 4 per night over 1 night(s) -> about 1 night(s)');
    expect(text).toMatch(/^ {2}2026-11-25T01-00Z +enforce +completed +20 min 0 s +5 +4 +1/m);
    expect(text).toContain('  GRAPH_THROTTLED ×1: Graph answered 429');
    expect(text).toContain('Stuck users (enforced 14+ days ago, no sign-in since that satisfied MFA): 0');
    expect(text).toContain('  p@contoso.com                                    PHONE_CONFLICT after 3 attempt(s)');
  });
});
