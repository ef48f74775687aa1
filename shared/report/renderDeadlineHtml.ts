import type { DeadlineReport } from '../core/deadline/deadlineReport.js';
import { userPostureBuckets } from '../core/deadline/userPostureTally.js';
import { formatShare, postureBucketLabel, stragglerReasonLabels, verdictLabels } from './deadlineLabels.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount } from './formatCount.js';
import { smsOnlyChart } from './smsOnlyChart.js';

/** The HTML report's deadline: a verdict banner for the header, and the section (calendar, buckets, chart, conversion, stragglers). */
export function renderDeadlineHtml(deadline: DeadlineReport): { readonly banner: string; readonly section: string } {
  const { calendar, projection, verdict, users, stragglers } = deadline;
  const tone = verdict.status === 'atRisk' ? 'halted' : verdict.status === 'onTrack' ? 'ok' : 'warning';
  const banner = `<div class="banner ${tone}" data-field="deadlineVerdict" data-status="${escapeHtml(verdict.status)}">SMS retirement, ${escapeHtml(verdictLabels[verdict.status])}: ${escapeHtml(verdict.message)}</div>`;
  const value = (field: string, count: number | null) => `<strong data-field="${field}" data-value="${count ?? ''}">${count === null ? '–' : formatCount(count)}</strong>`;
  const admins = calendar.retirementDateAdmins === calendar.retirementDate ? '' : ` Global Administrators and external users: ${value('daysLeftAdmins', calendar.daysLeftAdmins)} day(s) to ${escapeHtml(calendar.retirementDateAdmins)}.`;
  const total = Math.max(1, users.total);
  const cards = userPostureBuckets.map((bucket) => `<div class="card" data-bucket="${bucket}"><dt>${escapeHtml(postureBucketLabel(bucket, deadline.targetMethod))}</dt><dd><span class="count" data-value="${users[bucket]}">${formatCount(users[bucket])}</span> <span class="share">${Math.round((users[bucket] / total) * 1000) / 10}%</span></dd></div>`);
  const problems = deadline.posture === null
    ? '<p class="empty" data-field="postureProblems" data-value="">The methods posture is not decided yet: every night reads it.</p>'
    : deadline.posture.problems.length === 0
      ? `<p data-field="postureProblems" data-value="0">Methods posture of ${escapeHtml(deadline.posture.decidedAt)}: no problem.</p>`
      : `<p data-field="postureProblems" data-value="${deadline.posture.problems.length}">Methods posture of ${escapeHtml(deadline.posture.decidedAt)}${deadline.posture.blocked ? ': <strong>blocked, the nights write nothing</strong>' : ''}:</p><ul id="posture-problems">${deadline.posture.problems.map((problem) => `<li data-code="${escapeHtml(problem.code)}" data-severity="${escapeHtml(problem.severity)}"><code>${escapeHtml(problem.code)}</code> (${escapeHtml(problem.severity)}): ${escapeHtml(problem.message)} <em>Fix:</em> ${escapeHtml(problem.fix)}</li>`).join('')}</ul>`;
  const ramp = deadline.rampNightsLeft === null ? 'reaches nobody more while halted' : deadline.rampNightsLeft === 0 ? 'has reached every ready user' : `reaches every ready user in about ${value('rampNightsLeft', deadline.rampNightsLeft)} night(s)`;

  const section = `<section id="deadline">
<h2>SMS and voice retirement</h2>
<p data-metric="calendar">${escapeHtml(calendar.summary)}. ${value('daysLeft', calendar.daysLeft)} day(s) to <time datetime="${escapeHtml(calendar.retirementDate)}">${escapeHtml(calendar.retirementDate)}</time> (<code data-field="smsDelivery">MFA_SMS_DELIVERY=${escapeHtml(calendar.delivery)}</code>).${admins}</p>
<p data-metric="projection">At risk now: ${value('atRiskNow', projection.atRiskNow)} (SMS or voice only ${value('projectionSmsVoiceOnly', projection.smsVoiceOnly)}, no MFA method ${value('projectionNoMfaMethod', projection.noMfaMethod)}, not reached ${value('projectionNotReached', projection.notReached)}). Pace: ${value('registrationsPerNight', projection.pace.perNight)} registration(s) per night over ${value('paceNights', projection.pace.nights)} night(s); projected on the date: ${value('projectedOnDate', projection.projectedOnDate)}; nights to clear everyone at this pace: ${value('nightsToClear', projection.nightsToClear)}. The ramp ${ramp}.</p>
<details><summary>How the projection is computed</summary><p>${escapeHtml(projection.method)}</p></details>
${problems}
<h3>Users by posture</h3>
<dl class="cards" id="posture-buckets" data-value="${users.total}">
${cards.join('\n')}
</dl>
${smsOnlyChart(deadline)}
<h3>Campaign conversion per wave</h3>
${renderConversion(deadline)}
<h3>Stragglers</h3>
<p data-field="stragglerCount" data-value="${stragglers.count}"><strong>${formatCount(stragglers.count)}</strong> user(s) the helpdesk must hear about${stragglers.users.length < stragglers.count ? `; the ${stragglers.users.length} longest nudged are listed` : ''}.</p>
${renderStragglers(deadline)}
${renderOutOfScope(deadline)}
</section>`;
  return { banner, section };
}

