import { describe, expect, it } from '@jest/globals';
import { decideTapIssue, describeTapRefusal, tapLifetime, type TapPolicy } from '../../shared/core/decideTapIssue.js';
import { nextTapRecord } from '../../shared/core/nextTapRecord.js';

const policy: TapPolicy = { state: 'enabled', includesAllUsers: true, includeIds: [], excludeIds: [], targetGroupIds: [], defaultLifetimeMinutes: 60, minimumLifetimeMinutes: 60, maximumLifetimeMinutes: 480, usableOnce: false };
const helpdesk = 'aaaaaaaa-0000-4000-8000-000000000001';
const contractors = 'aaaaaaaa-0000-4000-8000-000000000002';
const userId = 'bbbbbbbb-0000-4000-8000-00000000000a';
const subject = { userId, exclusion: null, enabled: true, memberships: new Set<string>() };

describe('tapLifetime', () => {
  it('takes the policy default when none is asked, and any whole number within the policy', () => {
    expect(tapLifetime(policy, undefined)).toEqual({ ok: true, minutes: 60 });
    expect(tapLifetime(policy, 480)).toEqual({ ok: true, minutes: 480 });
  });

  it('refuses outside the policy\'s bounds, naming them and the admin-center setting', () => {
    for (const asked of [59, 481, 0]) {
      const verdict = tapLifetime(policy, asked);
      expect(verdict).toEqual({ ok: false, message: expect.stringContaining(`--lifetime ${asked} is outside what the Temporary Access Pass policy allows: 60 to 480 minutes`) });
    }
    expect(tapLifetime({ ...policy, minimumLifetimeMinutes: 10, maximumLifetimeMinutes: 43_200 }, 43_201)).toMatchObject({ ok: false });
  });
});

describe('decideTapIssue', () => {
  it('issues inside an enabled policy for all users', () => {
    expect(decideTapIssue(subject, policy)).toEqual({ kind: 'issue' });
  });

  it('never issues to an excluded or disabled account, whatever the policy', () => {
    for (const exclusion of ['breakGlass', 'exclusionGroup', 'serviceAccount', 'guest'] as const) expect(decideTapIssue({ ...subject, exclusion }, policy)).toEqual({ kind: 'refuse', reason: exclusion });
    expect(decideTapIssue({ ...subject, enabled: false }, policy)).toEqual({ kind: 'refuse', reason: 'accountDisabled' });
  });

  it('follows the policy: off, included by a group or the user, excluded (exclusion wins)', () => {
    expect(decideTapIssue(subject, { ...policy, state: 'disabled' })).toEqual({ kind: 'refuse', reason: 'policyDisabled' });
    const byGroup = { ...policy, includesAllUsers: false, includeIds: [helpdesk] };
    expect(decideTapIssue(subject, byGroup)).toEqual({ kind: 'refuse', reason: 'notInPolicyTargets' });
    expect(decideTapIssue({ ...subject, memberships: new Set([helpdesk]) }, byGroup)).toEqual({ kind: 'issue' });
    expect(decideTapIssue({ ...subject, userId: userId.toUpperCase() }, { ...byGroup, includeIds: [userId] })).toEqual({ kind: 'issue' });
    expect(decideTapIssue({ ...subject, memberships: new Set([contractors]) }, { ...policy, excludeIds: [contractors] })).toEqual({ kind: 'refuse', reason: 'notInPolicyTargets' });
  });

  it('explains each refusal with the setting that decides it', () => {
    expect(describeTapRefusal('breakGlass', 'default')).toContain('MFA_BREAK_GLASS');
    expect(describeTapRefusal('notInRoster', 'contoso')).toContain('roster of rollout contoso');
    expect(describeTapRefusal('policyDisabled', 'default')).toContain('Authentication methods > Policies > Temporary Access Pass');
  });
});

describe('nextTapRecord', () => {
  it('counts the passes issued, keeping the latest issue, expiry and run (never the pass)', () => {
    const first = nextTapRecord(null, { at: new Date('2026-12-01T09:00:00Z'), expiresAt: '2026-12-01T10:00:00.000Z', runId: 'cli-issue-tap-1' });
    expect(first).toEqual({ issuedAt: '2026-12-01T09:00:00.000Z', expiresAt: '2026-12-01T10:00:00.000Z', runId: 'cli-issue-tap-1', count: 1 });
    expect(nextTapRecord(first, { at: new Date('2026-12-02T09:00:00Z'), expiresAt: '2026-12-02T10:00:00.000Z', runId: 'cli-issue-tap-2' })).toMatchObject({ runId: 'cli-issue-tap-2', count: 2 });
  });
});
