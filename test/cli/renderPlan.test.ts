import { describe, expect, it } from '@jest/globals';
import { renderPlan } from '../../shared/cli/renderPlan.js';
import { planWave } from '../../shared/core/planWave.js';
import type { DryRun } from '../../shared/shell/planNight.js';
import { testConfig } from '../core/configBuilder.js';
import { daysFrom, now, rosterUsers } from '../core/userBuilder.js';

const dryRun = (plan: DryRun['plan'], overrides: Partial<DryRun> = {}): DryRun => ({
  permissions: { verdict: 'granted', needed: ['User.Read.All', 'Organization.Read.All'] },
  health: { open: true, reason: 'syncRecent', ageMinutes: 20 },
  holds: [],
  refreshed: true,
  breakGlass: { version: 1, entries: [], unresolved: [], listedGlobalAdministrator: true, privileged: { read: true, unlistedCloudOnly: [], unlistedCloudOnlyCount: 0, syncedCount: 0, otherPrincipals: 0 }, enrolsCloudOnly: false, warnings: [] },
  plan,
  track: { advance: 0, check: 0, deferred: { advance: 0, check: 0 } },
  posture: null,
  corruptRows: [],
  straightToEnforced: null,
  ...overrides,
});
const config = testConfig({ MFA_NOTICE_DAYS: '1', MFA_WAVE_SIZE: '10', MFA_MAX_WAVE_SIZE: '10' });
const announced = (enforceFromDays: number) => ({ state: 'announced' as const, waveId: 'w', announcedAt: daysFrom(now, -3).toISOString(), enforceFrom: daysFrom(now, enforceFromDays).toISOString() });

describe('renderPlan', () => {
  it('warns how many announced users wait for a later date than these settings would give them', () => {
    const text = renderPlan(dryRun(planWave(rosterUsers(6, { progress: announced(2) }), [], config, now)), { show: 0 });
    expect(text).toMatch(/^Warning: 6 announced user\(s\) wait for the later date their notice gave, although these settings would enforce them tonight; tonight's wave has 6 fewer user\(s\) for it\.$/m);
    expect(text).toMatch(/^ {2}promisedDate +6$/m);
    expect(text).not.toContain('Late:');
  });

  it('counts the announced users past their date and not in tonight\'s wave as late', () => {
    const text = renderPlan(dryRun(planWave(rosterUsers(14, { progress: announced(-1) }), [], config, now)), { show: 0 });
    expect(text).toMatch(/^Late: 4 announced user\(s\) are past the date their notice gave and not in tonight's wave/m);
    expect(text).not.toContain('Warning:');
  });

  it('lists the dates tonight\'s notices give', () => {
    const text = renderPlan(dryRun(planWave(rosterUsers(40), [], testConfig({ MFA_NOTICE_DAYS: '2', MFA_WAVE_SIZE: '5', MFA_WAVE_GROWTH: '2', MFA_MAX_WAVE_SIZE: '20' }), now)), { show: 0 });
    expect(text).toContain('Announced tonight, MFA from: 2026-11-27 5, 2026-11-28 10');
  });

  it('says when the permissions could not be read from the token', () => {
    const text = renderPlan(dryRun(planWave([], [], config, now), { permissions: { verdict: 'unverifiable', needed: [], detail: 'the access token is not a JWT' } }), { show: 0 });
    expect(text).toMatch(/^Graph permissions: not checked \(the access token is not a JWT\)/m);
  });
});
