import { chartScale } from './chartScale.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount } from './formatCount.js';
import type { NightProgress } from './progressByNight.js';

const width = 920;
const height = 320;
const margin = { top: 28, right: 28, bottom: 52, left: 68 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

const series = [
  { key: 'enforced', label: 'Enforced (cumulative)', colour: '#1f5fa8', value: (night: NightProgress) => night.cumulativeEnforced },
  { key: 'registered', label: 'Registered (cumulative)', colour: '#2e7d32', value: (night: NightProgress) => night.cumulativeRegistered },
] as const;

/**
 * The progress chart as inline SVG (no script, no external resource): per night, a bar of the users enforced that
 * night, and two lines, users enforced and users verified registered by the end of each night; a dashed line marks
 * the goal (every user that will be enforced). Each point carries `data-series`, `data-date` and `data-value`, and a
 * `<title>` with the same numbers for a hover tooltip.
 */
export function progressChart(nights: readonly NightProgress[], goal: number): string {
  if (nights.length === 0) return '<p class="empty" data-chart="empty">No night recorded yet.</p>';
  const { top, step: tickStep } = chartScale(Math.max(goal, ...nights.map((night) => Math.max(night.cumulativeEnforced, night.cumulativeRegistered, night.enforced)), 1));
  const step = plotWidth / nights.length;
  const x = (index: number) => margin.left + step * (index + 0.5);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const round = (value: number) => Math.round(value * 10) / 10;

  const parts: string[] = [];
  parts.push(`<svg class="chart" data-chart="progress" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="chart-title chart-desc">`);
  parts.push('<title id="chart-title">Progress per night</title>');
  const last = nights.at(-1) as NightProgress;
  parts.push(`<desc id="chart-desc">${escapeHtml(`From ${nights[0]?.date ?? ''} to ${last.date}: ${last.cumulativeEnforced} users enforced, ${last.cumulativeRegistered} verified registered, goal ${goal}.`)}</desc>`);

  // horizontal grid and y axis labels
  for (let tick = 0; tick <= top; tick += tickStep) {
    parts.push(`<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#d9dde3" stroke-width="1"/>`);
    parts.push(`<text class="y-label" x="${margin.left - 8}" y="${round(y(tick) + 4)}" text-anchor="end" font-size="12" fill="#4a5563">${escapeHtml(formatCount(tick))}</text>`);
  }
  // x axis labels: at most ~12, always the last
  const every = Math.max(1, Math.ceil(nights.length / 12));
  nights.forEach((night, index) => {
    if (index % every !== 0 && index !== nights.length - 1) return;
    parts.push(`<text class="x-label" x="${round(x(index))}" y="${height - margin.bottom + 18}" text-anchor="middle" font-size="12" fill="#4a5563">${escapeHtml(night.date.slice(5))}</text>`);
  });
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#4a5563" stroke-width="1"/>`);

  // bars: enforced that night
  const barWidth = Math.max(2, Math.min(28, step * 0.6));
  parts.push('<g class="bars" data-series="enforcedTonight" fill="#9cc3ea">');
  nights.forEach((night, index) => {
    const barTop = y(night.enforced);
    parts.push(
      `<rect data-date="${escapeHtml(night.date)}" data-value="${night.enforced}" x="${round(x(index) - barWidth / 2)}" y="${round(barTop)}" width="${round(barWidth)}" height="${round(margin.top + plotHeight - barTop)}">` +
        `<title>${escapeHtml(`${night.date}: ${night.enforced} enforced that night (${night.outcome})`)}</title></rect>`,
    );
  });
  parts.push('</g>');

  // goal
  parts.push(`<line class="goal" data-series="goal" data-value="${goal}" x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(goal))}" y2="${round(y(goal))}" stroke="#8a5a00" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${margin.left + 6}" y="${round(y(goal) - 6)}" text-anchor="start" font-size="12" fill="#8a5a00">${escapeHtml(`goal ${formatCount(goal)}`)}</text>`);

  // end labels: each above its last point, but a label never closer than 16 px below the one before it (the
  // registered line ends at or below the enforced one, often within a few pixels); a white halo keeps each legible
  // where it crosses a line; they are drawn after every line, so no line covers them
  const endLabels: string[] = [];
  let previousLabelY = Number.NEGATIVE_INFINITY;
  for (const line of series) {
    const labelY = Math.max(y(line.value(last)) - 8, previousLabelY + 16);
    previousLabelY = labelY;
    const points = nights.map((night, index) => `${round(x(index))},${round(y(line.value(night)))}`).join(' ');
    parts.push(`<g class="series" data-series="${line.key}">`);
    parts.push(`<polyline points="${points}" fill="none" stroke="${line.colour}" stroke-width="2.5" stroke-linejoin="round"/>`);
    nights.forEach((night, index) => {
      const value = line.value(night);
      parts.push(
        `<circle data-date="${escapeHtml(night.date)}" data-value="${value}" cx="${round(x(index))}" cy="${round(y(value))}" r="3.5" fill="${line.colour}">` +
          `<title>${escapeHtml(`${night.date}: ${value} ${line.key}`)}</title></circle>`,
      );
    });
    endLabels.push(`<text class="end-label" data-series="${line.key}" x="${round(Math.min(x(nights.length - 1) + 6, width - 4))}" y="${round(labelY)}" text-anchor="end" font-size="12" font-weight="600" fill="${line.colour}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeHtml(formatCount(line.value(last)))}</text>`);
    parts.push('</g>');
  }
  parts.push(...endLabels);

  // legend
  const legend = [...series.map((line) => ({ label: line.label, colour: line.colour, dashed: false })), { label: 'Enforced that night', colour: '#9cc3ea', dashed: false }, { label: 'Goal: all who will be enforced', colour: '#8a5a00', dashed: true }];
  let legendX = margin.left;
  for (const item of legend) {
    parts.push(`<line x1="${legendX}" x2="${legendX + 18}" y1="${height - 14}" y2="${height - 14}" stroke="${item.colour}" stroke-width="${item.dashed ? 1.5 : 6}"${item.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${legendX + 24}" y="${height - 10}" font-size="12" fill="#1d2430">${escapeHtml(item.label)}</text>`);
    legendX += 24 + item.label.length * 6.6 + 20;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
