import { describe, expect, it } from '@jest/globals';
import { caPreflight, type CaPreflightSettings, type PreflightFacts } from '../../shared/core/caPreflight.js';
import { builtInStrengthIds, type CaAuthenticationStrength, type CaPolicy } from '../../shared/core/conditionalAccess/caPolicy.js';

const group = '11111111-1111-1111-1111-111111111111';
const passkeyGroup = '22222222-2222-2222-2222-222222222222';
const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';

const strength = (id: string, displayName: string, allowedCombinations: string[], policyType = 'builtIn'): CaAuthenticationStrength => ({ id, displayName, policyType, requirementsSatisfied: 'mfa', allowedCombinations });
const strengths = {
  multifactor: strength(builtInStrengthIds.multifactorAuthentication, 'Multifactor authentication', ['fido2', 'password,microsoftAuthenticatorPush', 'password,sms', 'sms,federatedSingleFactor']),
  passwordless: strength(builtInStrengthIds.passwordlessMfa, 'Passwordless MFA', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush']),
  phishingResistant: strength(builtInStrengthIds.phishingResistantMfa, 'Phishing resistant MFA', ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']),
  customKeys: strength('7c1f5a3e-0000-4000-8000-000000000001', 'YubiKeys only', ['fido2'], 'custom'),
};

type PolicyChange = Omit<Partial<CaPolicy>, 'users' | 'grantControls'> & { users?: Partial<CaPolicy['users']>; grantControls?: Partial<NonNullable<CaPolicy['grantControls']>> | null };

const policy = (change: PolicyChange = {}): CaPolicy => {
  const { users, grantControls, ...rest } = change;
  return {
    id: 'p1', displayName: 'Require MFA', state: 'enabled',
    applications: { include: ['All'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] },
    clientAppTypes: ['all'], platforms: null, locations: null, signInRiskLevels: [], userRiskLevels: [], otherConditions: [],
    ...rest,
    users: {
      includeUsers: [], excludeUsers: ['bg1', 'bg2'], includeGroups: [group], excludeGroups: [], includeRoles: [], excludeRoles: [], includeGuestTypes: [], excludeGuestTypes: [],
      ...users,
    },
    grantControls: grantControls === null ? null : { operator: 'OR', builtInControls: ['mfa'], termsOfUse: [], customAuthenticationFactors: [], authenticationStrength: null, ...grantControls },
  };
};
const passkeyPolicy = (change: PolicyChange = {}): CaPolicy =>
  policy({ id: 'p2', displayName: 'Require phishing-resistant MFA', ...change, users: { includeGroups: [passkeyGroup], ...change.users }, grantControls: { builtInControls: [], authenticationStrength: strengths.phishingResistant, ...change.grantControls } });

const facts = (change: Partial<PreflightFacts> = {}): PreflightFacts => ({
  policies: [policy()], groupMembers: new Map(), roleHolders: new Map(), rolloutUserIds: new Set(['u1', 'u2', 'u3']),
  breakGlass: [{ name: 'bg1@contoso.onmicrosoft.com', id: 'bg1' }, { name: 'bg2@contoso.onmicrosoft.com', id: 'bg2' }],
  caGroupExists: true, phishingResistantGroupExists: true, securityDefaultsEnabled: false, ...change,
});
const caGroup: CaPreflightSettings = { strategy: 'conditionalAccessGroup', caGroupId: group, acknowledgeCaOverlap: false };
const perUser: CaPreflightSettings = { strategy: 'perUserMfa', caGroupId: undefined, acknowledgeCaOverlap: false };
const passkeys: CaPreflightSettings = { ...perUser, phishingResistantGroupId: passkeyGroup };

const codes = (result: ReturnType<typeof caPreflight>) => result.problems.map((problem) => `${problem.severity}:${problem.code}`);
const refusal = (result: ReturnType<typeof caPreflight>) => (result.ok ? '' : result.refusal);

describe('caPreflight, strategy conditionalAccessGroup', () => {
  it('passes with an enabled policy on the group that requires MFA everywhere and excludes every break-glass account', () => {
    expect(caPreflight(facts(), caGroup)).toEqual({ ok: true, warnings: [], problems: [] });
  });

  it('refuses when the group does not exist, saying which setting to fix', () => {
    const result = caPreflight(facts({ caGroupExists: false }), caGroup);
    expect(codes(result)).toEqual(['blocking:groupMissing']);
    expect(refusal(result)).toBe(`the group MFA_CA_GROUP_ID (${group}) does not exist (fix: Set MFA_CA_GROUP_ID to the object id of an existing group (Entra admin center > Groups > All groups))`);
  });

  it('refuses when no policy includes the group, with the policy to create', () => {
    const result = caPreflight(facts({ policies: [policy({ users: { includeGroups: ['other'] } })] }), caGroup);
    expect(codes(result)).toEqual(['blocking:noPolicyForGroup']);
    expect(refusal(result)).toMatch(/^no Conditional Access policy includes the group .* requires MFA \(that an SMS phone satisfies\): adding users to it would require nothing \(fix: Entra admin center > Protection > Conditional Access > Policies > New policy: /);
  });

  it.each<[string, PolicyChange, string, RegExp]>([
    ['disabled', { state: 'disabled' }, 'policyDisabled', /is disabled \(fix: .*'Require MFA' > Enable policy: On\)/],
    ['mfa OR compliant device', { grantControls: { builtInControls: ['mfa', 'compliantDevice'] } }, 'grantWithoutMfa', /grants mfa OR compliantDevice, which does not require MFA: it is met without MFA by compliantDevice/],
    ['compliant device only', { grantControls: { builtInControls: ['compliantDevice'] } }, 'grantWithoutMfa', /grants compliantDevice, which does not require MFA/],
    ['block', { grantControls: { builtInControls: ['block'] } }, 'grantWithoutMfa', /grants block, which does not require MFA: it blocks access/],
    ['session controls only', { grantControls: null }, 'grantWithoutMfa', /grants no grant controls, which does not require MFA: it demands nothing/],
    ['one app', { applications: { include: ['00000002-0000-0ff1-ce00-000000000000'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] } }, 'applicationsLimited', /does not cover all cloud apps \(includes: 00000002-0000-0ff1-ce00-000000000000; excludes: none\).*Target resources: include All resources/],
    ['an excluded app', { applications: { include: ['All'], exclude: ['sharepoint'], includeUserActions: [], includeAuthenticationContexts: [] } }, 'applicationsLimited', /excludes: sharepoint/],
    ['browser only', { clientAppTypes: ['browser'] }, 'clientAppsLimited', /covers only the client apps browser.*Conditions > Client apps: Not configured/],
    ['trusted locations excluded', { locations: { include: ['All'], exclude: ['AllTrusted'] } }, 'conditionsNarrow', /applies only to some sign-ins \(conditions: locations\).*Conditions: set locations to Not configured/],
    ['a device filter', { otherConditions: ['devices'] }, 'conditionsNarrow', /conditions: devices/],
    ['the Passwordless MFA strength', { grantControls: { builtInControls: [], authenticationStrength: strengths.passwordless } }, 'strengthNotSatisfiedBySms', /requires the authentication strength 'Passwordless MFA', which the SMS phone the rollout registers does not satisfy/],
    ['the group excluded again', { users: { excludeGroups: [group] } }, 'groupExcluded', /includes the group .* and excludes its members again \(by group\)/],
  ])('refuses a policy on the group that does not really require MFA: %s', (_name, change, code, message) => {
    const result = caPreflight(facts({ policies: [policy(change)] }), caGroup);
    expect(codes(result)).toEqual([`blocking:${code}`]);
    expect(refusal(result)).toMatch(message);
    expect(result.problems[0]?.policy).toEqual({ id: 'p1', displayName: 'Require MFA' });
  });

  it('accepts MFA through the Multifactor authentication strength, an AND with a device, or all modern clients', () => {
    for (const change of [
      { grantControls: { builtInControls: [], authenticationStrength: strengths.multifactor } },
      { grantControls: { builtInControls: ['mfa', 'compliantDevice'], operator: 'AND' as const } },
      { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] },
      { locations: { include: ['All'], exclude: [] } },
    ]) expect(caPreflight(facts({ policies: [policy(change)] }), caGroup)).toMatchObject({ ok: true, problems: [] });
  });

  it('is satisfied by one good policy among several on the group', () => {
    const result = caPreflight(facts({ policies: [policy({ id: 'p0', displayName: 'Devices', grantControls: { builtInControls: ['compliantDevice'] } }), policy()] }), caGroup);
    expect(result).toMatchObject({ ok: true, problems: [] });
  });

  it('refuses when a break-glass account is not excluded, naming it, by any policy on the group that demands MFA', () => {
    const result = caPreflight(facts({ policies: [policy(), policy({ id: 'p3', displayName: 'Also MFA', users: { excludeUsers: ['bg1'] } })] }), caGroup);
    expect(codes(result)).toEqual(['blocking:breakGlassNotExcluded']);
    expect(refusal(result)).toBe(
      "Conditional Access policy 'Also MFA' (p3) does not exclude the break-glass account(s) bg2@contoso.onmicrosoft.com (fix: Entra admin center > Protection > Conditional Access > Policies > 'Also MFA' > Users > Exclude > Users and groups: add bg2@contoso.onmicrosoft.com (and check MFA_BREAK_GLASS))",
    );
  });

  it('accepts break-glass accounts excluded through a group or a role they hold', () => {
    const viaGroup = facts({ policies: [policy({ users: { excludeUsers: [], excludeGroups: ['emergency'] } })], groupMembers: new Map([['emergency', new Set(['bg1', 'bg2'])]]) });
    expect(caPreflight(viaGroup, caGroup).ok).toBe(true);
    const viaRole = facts({ policies: [policy({ users: { excludeUsers: [], excludeRoles: [globalAdministrator] } })], roleHolders: new Map([[globalAdministrator, new Set(['bg1', 'bg2'])]]) });
    expect(caPreflight(viaRole, caGroup).ok).toBe(true);
  });

  it('refuses a role exclusion it cannot confirm (role holders not read), and a role the accounts do not hold', () => {
    const byRole = policy({ users: { excludeUsers: [], excludeRoles: [globalAdministrator] } });
    const unread = caPreflight(facts({ policies: [byRole], roleHolders: null }), caGroup);
    expect(codes(unread)).toEqual(['blocking:breakGlassExclusionUnknown', 'warning:usersExcludedFromPolicy']);
    expect(refusal(unread)).toMatch(/excludes the break-glass account\(s\) bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com only through roles or groups that could not be read/);
    const notHeld = caPreflight(facts({ policies: [byRole], roleHolders: new Map([[globalAdministrator, new Set(['bg1'])]]) }), caGroup);
    expect(refusal(notHeld)).toMatch(/does not exclude the break-glass account\(s\) bg2@contoso.onmicrosoft.com \(/);
  });

  it('refuses a break-glass account the directory does not know (it cannot be checked)', () => {
    const result = caPreflight(facts({ breakGlass: [{ name: 'ghost@contoso.com', id: null }] }), caGroup);
    expect(refusal(result)).toMatch(/does not exclude the break-glass account\(s\) ghost@contoso.com \(not found in the directory\)/);
  });

  it('accepts a report-only policy with a loud warning', () => {
    const result = caPreflight(facts({ policies: [policy({ state: 'enabledForReportingButNotEnforced' })] }), caGroup);
    expect(codes(result)).toEqual(['warning:policyReportOnly']);
    expect(result.warnings[0]).toMatch(/^REPORT-ONLY: the Conditional Access policies on the group .* \(MFA_CA_GROUP_ID: 'Require MFA'\) are in report-only mode: users added to the group are NOT asked for MFA/);
  });

  it('warns about rollout users whom the policy excludes, since adding them to the group asks nothing of them', () => {
    const result = caPreflight(facts({ policies: [policy({ users: { excludeGroups: ['contractors'] } })], groupMembers: new Map([['contractors', new Set(['u2'])]]) }), caGroup);
    expect(result.ok).toBe(true);
    expect(codes(result)).toEqual(['warning:usersExcludedFromPolicy']);
    expect(result.warnings[0]).toMatch(/^of the users this rollout may add to MFA_CA_GROUP_ID \(.*\), 1 are excluded by the exclusions of 'Require MFA'/);
  });

  it('refuses when security defaults are on, and says where to turn them off', () => {
    const result = caPreflight(facts({ securityDefaultsEnabled: true }), caGroup);
    expect(codes(result)).toEqual(['blocking:securityDefaultsOn']);
    expect(refusal(result)).toBe(
      'security defaults are on, and no Conditional Access policy applies while they are: MFA_CA_GROUP_ID cannot work (fix: Entra admin center > Identity > Overview > Properties > Manage security defaults: Disabled (Conditional Access policies replace them))',
    );
  });
});

describe('caPreflight, phishing-resistant enforcement (MFA_PHISHING_RESISTANT_GROUP_ID)', () => {
  it('passes with an enabled policy on the group granting the built-in Phishing-resistant MFA strength, whatever the strategy', () => {
    expect(caPreflight(facts({ policies: [passkeyPolicy()] }), passkeys)).toEqual({ ok: true, warnings: [], problems: [] });
    expect(caPreflight(facts({ policies: [policy(), passkeyPolicy()] }), { ...caGroup, phishingResistantGroupId: passkeyGroup })).toMatchObject({ ok: true, problems: [] });
    expect(caPreflight(facts({ policies: [passkeyPolicy({ grantControls: { builtInControls: ['compliantDevice'], operator: 'AND' } })] }), passkeys).ok).toBe(true);
  });

  it.each<[string, PolicyChange, string, RegExp]>([
    ['another strength', { grantControls: { authenticationStrength: strengths.multifactor } }, 'notPhishingResistantStrength', /grants authentication strength 'Multifactor authentication', not the built-in Phishing-resistant MFA authentication strength/],
    ['a custom strength', { grantControls: { authenticationStrength: strengths.customKeys } }, 'notPhishingResistantStrength', /grants authentication strength 'YubiKeys only', not the built-in/],
    ['plain mfa', { grantControls: { builtInControls: ['mfa'], authenticationStrength: null } }, 'notPhishingResistantStrength', /grants mfa, not the built-in/],
    ['the strength OR compliant device', { grantControls: { builtInControls: ['compliantDevice'] } }, 'phishingResistantWithAlternative', /grants compliantDevice OR authentication strength 'Phishing resistant MFA': compliantDevice alone satisfies it/],
    ['one app', { applications: { include: ['Office365'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] } }, 'applicationsLimited', /does not cover all cloud apps/],
    ['disabled', { state: 'disabled' }, 'policyDisabled', /includes the group 2222.* but is disabled/],
    ['no break-glass exclusion', { users: { excludeUsers: [] } }, 'breakGlassNotExcluded', /does not exclude the break-glass account\(s\) bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com/],
  ])('refuses %s', (_name, change, code, message) => {
    const result = caPreflight(facts({ policies: [passkeyPolicy(change)] }), passkeys);
    expect(codes(result)).toEqual([`blocking:${code}`]);
    expect(refusal(result)).toMatch(message);
  });

  it('refuses when no policy targets the group, or the group does not exist', () => {
    expect(refusal(caPreflight(facts({ policies: [policy()] }), passkeys))).toMatch(/^no Conditional Access policy includes the group 2222.* \(MFA_PHISHING_RESISTANT_GROUP_ID\) and requires the built-in Phishing-resistant MFA authentication strength.*Require authentication strength: Phishing-resistant MFA/);
    expect(codes(caPreflight(facts({ policies: [passkeyPolicy()], phishingResistantGroupExists: false }), passkeys))).toEqual(['blocking:groupMissing']);
  });

  it('accepts a report-only policy with a loud warning', () => {
    const result = caPreflight(facts({ policies: [passkeyPolicy({ state: 'enabledForReportingButNotEnforced' })] }), passkeys);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatch(/^REPORT-ONLY: .*NOT asked for the built-in Phishing-resistant MFA authentication strength until a policy is enabled/);
  });

  it('refuses when security defaults are on', () => {
    expect(codes(caPreflight(facts({ policies: [passkeyPolicy()], securityDefaultsEnabled: true }), passkeys))).toEqual(['blocking:securityDefaultsOn']);
  });
});

describe('caPreflight, strategy perUserMfa', () => {
  const allUsers = (change: PolicyChange = {}) => policy({ displayName: 'MFA for everyone', ...change, users: { includeUsers: ['All'], includeGroups: [], ...change.users } });

  it('passes when no enabled policy requiring MFA covers rollout users', () => {
    expect(caPreflight(facts({ policies: [allUsers({ state: 'enabledForReportingButNotEnforced' })] }), perUser)).toEqual({ ok: true, warnings: [], problems: [] });
  });

  it('refuses when an enabled policy already requires MFA for all users, and says how to proceed', () => {
    const result = caPreflight(facts({ policies: [allUsers()] }), perUser);
    expect(codes(result)).toEqual(['blocking:perUserMfaOverlap']);
    expect(refusal(result)).toContain("'MFA for everyone' (3 user(s))");
    expect(refusal(result)).toContain('MFA_ACK_CA_OVERLAP=true');
  });

  it('counts only policies that really require MFA everywhere', () => {
    for (const change of [
      { grantControls: { builtInControls: ['mfa', 'compliantDevice'] } },
      { applications: { include: ['00000002-0000-0ff1-ce00-000000000000'], exclude: [], includeUserActions: [], includeAuthenticationContexts: [] } },
      { clientAppTypes: ['browser'] },
      { grantControls: { builtInControls: ['block'] } },
    ]) expect(caPreflight(facts({ policies: [allUsers(change)] }), perUser)).toEqual({ ok: true, warnings: [], problems: [] });
  });

  it('counts the overlap through group membership and roles, exclusions winning', () => {
    const overlap = facts({ policies: [policy({ users: { includeGroups: ['g'], excludeUsers: ['u2'], includeRoles: [globalAdministrator] } })], groupMembers: new Map([['g', new Set(['u1', 'u2', 'x'])]]), roleHolders: new Map([[globalAdministrator, new Set(['u3'])]]) });
    expect(refusal(caPreflight(overlap, perUser))).toContain("'Require MFA' (2 user(s))");
  });

  it('warns about users it cannot tell about when role holders were not read', () => {
    const result = caPreflight(facts({ policies: [policy({ users: { includeGroups: [], includeRoles: [globalAdministrator] } })], roleHolders: null }), perUser);
    expect(codes(result)).toEqual(['warning:overlapUnknown']);
    expect(result.warnings[0]).toContain("'Require MFA' (3 user(s))");
  });

  it('goes ahead with a warning when the overlap is acknowledged', () => {
    const result = caPreflight(facts({ policies: [allUsers()] }), { ...perUser, acknowledgeCaOverlap: true });
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toContain('acknowledged by MFA_ACK_CA_OVERLAP');
  });
});
