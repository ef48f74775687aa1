import type { Page } from 'playwright-core';
import { userPostureBuckets } from '../../../shared/core/deadline/userPostureTally.js';
import { describeWave } from '../../../shared/report/describeWave.js';
import type { RolloutReport } from '../../../shared/shell/buildReport.js';

/*
 * The browser side of `readReportDom` runs in the page; these declarations give it the few DOM members it uses
 * without adding the DOM library to the whole (Node) project. They are local to this module.
 */
interface DomElement {
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement> & ArrayLike<DomElement>;
  closest(selectors: string): DomElement | null;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  readonly innerText: string;
  readonly textContent: string | null;
}
declare const document: Pick<DomElement, 'querySelector' | 'querySelectorAll'>;
declare function getComputedStyle(element: DomElement): { visibility: string; display: string };

/** A point of the chart as the browser laid it out: its data attributes and where it was drawn. */
export interface ChartPoint {
  readonly date: string;
  readonly value: number;
  readonly x: number;
  readonly y: number;
  readonly visible: boolean;
}

/** What a person sees in the rendered report, read from the DOM: raw `data-value`s and the visible texts (as numbers). */
export interface ReportDom {
  /** The header's roster size: [data-value, shown text as a number]. */
  readonly users: readonly [number, number];
  readonly cards: Readonly<Record<string, { readonly value: number; readonly text: number; readonly share: string }>>;
  readonly registration: Readonly<Record<string, { readonly value: number; readonly text: number }>>;
  readonly nightsLeft: number | null;
  readonly chart: {
    readonly box: { readonly width: number; readonly height: number };
    readonly enforced: readonly ChartPoint[];
    readonly registered: readonly ChartPoint[];
    readonly bars: readonly (ChartPoint & { readonly height: number })[];
    readonly goal: number | null;
    readonly labels: readonly string[];
  } | null;
  readonly nightsTable: readonly { readonly date: string; readonly enforced: number; readonly failed: number; readonly cumulativeEnforced: number; readonly cumulativeRegistered: number }[];
  readonly waves: readonly { readonly waveId: string; readonly kind: string; readonly status: string; readonly planned: number; readonly enforced: number; readonly alreadyDone: number; readonly rolledBack: number; readonly failed: number; readonly announced: number; readonly durationSeconds: string }[];
  /** Where every user stands: [reason, count shown] per row of the standing table, in page order. */
  readonly standing: readonly (readonly [string, number])[];
  /** [data-value, shown count] of the parked users' line. */
  readonly parked: readonly [number, number];
  /** The parked table's rows: the user (data-user-id, shown UPN), the error code, the attempts shown, request-id, hint. */
  readonly parkedUsers: readonly { readonly userId: string; readonly upn: string; readonly errorCode: string; readonly attempts: number; readonly requestId: string; readonly hint: string }[];
  /** The break-glass section's counts, [data-value, shown text]; null when the privileged accounts were not read. */
  readonly privileged: { readonly unlistedCloudOnly: readonly [number, number]; readonly synced: readonly [number, number] } | null;
  /** The banner of held and stopped nights: its count and the nights it lists; null when the page has none. */
  readonly flagged: { readonly count: number; readonly nights: readonly { readonly waveId: string; readonly status: string; readonly reason: string }[] } | null;
  readonly failures: readonly { readonly code: string; readonly count: number; readonly hint: string; readonly requestIds: readonly string[]; readonly users: readonly string[] }[];
  readonly stuck: { readonly count: number; readonly text: number; readonly upns: readonly string[] };
  readonly deadline: {
    readonly verdict: { readonly status: string; readonly text: string } | null;
    /** `data-field` -> [data-value, shown text as a number] of the calendar and projection figures. */
    readonly figures: Readonly<Record<string, readonly [number | null, number | null]>>;
    readonly buckets: Readonly<Record<string, readonly [number, number, string]>>;
    readonly bucketTotal: number;
    readonly problems: readonly string[];
    readonly chart: { readonly atRisk: readonly ChartPoint[]; readonly smsVoiceOnly: readonly ChartPoint[]; readonly deadlineX: number | null; readonly deadlineDate: string; readonly projection: number | null; readonly left: number; readonly right: number } | null;
    readonly conversion: readonly { readonly waveId: string; readonly nudged: number; readonly hadBefore: number; readonly registered: number; readonly windows: readonly (readonly [string, string])[] }[];
    readonly stragglerCount: readonly [number, number];
    readonly stragglers: readonly { readonly upn: string; readonly reason: string; readonly daysSinceNudge: string; readonly daysToDate: number; readonly tap: string }[];
  };
}

