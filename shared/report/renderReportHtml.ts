import type { RolloutReport } from '../shell/buildReport.js';
import { describeWave } from './describeWave.js';
import { escapeHtml } from './escapeHtml.js';
import { flaggedHeadline } from './flaggedNights.js';
import { formatCount } from './formatCount.js';
import { formatDuration } from './formatDuration.js';
import { progressChart } from './progressChart.js';
import { renderBreakGlassHtml } from './renderBreakGlassHtml.js';
import { renderDeadlineHtml } from './renderDeadlineHtml.js';

/**
 * The Content-Security-Policy of the report, in its `<meta>` and (from the HTTP function) as a header: nothing
 * may load, no script may run; only the inline stylesheet and inline SVG render.
 */
export const reportContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** What each planner reason means, for people. Reasons not listed show by their name. */
const reasonLabels: Readonly<Record<string, string>> = {
  enforced: 'MFA required',
  nextWave: 'due: in the next wave',
  laterWave: 'ready, waiting for a later wave',
  awaitingNotice: 'announced, notice period not over',
  promisedDate: 'announced, waiting for the date their notice gave',
  pilotFirst: 'ready, waiting for the pilot to finish',
  halted: 'ready, held by the halt',
  inFlight: 'left mid-write by a run that stopped (reconciled next night)',
  parked: 'failed MFA_MAX_ATTEMPTS nights: needs a person',
  rolledBack: 'rolled back',
  notPresent: 'no longer in the directory',
  breakGlass: 'break-glass account (never touched)',
  exclusionGroup: 'in the exclusion group',
  serviceAccount: 'service account (UPN pattern)',
  guest: 'guest',
  accountDisabled: 'account disabled',
  notSynced: 'not synced from on-premises AD',
  mobileMissing: 'no synced mobile number',
  mobileInvalid: 'mobile number invalid',
  mobileNoCountryCode: 'mobile without country code',
  mobileIsLandline: 'mobile field holds a landline',
  mobileHasExtension: 'mobile number has an extension',
};