function renderConversion(deadline: DeadlineReport): string {
  if (deadline.conversion.length === 0) return '<p class="empty" data-field="conversion" data-value="0">No wave has nudged anyone yet.</p>';
  const rows = deadline.conversion.map((wave) => `<tr data-wave-id="${escapeHtml(wave.waveId)}"><td class="mono wave-id">${escapeHtml(wave.waveId)}</td>` +
    `<td class="number" data-field="nudged">${formatCount(wave.nudged)}</td><td class="number" data-field="hadBefore">${formatCount(wave.hadBefore)}</td><td class="number" data-field="registered">${formatCount(wave.registered)}</td>` +
    wave.windows.map((window) => `<td class="number" data-field="within${window.days}" data-value="${window.share ?? ''}">${window.share === null ? (window.complete ? '–' : 'not yet') : `${formatShare(window.share)} (${formatCount(window.registered)})`}</td>`).join('') + '</tr>');
  return `<table id="conversion-table"><thead><tr><th>Wave</th><th class="number">Nudged</th><th class="number">Had it before</th><th class="number">Registered so far</th><th class="number">Within 7 days</th><th class="number">Within 14 days</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function renderStragglers(deadline: DeadlineReport): string {
  if (deadline.stragglers.users.length === 0) return '';
  const rows = deadline.stragglers.users.map((user) => `<tr data-user-id="${escapeHtml(user.userId)}"><td data-field="upn">${escapeHtml(user.upn)}</td><td data-field="reason" data-value="${escapeHtml(user.reason)}">${escapeHtml(stragglerReasonLabels[user.reason])}</td>` +
    `<td class="number" data-field="daysSinceNudge">${user.daysSinceNudge ?? '–'}</td><td class="number" data-field="daysToDate">${user.daysToDate}</td>` +
    `<td data-field="tap" data-value="${user.tap === null ? '' : escapeHtml(user.tap.expiresAt)}">${user.tap === null ? 'none' : escapeHtml(`issued ${user.tap.issuedAt.slice(0, 16).replace('T', ' ')}, ${user.tap.valid ? 'expires' : 'expired'} ${user.tap.expiresAt.slice(0, 16).replace('T', ' ')}`)}</td></tr>`);
  return `<table id="stragglers-table"><thead><tr><th>User</th><th>Reason</th><th class="number">Days since the nudge</th><th class="number">Days to their date</th><th>Temporary Access Pass</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/** Users the settings leave out of the rollout who meet the blocking prompt on the date: named apart from the stragglers. */
function renderOutOfScope(deadline: DeadlineReport): string {
  const { outOfScope, calendar, projection } = deadline;
  if (outOfScope.count === 0 || calendar.delivery !== 'microsoft') return '';
  const more = outOfScope.users.length < outOfScope.count ? `<li>… ${formatCount(outOfScope.count - outOfScope.users.length)} more (<code>mfa-rollout report --json</code>)</li>` : '';
  return `<h3>Out of scope, SMS-only on the date</h3>
<p data-field="outOfScopeCount" data-value="${outOfScope.count}"><strong>${formatCount(outOfScope.count)}</strong> user(s) not synced (<code>MFA_ALLOW_CLOUD_ONLY=false</code>, or sync stopped): no wave reaches them and no strong method is known, so they meet the blocking prompt on <time datetime="${escapeHtml(projection.retirementDate)}">${escapeHtml(projection.retirementDate)}</time>. Not the rollout's risk and not in the projection; enrol them by hand or set <code>MFA_ALLOW_CLOUD_ONLY=true</code>.</p>
<ul id="out-of-scope">${outOfScope.users.map((user) => `<li data-user-id="${escapeHtml(user.userId)}">${escapeHtml(user.upn)}</li>`).join('')}${more}</ul>`;
}
