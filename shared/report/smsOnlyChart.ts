import type { DeadlineReport, SmsOnlyPoint } from '../core/deadline/deadlineReport.js';
import { chartScale } from './chartScale.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount } from './formatCount.js';

const width = 920;
const height = 300;
const margin = { top: 28, right: 36, bottom: 52, left: 68 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
const dayMs = 86_400_000;

const series = [
  { key: 'atRisk', label: 'At risk', colour: '#b3261e', value: (point: SmsOnlyPoint) => point.atRisk },
  { key: 'smsVoiceOnly', label: 'SMS or voice only', colour: '#c77700', value: (point: SmsOnlyPoint) => point.smsVoiceOnly },
] as const;

/**
 * The SMS-only line as inline SVG (no script): per night, the users at risk and those on SMS or voice only, on a time
 * axis that runs to the retirement date, where a dashed vertical marker stands; with Microsoft's delivery and days
 * left, a dotted line from today's count to the projection on the date. Points carry `data-series`, `data-date`
 * and `data-value`; the marker carries `data-date`.
 */
export function smsOnlyChart(deadline: DeadlineReport): string {
  const points = deadline.smsOnlyByNight;
  const last = points.at(-1);
  if (last === undefined) return '<p class="empty" data-chart="empty">No night recorded yet.</p>';
  const day = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / dayMs);
  const first = day(points[0]?.date ?? last.date);
  const deadlineDay = day(deadline.calendar.retirementDate);
  const end = Math.max(deadlineDay, day(last.date), first + 1);
  const { top, step: tickStep } = chartScale(Math.max(1, ...points.map((point) => Math.max(point.atRisk, point.smsVoiceOnly))));
  const x = (date: string) => margin.left + ((day(date) - first) / (end - first)) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const round = (value: number) => Math.round(value * 10) / 10;
  const showProjection = deadline.calendar.delivery === 'microsoft' && deadline.projection.daysLeft > 0;

  const parts: string[] = [];
  parts.push(`<svg class="chart" data-chart="smsOnly" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="sms-chart-title sms-chart-desc">`);
  parts.push('<title id="sms-chart-title">Users still on SMS or voice, toward the retirement date</title>');
  parts.push(`<desc id="sms-chart-desc">${escapeHtml(`From ${points[0]?.date ?? ''} to ${last.date}: ${last.atRisk} users at risk, ${last.smsVoiceOnly} on SMS or voice only; SMS and voice retire on ${deadline.calendar.retirementDate}.`)}</desc>`);
  for (let tick = 0; tick <= top; tick += tickStep) {
    parts.push(`<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(tick))}" y2="${round(y(tick))}" stroke="#d9dde3" stroke-width="1"/>`);
    parts.push(`<text class="y-label" x="${margin.left - 8}" y="${round(y(tick) + 4)}" text-anchor="end" font-size="12" fill="#4a5563">${escapeHtml(formatCount(tick))}</text>`);
  }
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#4a5563" stroke-width="1"/>`);
  for (const date of [points[0]?.date ?? last.date, last.date]) {
    parts.push(`<text class="x-label" x="${round(x(date))}" y="${height - margin.bottom + 18}" text-anchor="middle" font-size="12" fill="#4a5563">${escapeHtml(date.slice(5))}</text>`);
  }

  // the deadline marker
  const markerX = round(x(deadline.calendar.retirementDate));
  parts.push(`<g class="deadline" data-series="deadline" data-date="${escapeHtml(deadline.calendar.retirementDate)}">`);
  parts.push(`<line x1="${markerX}" x2="${markerX}" y1="${margin.top - 8}" y2="${margin.top + plotHeight}" stroke="#1d2430" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${markerX - 4}" y="${margin.top - 12}" text-anchor="end" font-size="12" font-weight="600" fill="#1d2430">${escapeHtml(`SMS retires ${deadline.calendar.retirementDate}`)}</text>`);
  parts.push('</g>');

  if (showProjection) {
    const value = deadline.projection.projectedOnDate;
    parts.push(`<g class="projection" data-series="projection" data-date="${escapeHtml(deadline.calendar.retirementDate)}" data-value="${value}">`);
    parts.push(`<line x1="${round(x(last.date))}" x2="${markerX}" y1="${round(y(last.atRisk))}" y2="${round(y(value))}" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="2 4"/>`);
    parts.push(`<circle cx="${markerX}" cy="${round(y(value))}" r="4" fill="#ffffff" stroke="#b3261e" stroke-width="2"><title>${escapeHtml(`projected on ${deadline.calendar.retirementDate}: ${value} at risk`)}</title></circle>`);
    parts.push('</g>');
  }

  for (const line of series) {
    const coordinates = points.map((point) => `${round(x(point.date))},${round(y(line.value(point)))}`).join(' ');
    parts.push(`<g class="series" data-series="${line.key}">`);
    parts.push(`<polyline points="${coordinates}" fill="none" stroke="${line.colour}" stroke-width="2.5" stroke-linejoin="round"/>`);
    for (const point of points) {
      const value = line.value(point);
      parts.push(`<circle data-date="${escapeHtml(point.date)}" data-value="${value}" cx="${round(x(point.date))}" cy="${round(y(value))}" r="3.5" fill="${line.colour}"><title>${escapeHtml(`${point.date}: ${value} ${line.key}`)}</title></circle>`);
    }
    parts.push('</g>');
  }

  const legend = [...series.map((line) => ({ label: line.label, colour: line.colour, dash: '' })), { label: 'Retirement date', colour: '#1d2430', dash: '6 4' }, ...(showProjection ? [{ label: 'Projection at the observed pace', colour: '#b3261e', dash: '2 4' }] : [])];
  let legendX = margin.left;
  for (const item of legend) {
    parts.push(`<line x1="${legendX}" x2="${legendX + 18}" y1="${height - 14}" y2="${height - 14}" stroke="${item.colour}" stroke-width="${item.dash === '' ? 6 : 1.5}"${item.dash === '' ? '' : ` stroke-dasharray="${item.dash}"`}/>`);
    parts.push(`<text x="${legendX + 24}" y="${height - 10}" font-size="12" fill="#1d2430">${escapeHtml(item.label)}</text>`);
    legendX += 24 + item.label.length * 6.3 + 18;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