/** Reads the report page. Opens the collapsed per-night table first, as a person would, by clicking its summary. */
export async function readReportDom(page: Page): Promise<ReportDom> {
  const summary = page.locator('#nights details summary');
  if ((await summary.count()) > 0) await summary.click();
  return page.evaluate(() => {
    const number = (text: string | null | undefined) => Number((text ?? '').replace(/[,\s]/g, ''));
    const lines = (element: DomElement | null) => (element?.innerText ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const cards: Record<string, { value: number; text: number; share: string }> = {};
    for (const card of document.querySelectorAll('[data-metric] .value')) {
      const key = card.closest('[data-metric]')?.getAttribute('data-metric') ?? '';
      cards[key] = { value: Number(card.getAttribute('data-value')), text: number(card.innerText), share: card.closest('[data-metric]')?.querySelector('.share')?.innerText ?? '' };
    }
    const valueAndText = (element: DomElement | null): [number, number] => [Number(element?.getAttribute('data-value')), number((element?.querySelector('strong') ?? element)?.innerText)];
    const registration: Record<string, { value: number; text: number }> = {};
    for (const field of document.querySelectorAll('[data-metric="registration"] [data-field]')) {
      registration[field.getAttribute('data-field') ?? ''] = { value: Number(field.getAttribute('data-value')), text: number(field.innerText) };
    }
    const estimate = document.querySelector('[data-metric="estimate"]');
    const flaggedBanner = document.querySelector('[data-field="flagged"]');
    const svg = document.querySelector('svg[data-chart="progress"]');
    const point = (element: DomElement) => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return {
        date: element.getAttribute('data-date') ?? '',
        value: Number(element.getAttribute('data-value')),
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
        visible: box.width > 0 && box.height >= 0 && style.visibility !== 'hidden' && style.display !== 'none',
      };
    };
    const chart = svg === null ? null : {
      box: { width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height },
      enforced: [...svg.querySelectorAll('[data-series="enforced"] circle')].map(point),
      registered: [...svg.querySelectorAll('[data-series="registered"] circle')].map(point),
      bars: [...svg.querySelectorAll('[data-series="enforcedTonight"] rect')].map((bar) => ({ ...point(bar), height: bar.getBoundingClientRect().height })),
      goal: svg.querySelector('[data-series="goal"]') === null ? null : Number(svg.querySelector('[data-series="goal"]')?.getAttribute('data-value')),
      labels: [...svg.querySelectorAll('text.x-label')].map((label) => label.textContent ?? ''),
    };
    const cell = (row: DomElement, field: string) => number(row.querySelector(`[data-field="${field}"]`)?.innerText);
    const unlisted = document.querySelector('[data-metric="unlistedPrivileged"]');
    return {
      users: valueAndText(document.querySelector('header [data-field="users"]')),
      cards,
      registration,
      nightsLeft: estimate?.hasAttribute('data-value') === true ? Number(estimate.getAttribute('data-value')) : null,
      chart,
      nightsTable: [...document.querySelectorAll('#nights-table tbody tr')].map((row) => ({
        date: row.getAttribute('data-date') ?? '', enforced: cell(row, 'enforced'), failed: cell(row, 'failed'),
        cumulativeEnforced: cell(row, 'cumulativeEnforced'), cumulativeRegistered: cell(row, 'cumulativeRegistered'),
      })),
      waves: [...document.querySelectorAll('#waves-table tbody tr')].map((row) => ({
        waveId: row.querySelector('td')?.innerText ?? '', kind: row.querySelectorAll('td')[1]?.innerText ?? '', status: row.querySelectorAll('td')[2]?.innerText ?? '',
        planned: cell(row, 'planned'), enforced: cell(row, 'enforced'), alreadyDone: cell(row, 'alreadyDone'), rolledBack: cell(row, 'rolledBack'), failed: cell(row, 'failed'),
        announced: cell(row, 'announced'), durationSeconds: row.querySelector('[data-field="durationSeconds"]')?.getAttribute('data-value') ?? '',
      })),
      standing: [...document.querySelectorAll('#standing-table tbody tr')].map((row) => [row.getAttribute('data-reason') ?? '', cell(row, 'count')] as [string, number]),
      parked: valueAndText(document.querySelector('p[data-metric="parked"]')),
      parkedUsers: [...document.querySelectorAll('#parked-table tbody tr')].map((row) => ({
        userId: row.getAttribute('data-user-id') ?? '', upn: row.querySelector('[data-field="upn"]')?.innerText ?? '', errorCode: row.querySelector('code')?.innerText ?? '',
        attempts: cell(row, 'attempts'), requestId: row.querySelectorAll('td')[3]?.innerText ?? '', hint: row.querySelectorAll('td')[4]?.innerText ?? '',
      })),
      privileged: unlisted === null ? null : { unlistedCloudOnly: valueAndText(unlisted), synced: valueAndText(document.querySelector('[data-field="syncedPrivileged"]')) },
      flagged: flaggedBanner === null ? null : {
        count: Number(flaggedBanner.getAttribute('data-value')),
        nights: [...flaggedBanner.querySelectorAll('li')].map((item) => ({
          waveId: item.getAttribute('data-wave-id') ?? '', status: item.getAttribute('data-status') ?? '', reason: item.querySelector('[data-field="reason"]')?.innerText ?? '',
        })),
      },
      failures: [...document.querySelectorAll('#failures-table tbody tr')].map((row) => ({
        code: row.querySelector('td')?.innerText ?? '', count: cell(row, 'count'),
        hint: row.querySelector('[data-field="hint"]')?.innerText ?? '',
        requestIds: lines(row.querySelector('[data-field="requestIds"]')), users: lines(row.querySelector('[data-field="users"]')),
      })),
      stuck: {
        count: Number(document.querySelector('[data-metric="stuck"]')?.getAttribute('data-value')),
        text: number(document.querySelector('[data-metric="stuck"] strong')?.innerText),
        upns: [...document.querySelectorAll('#stuck-table [data-field="upn"]')].map((upn) => upn.innerText),
      },
      deadline: deadlineOf(point, number),
    };
    function deadlineOf(pointOf: typeof point, numberOf: typeof number) {
      const verdict = document.querySelector('[data-field="deadlineVerdict"]');
      const optional = (text: string | null | undefined) => (text === null || text === undefined || text === '' || text === '–' ? null : numberOf(text));
      const figures: Record<string, [number | null, number | null]> = {};
      for (const field of document.querySelectorAll('#deadline [data-metric] strong[data-field]')) {
        figures[field.getAttribute('data-field') ?? ''] = [optional(field.getAttribute('data-value')), optional(field.innerText)];
      }
      const buckets: Record<string, [number, number, string]> = {};
      for (const card of document.querySelectorAll('#posture-buckets [data-bucket]')) {
        const count = card.querySelector('.count');
        buckets[card.getAttribute('data-bucket') ?? ''] = [Number(count?.getAttribute('data-value')), numberOf(count?.innerText), card.querySelector('.share')?.innerText ?? ''];
      }
      const svg = document.querySelector('svg[data-chart="smsOnly"]');
      const marker = svg?.querySelector('[data-series="deadline"] line') ?? null;
      const plotLine = svg?.querySelector('line.grid') ?? null;
      const projection = svg?.querySelector('[data-series="projection"]') ?? null;
      const td = (row: DomElement, field: string) => row.querySelector(`[data-field="${field}"]`)?.innerText ?? '';
      return {
        verdict: verdict === null ? null : { status: verdict.getAttribute('data-status') ?? '', text: verdict.innerText },
        figures,
        buckets,
        bucketTotal: Number(document.querySelector('#posture-buckets')?.getAttribute('data-value')),
        problems: [...document.querySelectorAll('#posture-problems li')].map((item) => item.getAttribute('data-code') ?? ''),
        chart: svg === null ? null : {
          atRisk: [...svg.querySelectorAll('[data-series="atRisk"] circle')].map(pointOf),
          smsVoiceOnly: [...svg.querySelectorAll('[data-series="smsVoiceOnly"] circle')].map(pointOf),
          deadlineX: marker === null ? null : marker.getBoundingClientRect().x,
          deadlineDate: svg.querySelector('[data-series="deadline"]')?.getAttribute('data-date') ?? '',
          projection: projection === null ? null : Number(projection.getAttribute('data-value')),
          left: plotLine?.getBoundingClientRect().x ?? 0,
          right: (plotLine?.getBoundingClientRect().x ?? 0) + (plotLine?.getBoundingClientRect().width ?? 0),
        },
        conversion: [...document.querySelectorAll('#conversion-table tbody tr')].map((row) => ({
          waveId: row.getAttribute('data-wave-id') ?? '', nudged: numberOf(td(row, 'nudged')), hadBefore: numberOf(td(row, 'hadBefore')), registered: numberOf(td(row, 'registered')),
          windows: ['within7', 'within14'].map((field) => [row.querySelector(`[data-field="${field}"]`)?.getAttribute('data-value') ?? '', td(row, field)] as const),
        })),
        stragglerCount: [Number(document.querySelector('[data-field="stragglerCount"]')?.getAttribute('data-value')), numberOf(document.querySelector('[data-field="stragglerCount"] strong')?.innerText)] as [number, number],
        stragglers: [...document.querySelectorAll('#stragglers-table tbody tr')].map((row) => ({
          upn: td(row, 'upn'), reason: row.querySelector('[data-field="reason"]')?.getAttribute('data-value') ?? '', daysSinceNudge: td(row, 'daysSinceNudge'), daysToDate: numberOf(td(row, 'daysToDate')), tap: row.querySelector('[data-field="tap"]')?.getAttribute('data-value') ?? '',
        })),
      };
    }
  });
}

