import { describe, expect, it } from '@jest/globals';
import { escapeHtml } from '../../shared/report/escapeHtml.js';
import { renderReportHtml } from '../../shared/report/renderReportHtml.js';
import type { RolloutReport } from '../../shared/shell/buildReport.js';
import { renderReportText } from '../../shared/report/renderReportText.js';
import { wave } from '../core/waveBuilder.js';
import { passkeyTrack, testConfig } from '../core/configBuilder.js';
import { createDeadlineCollector } from '../../shared/core/deadline/deadlineReport.js';
import { sampleDeadline } from './helpers/sampleDeadline.js';

/** A small report as buildReport would return it. */
function report(overrides: Partial<RolloutReport> = {}): RolloutReport {
  return {
    rolloutId: 'default',
    generatedAt: '2026-11-25T09:00:00.000Z',
    users: 10,
    deadline: createDeadlineCollector(testConfig(passkeyTrack), new Date('2026-11-25T09:00:00.000Z')).finish({ posture: null, nights: [], rampNightsLeft: 1 }),
    progress: { total: 10, enforced: 4, ready: 3, notReady: 1, excluded: 1, parked: 1, rolledBack: 0, notPresent: 0, registration: { registered: 2, notRegistered: 1, unknown: 1 } },
    estimate: { remaining: 3, nights: 1, lastNight: '2026-11-26', waveSizes: [100], extraNights: { pilot: 0, notice: 0 }, recentPace: { nights: 1, enforced: 4, perNight: 4, nightsLeft: 1 }, halted: false, method: 'how' },
    standing: { enforced: 4, laterWave: 3, mobileMissing: 1, guest: 1, parked: 1 },
    plan: { status: 'plan', targetSize: 100, pilot: false, excluded: 1, notReady: 1 },
    waves: [{ ...wave({ startedAt: '2026-11-25T01:00:00.000Z', enforced: 4, planned: 5, failed: 1, topErrors: [{ code: 'GRAPH_THROTTLED', count: 1 }] }), durationSeconds: 1200, rolledBack: 0 }],
    flagged: [],
    nights: [{ date: '2026-11-25', outcome: 'completed', waveIds: ['w'], enforced: 4, failed: 1, cumulativeEnforced: 4, cumulativeRegistered: 2 }],
    failures: [{ errorCode: 'GRAPH_THROTTLED', count: 1, hint: 'Graph answered 429', sampleRequestIds: ['r-1'], sampleUsers: ['a@contoso.com'] }],
    stuck: { count: 0, afterDays: 14, users: [] },
    parked: { count: 1, users: [{ userId: 'u-9', upn: 'p@contoso.com', waveId: 'w', parkedAt: '2026-11-25T01:00:00.000Z', attempts: 3, errorCode: 'PHONE_CONFLICT', requestId: null, hint: 'never overwritten' }] },
    corruptRows: [],
    breakGlass: null,
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
    expect([...new Set(html.match(/https?:\/\/[^"\s]*/g))]).toEqual(['http://www.w3.org/2000/svg']); // the SVG namespace name (of both charts), never fetched
  });

  it('every value from the tables is escaped, attributes included', () => {
    const hostile = `x"><script>alert(1)</script>'&`;
    const sample = sampleDeadline();
    const html = renderReportHtml(report({
      rolloutId: hostile,
      failures: [{ errorCode: hostile, count: 1, hint: hostile, sampleRequestIds: [hostile], sampleUsers: [hostile] }],
      nights: [{ date: hostile, outcome: hostile, waveIds: [], enforced: 1, failed: 0, cumulativeEnforced: 1, cumulativeRegistered: 0 }],
      corruptRows: [hostile],
      deadline: { ...sample, stragglers: { ...sample.stragglers, users: sample.stragglers.users.map((user) => ({ ...user, upn: hostile })) }, conversion: sample.conversion.map((wave) => ({ ...wave, waveId: hostile })) },
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
    expect(text).toMatch(/^ {2}2026-11-25T01-00Z +enforce +completed +20 min 0 s +5 +4 +0 +1$/m);
    expect(text).toContain('  GRAPH_THROTTLED ×1: Graph answered 429');
    expect(text).toContain('Stuck users (enforced 14+ days ago, no sign-in since that satisfied MFA): 0');
    expect(text).toContain('  p@contoso.com                                    PHONE_CONFLICT after 3 attempt(s)');
  });
});

/** A held night, a stopped wave, a rollback of a pilot wave and the pilot wave, newest first, as buildReport lists them. */
function troubledReport(): RolloutReport {
  const pilotWave = { ...wave({ waveId: '2026-11-22T01-00-00Z', startedAt: '2026-11-22T01:00:00.000Z', pilot: true, planned: 4, enforced: 4, targetSize: 4 }), durationSeconds: 300, rolledBack: 0 };
  const rollback = {
    ...wave({ waveId: '2026-11-23T09-30-00Z-rollback', kind: 'rollback', status: 'done', startedAt: '2026-11-23T09:30:00.000Z', planned: 0, enforced: 0, targetWaveId: pilotWave.waveId, reason: 'rolled back 3 of 3 user(s)' }),
    durationSeconds: 0, rolledBack: 3,
  };
  const stopped = { ...wave({ waveId: '2026-11-24T01-00-00Z', startedAt: '2026-11-24T01:00:00.000Z', status: 'stopped', planned: 50, enforced: 20, reason: 'time budget of 50 min reached; 30 planned users continue next night' }), durationSeconds: 3000, rolledBack: 0 };
  const held = { ...wave({ waveId: '2026-11-25T01-00-00Z', kind: 'held', status: 'held', startedAt: '2026-11-25T01:00:00.000Z', planned: 0, enforced: 0, reason: 'syncStale (last sync 300 min ago)' }), durationSeconds: 0, rolledBack: 0 };
  return report({
    waves: [held, stopped, rollback, pilotWave],
    flagged: [
      { waveId: held.waveId, status: 'held', startedAt: held.startedAt, reason: held.reason },
      { waveId: stopped.waveId, status: 'stopped', startedAt: stopped.startedAt, reason: stopped.reason },
    ],
  });
}

describe('the report flags what matters', () => {
  it('held and stopped nights head the text report, and the HTML banner', () => {
    const text = renderReportText(troubledReport());
    expect(text.split('\n').slice(1, 4)).toEqual([
      'ATTENTION: 2 nights held or stopped, not followed by a completed wave:',
      '  2026-11-25T01-00-00Z HELD: syncStale (last sync 300 min ago)',
      '  2026-11-24T01-00-00Z STOPPED: time budget of 50 min reached; 30 planned users continue next night',
    ]);
    const html = renderReportHtml(troubledReport());
    expect(html).toContain('<div class="banner warning" data-field="flagged" data-value="2">Attention: 2 nights held or stopped, not followed by a completed wave:<ul>' +
      '<li data-wave-id="2026-11-25T01-00-00Z" data-status="held"><code>2026-11-25T01-00-00Z</code> held: <span data-field="reason">syncStale (last sync 300 min ago)</span></li>');
    expect(html.indexOf('data-field="flagged"')).toBeLessThan(html.indexOf('data-field="status"'));
    expect(renderReportHtml(report())).not.toContain('data-field="flagged"');
    expect(renderReportText(report())).not.toContain('ATTENTION');
  });

  it('a rollback shows in its own column, never as enforced, and names the wave it undid', () => {
    const text = renderReportText(troubledReport());
    const row = text.split('\n').find((line) => line.startsWith('  2026-11-23T09-30-00Z-rollback')) ?? '';
    expect(row).toMatch(/^ {2}2026-11-23T09-30-00Z-rollback +rollback +done +0 s +0 +0 +3 +0 +of wave 2026-11-22T01-00-00Z: rolled back 3 of 3 user\(s\)$/);
    const html = renderReportHtml(troubledReport());
    expect(html).toContain('<th class="number">Enforced</th><th class="number">of them already</th><th class="number">Rolled back</th>');
    expect(html).toMatch(/<tr data-wave-id="2026-11-23T09-30-00Z-rollback"[^>]*>.*<td class="number" data-field="enforced">0<\/td>.*<td class="number" data-field="rolledBack">3<\/td>.*of wave 2026-11-22T01-00-00Z: rolled back 3 of 3 user\(s\)/);
  });

  it('text and HTML both call a pilot wave a pilot wave', () => {
    const text = renderReportText(troubledReport());
    expect(text).toMatch(/^ {2}2026-11-22T01-00-00Z +enforce \(pilot\) +completed /m);
    expect(renderReportHtml(troubledReport())).toContain('<td data-field="kind">enforce (pilot)</td>');
  });

  it('a wave whose run never counted it (still running, or its run died) says that its counts are those of its start, in text and HTML', () => {
    const running = { ...wave({ waveId: '2026-11-26T01-00-00Z', startedAt: '2026-11-26T01:00:00.000Z', status: 'running', endedAt: null, planned: 200, enforced: 0, reason: null }), durationSeconds: null, rolledBack: 0 };
    const said = 'under way, or its run died (the next run closes it): the counts are as saved at its start, not what the wave did (`mfa-rollout rollback --wave 2026-11-26T01-00-00Z --dry-run` lists the users it wrote)';
    const text = renderReportText(report({ waves: [running] }));
    expect(text).toContain(`  2026-11-26T01-00-00Z  enforce  running         –      200         0            0       0  ${said}`);
    expect(renderReportHtml(report({ waves: [running] }))).toContain(escapeHtml(said));
    // a completed wave's counts are its own: nothing is added
    expect(renderReportText(troubledReport())).not.toContain('as saved at its start');
  });

  it('long wave ids keep the text table aligned: every column starts where its header does', () => {
    const lines = renderReportText(troubledReport()).split('\n');
    const header = lines.find((line) => line.trimStart().startsWith('wave ')) ?? '';
    const rows = lines.filter((line) => /^ {2}2026-/.test(line) && !/HELD|STOPPED/.test(line));
    expect(rows).toHaveLength(4);
    const starts = (line: string, headers: readonly string[]) => headers.map((title) => line.indexOf(title));
    const [kindAt, statusAt] = starts(header, ['kind', 'status']);
    const rightEdges = ['duration', 'planned', 'enforced', 'rolled back', 'failed'].map((title) => header.indexOf(title) + title.length);
    for (const row of rows) {
      expect(row[(kindAt ?? 0) - 1]).toBe(' ');
      expect(row.slice(kindAt).match(/^(enforce|rollback|held)/)).not.toBeNull();
      expect(row.slice(statusAt).match(/^(completed|done|stopped|held) /)).not.toBeNull();
      for (const edge of rightEdges) expect([row[edge - 1] !== ' ', (row[edge] ?? ' ') === ' ']).toEqual([true, true]);
    }
  });
});