const styles = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2430; background: #f5f6f8; margin: 0; }
  main { max-width: 1000px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 28px 0 8px; }
  h3 { font-size: 15px; margin: 18px 0 6px; }
  section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 4px 18px 16px; margin-top: 16px; }
  .meta { color: #4a5563; margin: 0; }
  .banner { border-radius: 6px; padding: 10px 14px; margin-top: 14px; font-weight: 600; }
  .banner.halted { background: #fdecea; border: 1px solid #e0a29c; color: #8c1d13; }
  .banner.ok { background: #e8f4ea; border: 1px solid #a7d0ae; color: #1f5128; }
  .banner.warning { background: #fff4e0; border: 1px solid #e5b567; color: #6b4200; }
  .banner ul { margin: 6px 0 0; padding-left: 20px; font-weight: 400; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(112px, 1fr)); gap: 10px; margin: 8px 0 12px; padding: 0; }
  .card { border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 10px; margin: 0; }
  .card dt { color: #4a5563; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
  .card dd { margin: 2px 0 0; font-size: 22px; font-weight: 650; }
  .card[data-bucket="smsVoiceOnly"] dd, .card[data-bucket="noMfaMethod"] dd { color: #b3261e; }
  .card .share { font-size: 12px; font-weight: 400; color: #4a5563; }
  .card.enforced dd { color: #1f5fa8; }
  .estimate { font-size: 15px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6e9ed; vertical-align: top; }
  th { background: #f0f2f5; font-weight: 600; }
  td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
  tr.status-halted td, tr.status-stopped td { background: #fdf3f2; }
  tr.status-held td { background: #fff8e6; }
  td.wave-id { white-space: nowrap; }
  code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
  td code { white-space: nowrap; }
  .request-ids { overflow-wrap: anywhere; }
  .empty { color: #4a5563; font-style: italic; }
  .chart { width: 100%; height: auto; display: block; margin: 8px 0 12px; }
  details { margin-top: 6px; color: #4a5563; }
  footer { color: #4a5563; font-size: 12px; margin: 20px 0; }
`;

/**
 * The on-call report as one self-contained HTML page: inline CSS and inline SVG, no script, no external resource
 * (a Content-Security-Policy forbids loading anything), so it opens offline and from a mail attachment. Every value
 * from the tables is escaped. Numbers carry `data-value` attributes with the raw figure, so tests (and scrapers)
 * read them without parsing formatted text.
 */
export function renderReportHtml(report: RolloutReport): string {
  const { progress } = report;
  const total = Math.max(1, progress.total);
  const share = (count: number) => `${Math.round((count / total) * 1000) / 10}%`;
  const cards = [
    ['enforced', 'Enforced', progress.enforced],
    ['ready', 'Ready, to do', progress.ready],
    ['notReady', 'Not ready', progress.notReady],
    ['excluded', 'Excluded', progress.excluded],
    ['parked', 'Parked', progress.parked],
    ['rolledBack', 'Rolled back', progress.rolledBack],
    ['notPresent', 'Gone', progress.notPresent],
  ] as const;
  const halted = report.plan.status === 'halted';
  const breakGlass = renderBreakGlassHtml(report.breakGlass);
  const deadline = renderDeadlineHtml(report.deadline);
  const goal = progress.enforced + progress.ready;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(reportContentSecurityPolicy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`MFA rollout ${report.rolloutId} · ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<header>
<h1>MFA rollout <span data-field="rolloutId">${escapeHtml(report.rolloutId)}</span></h1>
<p class="meta">Report of <time datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(report.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time> · <span data-field="users" data-value="${report.users}">${formatCount(report.users)}</span> users in the roster</p>
${renderFlagged(report)}
${halted
    ? `<div class="banner halted" data-field="halted">Halted${report.plan.haltedWaveId === undefined ? '' : ` since wave <code>${escapeHtml(report.plan.haltedWaveId)}</code>`}: ${escapeHtml(report.plan.haltReason ?? 'no reason recorded')}. Nothing more is enforced until <code>mfa-rollout resume</code>.</div>`
    : `<div class="banner ok" data-field="status">${escapeHtml(progress.ready > 0
      ? `Rolling out: ${formatCount(progress.ready)} ready user(s) to go; the next wave aims for ${formatCount(report.plan.targetSize)}${report.plan.pilot ? ' (the pilot ring)' : ''}.`
      : 'Every ready user is enforced; users who become ready later are picked up night by night.')}</div>`}
${breakGlass.banner}
${deadline.banner}
</header>

${deadline.section}

<section id="progress">
<h2>Progress</h2>
<dl class="cards">
${cards.map(([key, label, count]) => `<div class="card ${key}" data-metric="${key}"><dt>${escapeHtml(label)}</dt><dd><span class="value" data-value="${count}">${formatCount(count)}</span> <span class="share">${share(count)}</span></dd></div>`).join('\n')}
</dl>
<p data-metric="registration">Of the enforced users, <strong data-field="registered" data-value="${progress.registration.registered}">${formatCount(progress.registration.registered)}</strong> are verified registered, <strong data-field="notRegistered" data-value="${progress.registration.notRegistered}">${formatCount(progress.registration.notRegistered)}</strong> were not yet at the last check, and <strong data-field="registrationUnknown" data-value="${progress.registration.unknown}">${formatCount(progress.registration.unknown)}</strong> are not checked yet.</p>
${renderEstimate(report)}
</section>

${breakGlass.section}

<section id="nights">
<h2>Progress per night</h2>
${progressChart(report.nights, goal)}
${renderNightsTable(report)}
</section>

<section id="waves">
<h2>Last waves</h2>
${renderWaves(report)}
</section>

<section id="failures">
<h2>Failures by error code</h2>
${renderFailures(report)}
</section>

<section id="stuck">
<h2>Stuck users</h2>
<p data-metric="stuck" data-value="${report.stuck.count}"><strong>${formatCount(report.stuck.count)}</strong> user(s) enforced at least ${report.stuck.afterDays} day(s) ago (MFA_STUCK_AFTER_DAYS) with no sign-in since that satisfied MFA, as the sign-in log showed at the last check: the helpdesk should call them.${report.stuck.users.length < report.stuck.count ? ` The ${report.stuck.users.length} oldest are listed.` : ''}</p>
${renderStuck(report)}
</section>

<section id="parked">
<h2>Parked users</h2>
<p data-metric="parked" data-value="${report.parked.count}"><strong>${formatCount(report.parked.count)}</strong> user(s) failed on MFA_MAX_ATTEMPTS nights (or at once, on an error in their own data) and are no longer retried: fix the cause the error code names, then <code>mfa-rollout retry-parked</code> gives them new attempts.${report.parked.users.length < report.parked.count ? ` The ${report.parked.users.length} oldest are listed.` : ''}</p>
${renderParked(report)}
</section>

<section id="standing">
<h2>Everyone, by reason</h2>
${renderStanding(report)}
${report.corruptRows.length === 0 ? '' : `<p data-metric="corruptRows" data-value="${report.corruptRows.length}">Unreadable roster rows (skipped, inspect them in the roster table): ${report.corruptRows.map((id) => `<code>${escapeHtml(id)}</code>`).join(', ')}</p>`}
</section>

<footer>mfa-rollout · generated ${escapeHtml(report.generatedAt)} · this page loads nothing and runs no script; it contains user names: handle it like the helpdesk’s tickets.</footer>
</main>
</body>
</html>
`;
}

function renderEstimate(report: RolloutReport): string {
  const { estimate } = report;
  let headline: string;
  if (estimate.nights === null) headline = `The rollout is halted: ${formatCount(estimate.remaining)} ready user(s) wait until it resumes.`;
  else if (estimate.nights === 0) headline = 'Every ready user is enforced: no night left.';
  else {
    const extra = [estimate.extraNights.pilot > 0 ? 'the pilot night' : '', estimate.extraNights.notice > 0 ? `${estimate.extraNights.notice} notice night(s)` : ''].filter((text) => text !== '');
    headline = `About <strong data-field="nightsLeft" data-value="${estimate.nights}">${formatCount(estimate.nights)}</strong> night(s) left for ${formatCount(estimate.remaining)} ready user(s), the last around ${escapeHtml(estimate.lastNight ?? '')} if every wave is clean (waves of ${escapeHtml(estimate.waveSizes.map(formatCount).join(', '))}${estimate.waveSizes.length > 0 && extra.length > 0 ? ', ' : ''}${escapeHtml(extra.join(' and '))}).`;
  }
  const pace = estimate.recentPace;
  const paceText = estimate.nights === 0 ? '' : pace === null
    ? 'No wave has run yet, so there is no observed pace.'
    : `Recent pace: <span data-field="perNight" data-value="${pace.perNight}">${formatCount(pace.perNight)}</span> user(s) per night over the last ${pace.nights} night(s)${pace.nightsLeft === null ? '' : `, which would take <span data-field="nightsLeftAtPace" data-value="${pace.nightsLeft}">${formatCount(pace.nightsLeft)}</span> night(s)`}.`;
  return `<p class="estimate" data-metric="estimate"${estimate.nights === null ? '' : ` data-value="${estimate.nights}"`}>${headline} ${paceText}</p>
<details><summary>How the nights left are estimated</summary><p>${escapeHtml(estimate.method)}</p></details>`;
}

function renderNightsTable(report: RolloutReport): string {
  if (report.nights.length === 0) return '';
  const rows = [...report.nights].reverse().map((night) => `<tr data-date="${escapeHtml(night.date)}" class="status-${escapeHtml(night.outcome)}"><td>${escapeHtml(night.date)}</td><td>${escapeHtml(night.outcome)}</td>` +
    `<td class="number" data-field="enforced">${formatCount(night.enforced)}</td><td class="number" data-field="failed">${formatCount(night.failed)}</td>` +
    `<td class="number" data-field="cumulativeEnforced">${formatCount(night.cumulativeEnforced)}</td><td class="number" data-field="cumulativeRegistered">${formatCount(night.cumulativeRegistered)}</td></tr>`);
  return `<details><summary>The same as a table (newest first)</summary>
<table id="nights-table"><thead><tr><th>Night (UTC)</th><th>Outcome</th><th class="number">Enforced that night</th><th class="number">Failed</th><th class="number">Enforced in all</th><th class="number">Registered in all</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></details>`;
}

/** The held and stopped nights not followed by a completed wave, at the top of the page (nothing when there are none). */
function renderFlagged(report: RolloutReport): string {
  if (report.flagged.length === 0) return '';
  const items = report.flagged.map((night) => `<li data-wave-id="${escapeHtml(night.waveId)}" data-status="${escapeHtml(night.status)}"><code>${escapeHtml(night.waveId)}</code> ${escapeHtml(night.status)}: <span data-field="reason">${escapeHtml(night.reason ?? 'no reason recorded')}</span></li>`);
  return `<div class="banner warning" data-field="flagged" data-value="${report.flagged.length}">${escapeHtml(`Attention: ${flaggedHeadline(report.flagged)}`)}:<ul>${items.join('')}</ul></div>`;
}

function renderWaves(report: RolloutReport): string {
  if (report.waves.length === 0) return '<p class="empty">No wave yet.</p>';
  const rows = report.waves.map((wave) => {
    const { kind, reason } = describeWave(wave);
    return `<tr data-wave-id="${escapeHtml(wave.waveId)}" class="status-${escapeHtml(wave.status)}">` +
      `<td class="mono wave-id">${escapeHtml(wave.waveId)}</td><td data-field="kind">${escapeHtml(kind)}</td><td data-field="status">${escapeHtml(wave.status)}</td>` +
      `<td class="number" data-field="durationSeconds" data-value="${wave.durationSeconds ?? ''}">${escapeHtml(formatDuration(wave.durationSeconds))}</td>` +
      `<td class="number" data-field="planned">${formatCount(wave.planned)}</td><td class="number" data-field="enforced">${formatCount(wave.enforced)}</td>` +
      `<td class="number" data-field="alreadyDone">${formatCount(wave.alreadyDone)}</td><td class="number" data-field="rolledBack">${formatCount(wave.rolledBack)}</td>` +
      `<td class="number" data-field="failed">${formatCount(wave.failed)}</td><td class="number" data-field="announced">${formatCount(wave.announced)}</td>` +
      `<td data-field="reason">${escapeHtml(reason)}${wave.topErrors.length > 0 ? `<br><span class="mono">${escapeHtml(wave.topErrors.map((entry) => `${entry.code} ×${entry.count}`).join(', '))}</span>` : ''}</td></tr>`;
  });
  return `<table id="waves-table"><thead><tr><th>Wave</th><th>Kind</th><th>Status</th><th class="number">Duration</th><th class="number">Planned</th><th class="number">Enforced</th><th class="number">of them already</th><th class="number">Rolled back</th><th class="number">Failed</th><th class="number">Announced</th><th>Halt / hold reason, top errors</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderFailures(report: RolloutReport): string {
  if (report.failures.length === 0) return '<p class="empty" data-metric="failures" data-value="0">No failure in the waves listed.</p>';
  const rows = report.failures.map((group) => `<tr data-error-code="${escapeHtml(group.errorCode)}"><td><code>${escapeHtml(group.errorCode)}</code></td>` +
    `<td class="number" data-field="count">${formatCount(group.count)}</td><td data-field="hint">${escapeHtml(group.hint)}</td>` +
    `<td data-field="requestIds" class="mono request-ids">${group.sampleRequestIds.map(escapeHtml).join('<br>')}</td><td data-field="users">${group.sampleUsers.map(escapeHtml).join('<br>')}</td></tr>`);
  return `<table id="failures-table"><thead><tr><th>Error code</th><th class="number">Users</th><th>What to do</th><th>Sample request-ids (for Microsoft support)</th><th>e.g.</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderStuck(report: RolloutReport): string {
  if (report.stuck.users.length === 0) return '';
  const rows = report.stuck.users.map((user) => `<tr data-user-id="${escapeHtml(user.userId)}"><td data-field="upn">${escapeHtml(user.upn)}</td><td>${escapeHtml(user.enforcedAt.slice(0, 10))}</td>` +
    `<td class="number" data-field="days">${user.days}</td><td class="mono">${escapeHtml(user.waveId)}</td><td>${escapeHtml(user.lastCheckedAt?.slice(0, 16).replace('T', ' ') ?? '–')}</td></tr>`);
  return `<table id="stuck-table"><thead><tr><th>User</th><th>Enforced on</th><th class="number">Days since</th><th>Wave</th><th>Last checked (UTC)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderParked(report: RolloutReport): string {
  if (report.parked.users.length === 0) return '';
  const rows = report.parked.users.map((user) => `<tr data-user-id="${escapeHtml(user.userId)}"><td data-field="upn">${escapeHtml(user.upn)}</td><td><code>${escapeHtml(user.errorCode)}</code></td>` +
    `<td class="number" data-field="attempts">${user.attempts}</td><td class="mono">${escapeHtml(user.requestId ?? '–')}</td><td>${escapeHtml(user.hint)}</td></tr>`);
  return `<table id="parked-table"><thead><tr><th>User</th><th>Last error</th><th class="number">Attempts</th><th>Request-id</th><th>What to do</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderStanding(report: RolloutReport): string {
  const rows = Object.entries(report.standing).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `<tr data-reason="${escapeHtml(reason)}"><td><code>${escapeHtml(reason)}</code></td><td>${escapeHtml(reasonLabels[reason] ?? '')}</td><td class="number" data-field="count">${formatCount(count)}</td></tr>`);
  if (rows.length === 0) return '<p class="empty">The roster is empty: run a night (or `mfa-rollout plan`) to read the users.</p>';
  return `<table id="standing-table"><thead><tr><th>Reason</th><th>Meaning</th><th class="number">Users</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