/**
 * Every difference between what the page shows and the report it was rendered from, one line each (empty: the page
 * is right). Besides the numbers, the chart must be drawn where its numbers say: points left to right by night,
 * higher values higher up, inside the chart, and bars as tall as their values.
 */
export function reportMismatches(dom: ReportDom, report: RolloutReport): string[] {
  const problems: string[] = [];
  const same = (what: string, shown: unknown, expected: unknown) => {
    if (JSON.stringify(shown) !== JSON.stringify(expected)) problems.push(`${what}: page shows ${JSON.stringify(shown)}, report has ${JSON.stringify(expected)}`);
  };
  const progress = report.progress;
  same('users in the roster', dom.users, [report.users, report.users]);
  for (const key of ['enforced', 'ready', 'notReady', 'excluded', 'parked', 'rolledBack', 'notPresent'] as const) {
    same(`card ${key} (data-value)`, dom.cards[key]?.value, progress[key]);
    same(`card ${key} (text)`, dom.cards[key]?.text, progress[key]);
    same(`card ${key} (share)`, dom.cards[key]?.share, percentOf(progress[key], progress.total));
  }
  for (const [field, expected] of [['registered', progress.registration.registered], ['notRegistered', progress.registration.notRegistered], ['registrationUnknown', progress.registration.unknown]] as const) {
    same(`registration ${field}`, [dom.registration[field]?.value, dom.registration[field]?.text], [expected, expected]);
  }
  same('nights left', dom.nightsLeft, report.estimate.nights);

  if (report.nights.length === 0) same('chart', dom.chart, null);
  else if (dom.chart === null) problems.push('chart: not on the page');
  else {
    const chart = dom.chart;
    same('chart enforced points', chart.enforced.map((p) => [p.date, p.value]), report.nights.map((night) => [night.date, night.cumulativeEnforced]));
    same('chart registered points', chart.registered.map((p) => [p.date, p.value]), report.nights.map((night) => [night.date, night.cumulativeRegistered]));
    same('chart bars', chart.bars.map((p) => [p.date, p.value]), report.nights.map((night) => [night.date, night.enforced]));
    same('chart goal', chart.goal, progress.enforced + progress.ready);
    if (chart.box.width < 300 || chart.box.height < 150) problems.push(`chart: drawn ${chart.box.width}×${chart.box.height} px, too small to read`);
    for (const [name, points] of [['enforced', chart.enforced], ['registered', chart.registered], ['bars', chart.bars]] as const) {
      if (points.some((p) => !p.visible)) problems.push(`chart ${name}: a point is not drawn`);
      for (let index = 1; index < points.length; index += 1) {
        if (!((points[index]?.x ?? 0) > (points[index - 1]?.x ?? 0))) problems.push(`chart ${name}: night ${points[index]?.date} is not right of the night before`);
      }
    }
    for (const [name, points] of [['enforced', chart.enforced], ['registered', chart.registered]] as const) {
      for (const a of points) for (const b of points) if (a.value > b.value && !(a.y < b.y)) problems.push(`chart ${name}: ${a.value} on ${a.date} is not drawn above ${b.value} on ${b.date}`);
    }
    const scale = chart.bars.filter((bar) => bar.value > 0).map((bar) => bar.height / bar.value);
    if (scale.some((ratio) => Math.abs(ratio - (scale[0] ?? ratio)) > 0.02 * (scale[0] ?? 1) + 0.2)) problems.push(`chart bars: heights are not proportional to their values (${scale.map((ratio) => ratio.toFixed(3)).join(', ')})`);
    if (chart.labels.at(-1) !== report.nights.at(-1)?.date.slice(5)) problems.push(`chart: the last x label is ${chart.labels.at(-1)}, expected ${report.nights.at(-1)?.date.slice(5)}`);
  }
  same('nights table', dom.nightsTable, [...report.nights].reverse().map((night) => ({
    date: night.date, enforced: night.enforced, failed: night.failed, cumulativeEnforced: night.cumulativeEnforced, cumulativeRegistered: night.cumulativeRegistered,
  })));
  same('waves table', dom.waves, report.waves.map((wave) => ({
    waveId: wave.waveId, kind: describeWave(wave).kind, status: wave.status, planned: wave.planned, enforced: wave.enforced, alreadyDone: wave.alreadyDone,
    rolledBack: wave.rolledBack, failed: wave.failed, announced: wave.announced, durationSeconds: String(wave.durationSeconds ?? ''),
  })));
  same('standing table', [...dom.standing].sort((a, b) => a[0].localeCompare(b[0])), Object.entries(report.standing).sort((a, b) => a[0].localeCompare(b[0])));
  same('parked users', dom.parked, [report.parked.count, report.parked.count]);
  same('parked table', dom.parkedUsers, report.parked.users.map((user) => ({ userId: user.userId, upn: user.upn, errorCode: user.errorCode, attempts: user.attempts, requestId: user.requestId ?? '–', hint: user.hint })));
  const privileged = report.breakGlass?.posture.privileged;
  same('privileged accounts', dom.privileged, privileged?.read === true
    ? { unlistedCloudOnly: [privileged.unlistedCloudOnlyCount, privileged.unlistedCloudOnlyCount], synced: [privileged.syncedCount, privileged.syncedCount] }
    : null);
  same('flagged nights banner', dom.flagged, report.flagged.length === 0 ? null : {
    count: report.flagged.length,
    nights: report.flagged.map((night) => ({ waveId: night.waveId, status: night.status, reason: night.reason ?? 'no reason recorded' })),
  });
  same('failures table', dom.failures, report.failures.map((group) => ({ code: group.errorCode, count: group.count, hint: group.hint, requestIds: group.sampleRequestIds, users: group.sampleUsers })));
  same('stuck users', dom.stuck, { count: report.stuck.count, text: report.stuck.count, upns: report.stuck.users.map((user) => user.upn) });
  problems.push(...deadlineMismatches(dom.deadline, report.deadline));
  return problems;
}

