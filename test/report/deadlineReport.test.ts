import { describe, expect, it } from '@jest/globals';
import { userPostureBuckets } from '../../shared/core/deadline/userPostureTally.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { renderReportText } from '../../shared/report/renderReportText.js';
import { buildReport } from '../../shared/shell/buildReport.js';
import { runWave } from '../../shared/shell/runWave.js';
import { setupPasskeys } from '../../shared/shell/setupPasskeys.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';
import { documentedFields } from './helpers/reportJsonDoc.js';

const tenant = useSandboxTenant({ users: 60, seed: 512 });
const dayMs = 86_400_000;

/** A logger that keeps its lines as parsed objects. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  return { logger: createLogger((level, line) => lines.push({ ...(JSON.parse(line) as Record<string, unknown>), level })), lines, events: (name: string) => lines.filter((line) => line['event'] === name) };
}

describe('the report and the alert, around the SMS retirement date', () => {
  it('counts users by posture, conversion and stragglers as the sandbox has them, and alerts only while the projection misses the date', async () => {
    const { sandbox } = tenant();
    const everyone = { ...passkeyTrackSettings, MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_NOTICE_DAYS: '0', MFA_CHECKS_PER_NIGHT: '1000' };
    const { config, rollout } = await tenant().open(everyone);
    const quiet = createLogger(() => undefined);
    const start = sandbox.state.now();
    await setupPasskeys(config, rollout.ports, quiet, start, { allUsers: false, campaignGroupOnly: false, runId: 'setup', apply: true });

    // night 1: everyone who can enters; nobody registered yet, so no pace: the projection misses the date
    const first = recordingLogger();
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: first.logger, runId: 'night-1' });
    if (night1.outcome !== 'wave') throw new Error(`expected a wave, got ${night1.outcome}`);
    const [atRisk] = first.events('deadline.atRisk');
    expect(atRisk).toMatchObject({ level: 'error', retirementDate: '2027-02-01' });
    expect(atRisk?.['projectedOnDate']).toBe(atRisk?.['atRiskNow']);
    expect(JSON.stringify(atRisk)).not.toMatch(/@/); // counts, never a name

    // a day later ten of the nudged users, SMS only so far, register a passkey; night 2 sees them
    const nudged = sandbox.state.users.filter((user) => sandbox.state.isGroupMember(config.campaignGroupId ?? '', user.id));
    expect(nudged.length).toBeGreaterThan(10);
    const registering = nudged.filter((user) => !sandbox.state.otherMethods(user.id).some((method) => method.kind === 'fido2')).slice(0, 10);
    sandbox.controls.setNow(new Date(start.getTime() + dayMs));
    for (const user of registering) sandbox.controls.registerMethod(user.id, 'passkeySynced');
    const second = recordingLogger();
    const night2 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: second.logger, runId: 'night-2' });
    expect(['wave', 'nothingToDo']).toContain(night2.outcome);
    // the night decides on the roster as it begins: tonight's checks see the passkeys, the next night counts them
    expect(second.events('deadline.atRisk')).toHaveLength(1);
    sandbox.controls.setNow(new Date(start.getTime() + 2 * dayMs));
    const third = recordingLogger();
    await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: third.logger, runId: 'night-3' });
    // at 10 registrations over 3 nights, the users at risk are reached well before 1 February: no alert
    expect(third.events('deadline.atRisk')).toEqual([]);

    const now = sandbox.state.now();
    const report = await buildReport(config, rollout.ports, now);
    const { deadline } = report;
    // the buckets add up to the present roster, and to the planner's users less those gone
    expect(userPostureBuckets.reduce((sum, bucket) => sum + deadline.users[bucket], 0)).toBe(deadline.users.total);
    expect(deadline.users.total + deadline.users.notPresent).toBe(report.users);
    // exclusions and parked users as the planner counts them
    expect([deadline.users.excluded, deadline.users.parked]).toEqual([report.progress.excluded, report.progress.parked]);
    expect(deadline.users.excluded).toBeGreaterThan(0);
    // Graph's state: the journey's users are those in the campaign group (nudged) and those MFA is required of (users
    // who had a passkey before are not nudged; users without any method are nudged before MFA is required of them)
    const hasPasskey = (id: string) => sandbox.state.otherMethods(id).some((method) => method.kind === 'fido2');
    const nudgedIds = new Set(nudged.map((user) => user.id));
    const inJourney = sandbox.state.users.filter((user) => nudgedIds.has(user.id) || sandbox.state.perUserMfaState(user.id) !== 'disabled');
    expect(deadline.users.targetRegistered + deadline.users.phishingResistantEnforced).toBe(inJourney.filter((user) => hasPasskey(user.id)).length);
    const hadBefore = nudged.filter((user) => hasPasskey(user.id)).length - registering.length;
    const [wave1] = deadline.conversion;
    expect(wave1).toMatchObject({ waveId: night1.wave.waveId, nudged: nudged.length, hadBefore, registered: registering.length });
    expect(wave1?.windows.map((window) => window.complete)).toEqual([false, false]);
    // SMS only: users in the journey whose only method in Graph is a phone
    const smsOnly = inJourney.filter((user) => sandbox.state.phoneMethods(user.id).length > 0 && sandbox.state.otherMethods(user.id).length === 0);
    expect(deadline.users.smsVoiceOnly).toBe(smsOnly.length);
    expect(deadline.projection.pace).toEqual({ nights: 3, registrations: registering.length, perNight: 3.3 });
    expect(deadline.verdict.status).toBe('onTrack');
    // the SMS-only line: the records of nights 1 and 2, then today's count
    expect(deadline.smsOnlyByNight.map((point) => point.date)).toEqual([0, 1, 2].map((days) => new Date(start.getTime() + days * dayMs).toISOString().slice(0, 10)));
    expect(deadline.smsOnlyByNight.at(-1)?.smsVoiceOnly).toBe(smsOnly.length);
    // the line falls by the ten registrations night 2's checks saw
    const [, night2Point, todayPoint] = deadline.smsOnlyByNight;
    expect(todayPoint?.atRisk).toBe(deadline.projection.atRiskNow);
    expect(night2Point?.atRisk).toBe((todayPoint?.atRisk ?? 0) + registering.length);

    // stragglers: in the journey without any method in Graph, each named, with no TAP issued yet
    const without = inJourney.filter((user) => sandbox.state.phoneMethods(user.id).length === 0 && sandbox.state.otherMethods(user.id).length === 0);
    expect(without.length).toBeGreaterThan(0);
    expect(deadline.users.noMfaMethod).toBe(without.length);
    expect(deadline.stragglers.byReason.needsTap).toBe(without.length);
    expect(deadline.stragglers.users.filter((user) => user.reason === 'needsTap').map((user) => user.upn).sort()).toEqual(without.map((user) => user.userPrincipalName).sort());
    expect(deadline.stragglers.users.every((user) => user.tap === null && user.daysToDate === deadline.calendar.daysLeft)).toBe(true);

    const text = renderReportText(report);
    expect(text).toContain(`Stragglers for the helpdesk: ${deadline.stragglers.count} (no method: needs a TAP ${without.length}`);
    expect(text).toContain(without[0]?.userPrincipalName);
    expect(text.indexOf('SMS retirement (on track)')).toBeLessThan(text.indexOf('Progress:'));
    expect(text).toMatch(new RegExp(`^ {2}SMS or voice only +${smsOnly.length} `, 'm'));
    expect(text).toContain(`Campaign conversion per wave`);
    // the JSON shape docs/report-json.md documents
    expect(Object.keys(report)).toEqual(documentedFields('## Top level'));
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({ deadline: { users: { smsVoiceOnly: smsOnly.length }, verdict: { status: 'onTrack' } } });
  });
});
