import type { Page } from 'playwright-core';
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
  readonly cards: Readonly<Record<string, { readonly value: number; readonly text: number }>>;
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
  readonly waves: readonly { readonly waveId: string; readonly kind: string; readonly status: string; readonly planned: number; readonly enforced: number; readonly rolledBack: number; readonly failed: number }[];
  /** The banner of held and stopped nights: its count and the nights it lists; null when the page has none. */
  readonly flagged: { readonly count: number; readonly nights: readonly { readonly waveId: string; readonly status: string; readonly reason: string }[] } | null;
  readonly failures: readonly { readonly code: string; readonly count: number; readonly hint: string; readonly requestIds: readonly string[]; readonly users: readonly string[] }[];
  readonly stuck: { readonly count: number; readonly upns: readonly string[] };
}

/** Reads the report page. Opens the collapsed per-night table first, as a person would, by clicking its summary. */
export async function readReportDom(page: Page): Promise<ReportDom> {
  const summary = page.locator('#nights details summary');
  if ((await summary.count()) > 0) await summary.click();
  return page.evaluate(() => {
    const number = (text: string | null | undefined) => Number((text ?? '').replace(/[,\s]/g, ''));
    const lines = (element: DomElement | null) => (element?.innerText ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const cards: Record<string, { value: number; text: number }> = {};
    for (const card of document.querySelectorAll('[data-metric] .value')) {
      const key = card.closest('[data-metric]')?.getAttribute('data-metric') ?? '';
      cards[key] = { value: Number(card.getAttribute('data-value')), text: number(card.innerText) };
    }
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
    return {
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
        planned: cell(row, 'planned'), enforced: cell(row, 'enforced'), rolledBack: cell(row, 'rolledBack'), failed: cell(row, 'failed'),
      })),
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
        upns: [...document.querySelectorAll('#stuck-table [data-field="upn"]')].map((upn) => upn.innerText),
      },
    };
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
  for (const key of ['enforced', 'ready', 'notReady', 'excluded', 'parked', 'rolledBack', 'notPresent'] as const) {
    same(`card ${key} (data-value)`, dom.cards[key]?.value, progress[key]);
    same(`card ${key} (text)`, dom.cards[key]?.text, progress[key]);
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
    waveId: wave.waveId, kind: describeWave(wave).kind, status: wave.status, planned: wave.planned, enforced: wave.enforced, rolledBack: wave.rolledBack, failed: wave.failed,
  })));
  same('flagged nights banner', dom.flagged, report.flagged.length === 0 ? null : {
    count: report.flagged.length,
    nights: report.flagged.map((night) => ({ waveId: night.waveId, status: night.status, reason: night.reason ?? 'no reason recorded' })),
  });
  same('failures table', dom.failures, report.failures.map((group) => ({ code: group.errorCode, count: group.count, hint: group.hint, requestIds: group.sampleRequestIds, users: group.sampleUsers })));
  same('stuck users', dom.stuck, { count: report.stuck.count, upns: report.stuck.users.map((user) => user.upn) });
  return problems;
}
