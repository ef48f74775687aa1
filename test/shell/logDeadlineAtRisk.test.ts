import { describe, expect, it } from '@jest/globals';
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
