import { describe, expect, it } from '@jest/globals';
import { createDeadlineCollector } from '../../shared/core/deadline/deadlineReport.js';
import { renderDeadlineText } from '../../shared/report/renderDeadlineText.js';
import { projectSmsOnly } from '../../shared/core/deadline/projectSmsOnly.js';
import { createUserPostureTally } from '../../shared/core/deadline/userPostureTally.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { logDeadlineAtRisk } from '../../shared/shell/logDeadlineAtRisk.js';
import { passkeyTrack, testConfig } from '../core/configBuilder.js';
import { enforced, now, rosterUser, userId } from '../core/userBuilder.js';

describe('logDeadlineAtRisk', () => {
  const config = testConfig(passkeyTrack);
  const tally = createUserPostureTally(config);
  for (let n = 1; n <= 4; n += 1) {
    tally.add(rosterUser({ id: userId(n), userPrincipalName: `sms${n}@contoso.com`, progress: enforced('w1', 3, { lastCheckedAt: now.toISOString(), methods: { phone: true, passkey: false, authenticator: false, other: false } }) }));
  }
  const counts = tally.finish();
  const lines: { level: string; line: Record<string, unknown> }[] = [];
  const logger = createLogger((level, line) => lines.push({ level, line: JSON.parse(line) as Record<string, unknown> }));

  it('logs one error-level deadline.atRisk with counts and days, no name, when users will still be on SMS on the date', () => {
    lines.length = 0;
    const verdict = logDeadlineAtRisk(logger, projectSmsOnly({ tally: counts, calendar: { retirementDate: '2026-11-28', daysLeft: 3 }, now }), 'microsoft');
    expect(verdict.status).toBe('atRisk');
    expect(lines).toEqual([{ level: 'error', line: expect.objectContaining({ event: 'deadline.atRisk', reason: verdict.message, daysLeft: 3, atRiskNow: 4, projectedOnDate: 4, smsVoiceOnly: 4 }) as unknown }]);
    expect(JSON.stringify(lines)).not.toContain('@contoso.com');
    expect(JSON.stringify(lines)).not.toContain('REDACTED');
  });

  it('logs nothing with a customer-managed provider, or when the pace reaches everyone', () => {
    lines.length = 0;
    expect(logDeadlineAtRisk(logger, projectSmsOnly({ tally: counts, calendar: { retirementDate: '2026-11-28', daysLeft: 3 }, now }), 'customerManaged').status).toBe('notApplicable');
    const nobodyAtRisk = createUserPostureTally(config).finish();
    expect(logDeadlineAtRisk(logger, projectSmsOnly({ tally: nobodyAtRisk, calendar: { retirementDate: '2026-11-28', daysLeft: 3 }, now }), 'microsoft').status).toBe('onTrack');
    expect(lines).toEqual([]);
  });
});

describe('users the settings leave out of scope (cloud-only with MFA_ALLOW_CLOUD_ONLY=false, sync stopped)', () => {
  const notReached = (n: number, sync: boolean | null) => rosterUser({ id: userId(100 + n), userPrincipalName: `cloud${n}@contoso.com`, onPremisesSyncEnabled: sync, progress: { state: 'new' } });
  const roster = [notReached(1, null), notReached(2, null), notReached(3, false), rosterUser({ id: userId(200), progress: { state: 'new' }, accountEnabled: false, onPremisesSyncEnabled: null })];

  it('are not the rollout\'s risk: no deadline.atRisk every night, even after the date; the report names them apart, and with MFA_ALLOW_CLOUD_ONLY=true they are at risk', () => {
    const config = testConfig(passkeyTrack);
    const lines: string[] = [];
    const logger = createLogger((_level, line) => lines.push(line));
    for (const daysLeft of [3, 0, -2]) {
      const tally = createUserPostureTally(config);
      for (const user of roster) tally.add(user);
      const result = tally.finish();
      expect(result.counts).toMatchObject({ notInJourney: 4, notInJourneyNoStrongMethod: 0, outOfScopeNoStrongMethod: 3 });
      const projection = projectSmsOnly({ tally: result, calendar: { retirementDate: '2027-02-01', daysLeft }, now });
      expect(projection).toMatchObject({ atRiskNow: 0, notReached: 0, outOfScope: 3, projectedOnDate: 0 });
      const verdict = logDeadlineAtRisk(logger, projection, 'microsoft');
      expect(verdict.status).toBe('onTrack');
      expect(verdict.message).toMatch(/ Out of scope \(not synced, not enrolled by the rollout\), no strong method known: 3, named apart\.$/);
    }
    expect(lines).toEqual([]);

    // the report: not stragglers, named in their own list (the disabled account cannot sign in: not listed)
    const collector = createDeadlineCollector(config, now);
    for (const user of roster) collector.add(user, null);
    const report = collector.finish({ posture: null, nights: [], rampNightsLeft: 0 });
    expect(report.stragglers.count).toBe(0);
    expect(report.outOfScope).toEqual({ count: 3, users: [1, 2, 3].map((n) => ({ userId: userId(100 + n), upn: `cloud${n}@contoso.com`, reason: 'notSynced' })) });
    const text = renderDeadlineText(report, 20).join('\n');
    expect(text).toContain('\nOut of scope, SMS-only on the date: 3 (');
    expect(text).toContain('\n  cloud3@contoso.com');

    // the operator enrols cloud-only users: the two cloud-only users are the rollout's again (sync stopped stays out)
    const enrolling = testConfig({ ...passkeyTrack, MFA_ALLOW_CLOUD_ONLY: 'true' });
    const tally = createUserPostureTally(enrolling);
    for (const user of roster) tally.add(user);
    const projection = projectSmsOnly({ tally: tally.finish(), calendar: { retirementDate: '2027-02-01', daysLeft: 0 }, now });
    expect(projection).toMatchObject({ atRiskNow: 2, notReached: 2, outOfScope: 1 });
    expect(logDeadlineAtRisk(logger, projection, 'microsoft').status).toBe('atRisk');
  });
});
