import { describe, expect, it } from '@jest/globals';
import { caPreflight, type CaPolicyFacts, type PreflightFacts } from '../../shared/core/caPreflight.js';

const group = '11111111-1111-1111-1111-111111111111';
const policy = (overrides: Partial<CaPolicyFacts> = {}): CaPolicyFacts => ({
  id: 'p1', displayName: 'Require MFA', state: 'enabled', includeUsers: [], excludeUsers: ['bg1', 'bg2'], includeGroups: [group], excludeGroups: [], requiresMfa: true, ...overrides,
});
const facts = (overrides: Partial<PreflightFacts> = {}): PreflightFacts => ({
  policies: [policy()], groupMembers: new Map(), rolloutUserIds: new Set(['u1', 'u2', 'u3']),
  breakGlass: [{ name: 'bg1@contoso.onmicrosoft.com', id: 'bg1' }, { name: 'bg2@contoso.onmicrosoft.com', id: 'bg2' }], caGroupExists: true, ...overrides,
});
const caGroup = { strategy: 'conditionalAccessGroup', caGroupId: group, acknowledgeCaOverlap: false } as const;
const perUser = { strategy: 'perUserMfa', caGroupId: undefined, acknowledgeCaOverlap: false } as const;

describe('caPreflight, strategy conditionalAccessGroup', () => {
  it('passes with an enabled policy on the group that grants MFA and excludes every break-glass account', () => {
    expect(caPreflight(facts(), caGroup)).toEqual({ ok: true, warnings: [] });
  });

  it('refuses when the group does not exist', () => {
    expect(caPreflight(facts({ caGroupExists: false }), caGroup)).toMatchObject({ ok: false, refusal: expect.stringContaining('does not exist') });
  });

  it('refuses when no policy includes the group and grants MFA', () => {
    expect(caPreflight(facts({ policies: [policy({ requiresMfa: false })] }), caGroup)).toMatchObject({ ok: false, refusal: expect.stringContaining('no enabled Conditional Access policy includes the group') });
    expect(caPreflight(facts({ policies: [policy({ state: 'disabled' })] }), caGroup).ok).toBe(false);
    expect(caPreflight(facts({ policies: [policy({ includeGroups: ['other'] })] }), caGroup).ok).toBe(false);
  });

  it('refuses when a break-glass account is not excluded, naming it', () => {
    expect(caPreflight(facts({ policies: [policy({ excludeUsers: ['bg1'] })] }), caGroup)).toEqual({
      ok: false, refusal: "Conditional Access policy 'Require MFA' does not exclude the break-glass account(s) bg2@contoso.onmicrosoft.com", warnings: [],
    });
  });

  it('accepts break-glass accounts excluded through a group', () => {
    const viaGroup = facts({ policies: [policy({ excludeUsers: [], excludeGroups: ['emergency'] })], groupMembers: new Map([['emergency', new Set(['bg1', 'bg2'])]]) });
    expect(caPreflight(viaGroup, caGroup).ok).toBe(true);
  });

  it('refuses a break-glass account the directory does not know (it cannot be checked)', () => {
    expect(caPreflight(facts({ breakGlass: [{ name: 'ghost@contoso.com', id: null }] }), caGroup)).toMatchObject({ ok: false, refusal: expect.stringContaining('ghost@contoso.com') });
  });

  it('accepts a report-only policy with a loud warning', () => {
    const result = caPreflight(facts({ policies: [policy({ state: 'enabledForReportingButNotEnforced' })] }), caGroup);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatch(/^REPORT-ONLY: .* NOT prompted for MFA/);
  });
});

describe('caPreflight, strategy perUserMfa', () => {
  it('passes when no enabled policy requiring MFA covers rollout users', () => {
    expect(caPreflight(facts({ policies: [policy({ state: 'enabledForReportingButNotEnforced', includeUsers: ['All'] })] }), perUser)).toEqual({ ok: true, warnings: [] });
  });

  it('refuses when an enabled policy already requires MFA for all users, and says how to proceed', () => {
    const result = caPreflight(facts({ policies: [policy({ displayName: 'MFA for everyone', includeUsers: ['All'], includeGroups: [] })] }), perUser);
    expect(result).toMatchObject({ ok: false, refusal: expect.stringContaining("'MFA for everyone' (3 user(s))") });
    expect(result.ok === false && result.refusal).toContain('MFA_ACK_CA_OVERLAP=true');
  });

  it('counts the overlap through group membership, exclusions winning', () => {
    const overlap = facts({ policies: [policy({ includeGroups: ['g'], excludeUsers: ['u2'] })], groupMembers: new Map([['g', new Set(['u1', 'u2', 'x'])]]) });
    expect(caPreflight(overlap, perUser)).toMatchObject({ ok: false, refusal: expect.stringContaining('(1 user(s))') });
  });

  it('goes ahead with a warning when the overlap is acknowledged', () => {
    const result = caPreflight(facts({ policies: [policy({ includeUsers: ['All'] })] }), { ...perUser, acknowledgeCaOverlap: true });
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toContain('acknowledged by MFA_ACK_CA_OVERLAP');
  });
});