/** A share as the page shows it: one decimal at most, of at least one user. */
function percentOf(count: number, total: number): string {
  return `${Math.round((count / Math.max(1, total)) * 1000) / 10}%`;
}

/** The deadline section: every figure as the report has it, and the SMS-only line drawn toward its marker. */
function deadlineMismatches(dom: ReportDom['deadline'], deadline: RolloutReport['deadline']): string[] {
  const problems: string[] = [];
  const same = (what: string, shown: unknown, expected: unknown) => {
    if (JSON.stringify(shown) !== JSON.stringify(expected)) problems.push(`deadline ${what}: page shows ${JSON.stringify(shown)}, report has ${JSON.stringify(expected)}`);
  };
  const { calendar, projection, users } = deadline;
  same('verdict', dom.verdict?.status, deadline.verdict.status);
  if (dom.verdict !== null && !dom.verdict.text.includes(deadline.verdict.message)) problems.push('deadline verdict: the banner does not carry the message');
  const both = (count: number | null) => [count, count];
  same('figures', dom.figures, {
    daysLeft: both(calendar.daysLeft),
    ...(calendar.retirementDateAdmins === calendar.retirementDate ? {} : { daysLeftAdmins: both(calendar.daysLeftAdmins) }),
    atRiskNow: both(projection.atRiskNow), projectionSmsVoiceOnly: both(projection.smsVoiceOnly), projectionNoMfaMethod: both(projection.noMfaMethod), projectionNotReached: both(projection.notReached),
    registrationsPerNight: both(projection.pace.perNight), paceNights: both(projection.pace.nights), projectedOnDate: both(projection.projectedOnDate), nightsToClear: both(projection.nightsToClear),
    ...(deadline.rampNightsLeft === null || deadline.rampNightsLeft === 0 ? {} : { rampNightsLeft: both(deadline.rampNightsLeft) }),
  });
  same('buckets', dom.buckets, Object.fromEntries(userPostureBuckets.map((bucket) => [bucket, [users[bucket], users[bucket], percentOf(users[bucket], users.total)]])));
  same('buckets total', [dom.bucketTotal, userPostureBuckets.reduce((sum, bucket) => sum + (dom.buckets[bucket]?.[0] ?? 0), 0)], [users.total, users.total]);
  same('posture problems', dom.problems, deadline.posture?.problems.map((problem) => problem.code) ?? []);
  const chart = dom.chart;
  if (chart === null) problems.push('deadline chart: not on the page');
  else {
    same('chart atRisk points', chart.atRisk.map((p) => [p.date, p.value]), deadline.smsOnlyByNight.map((point) => [point.date, point.atRisk]));
    same('chart smsVoiceOnly points', chart.smsVoiceOnly.map((p) => [p.date, p.value]), deadline.smsOnlyByNight.map((point) => [point.date, point.smsVoiceOnly]));
    same('chart marker date', chart.deadlineDate, calendar.retirementDate);
    same('chart projection', chart.projection, calendar.delivery === 'microsoft' && projection.daysLeft > 0 ? projection.projectedOnDate : null);
    for (const [name, points] of [['atRisk', chart.atRisk], ['smsVoiceOnly', chart.smsVoiceOnly]] as const) {
      if (points.some((p) => !p.visible || p.x < chart.left - 1 || p.x > chart.right + 1)) problems.push(`deadline chart ${name}: a point is not drawn inside the chart`);
      for (let index = 1; index < points.length; index += 1) if (!((points[index]?.x ?? 0) > (points[index - 1]?.x ?? 0))) problems.push(`deadline chart ${name}: ${points[index]?.date} is not right of the night before`);
      for (const a of points) for (const b of points) if (a.value > b.value && !(a.y < b.y)) problems.push(`deadline chart ${name}: ${a.value} on ${a.date} is not drawn above ${b.value} on ${b.date}`);
      // the marker stands at the date: right of every night before it, at the right edge when the date is the axis' end
      for (const p of points) if (p.date < calendar.retirementDate && chart.deadlineX !== null && !(p.x < chart.deadlineX)) problems.push(`deadline chart ${name}: ${p.date} is not left of the retirement marker`);
    }
  }
  same('conversion table', dom.conversion, deadline.conversion.map((wave) => ({
    waveId: wave.waveId, nudged: wave.nudged, hadBefore: wave.hadBefore, registered: wave.registered,
    windows: wave.windows.map((window) => [window.share === null ? '' : String(window.share), window.share === null ? (window.complete ? '–' : 'not yet') : `${(Math.round(window.share * 1000) / 10).toFixed(1)}% (${window.registered})`]),
  })));
  same('straggler count', dom.stragglerCount, [deadline.stragglers.count, deadline.stragglers.count]);
  same('stragglers table', dom.stragglers, deadline.stragglers.users.map((user) => ({ upn: user.upn, reason: user.reason, daysSinceNudge: user.daysSinceNudge === null ? '–' : String(user.daysSinceNudge), daysToDate: user.daysToDate, tap: user.tap?.expiresAt ?? '' })));
  return problems;
}
