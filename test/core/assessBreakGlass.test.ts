import { describe, expect, it } from '@jest/globals';
import { assessBreakGlass, noGlobalAdministratorWarning, type AccountFacts, type BreakGlassInput, type RoleHolding } from '../../shared/core/assessBreakGlass.js';
import { globalAdministratorRoleId } from '../../shared/core/privilegedRoles.js';

const userAdministrator = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const privilegedRoleAdministrator = 'e8611ab8-c189-46e8-94e1-60213ab1f814';

const account = (id: string, upn: string, overrides: Partial<AccountFacts> = {}): AccountFacts => ({ id, upn, enabled: true, guest: false, cloudOnly: true, ...overrides });
const bg1 = account('id-bg1', 'breakglass1@contoso.onmicrosoft.com');
const bg2 = account('id-bg2', 'breakglass2@contoso.onmicrosoft.com');
const cloudAdmin = account('id-cloud', 'zoe.admin@contoso.com');
const syncedAdmin = account('id-synced', 'sam.helpdesk@contoso.com', { cloudOnly: false });
const holding = (roleId: string, principalId: string, principalType: RoleHolding['principalType'] = 'user'): RoleHolding => ({ roleId, principalId, principalType });

function input(entries: BreakGlassInput['entries'], overrides: Partial<BreakGlassInput> = {}): BreakGlassInput {
  const holdings = [
    holding(globalAdministratorRoleId, 'id-bg1'), holding(globalAdministratorRoleId, 'id-bg2'), holding(privilegedRoleAdministrator, 'id-cloud'),
    holding(userAdministrator, 'id-synced'), holding(globalAdministratorRoleId, 'id-group', 'group'),
  ];
  const accounts = new Map([bg1, bg2, cloudAdmin, syncedAdmin].map((facts) => [facts.id, facts]));
  return { entries, roles: { read: true, holdings, accounts }, enrolsCloudOnly: true, listLimit: 100, ...overrides };
}

describe('assessBreakGlass', () => {
  it('two listed cloud-only Global Administrators: nothing loud; the unlisted cloud-only admin is shown, the synced one counted', () => {
    const posture = assessBreakGlass(input([{ entry: 'id-bg1', account: bg1 }, { entry: 'BREAKGLASS2@contoso.onmicrosoft.com', account: bg2 }]));
    expect(posture).toMatchObject({
      version: 1, unresolved: [], listedGlobalAdministrator: true, warnings: [],
      privileged: { read: true, unlistedCloudOnly: [{ id: 'id-cloud', upn: 'zoe.admin@contoso.com', roles: ['Privileged Role Administrator'] }], unlistedCloudOnlyCount: 1, syncedCount: 1, otherPrincipals: 1 },
    });
    expect(posture.entries.map((entry) => entry.roles)).toEqual([['Global Administrator'], ['Global Administrator']]);
  });

  it('an entry naming no user is refused; the real emergency accounts then show as unlisted Global Administrators', () => {
    const posture = assessBreakGlass(input([{ entry: 'nobody@contoso.com', account: null }]));
    expect(posture.unresolved).toEqual(['nobody@contoso.com']);
    expect(posture.listedGlobalAdministrator).toBe(false);
    expect(posture.warnings.map((warning) => warning.level)).toEqual(['refused', 'warning']);
    expect(posture.warnings[0]?.text).toContain('nobody@contoso.com');
    expect(posture.warnings[1]?.text).toBe(noGlobalAdministratorWarning);
    expect(posture.privileged.read && posture.privileged.unlistedCloudOnly.map((entry) => entry.upn)).toEqual(['breakglass1@contoso.onmicrosoft.com', 'breakglass2@contoso.onmicrosoft.com', 'zoe.admin@contoso.com']);
  });

  it('says loudly when no listed account is a Global Administrator, and notes weak choices', () => {
    const posture = assessBreakGlass(input([{ entry: 'sam.helpdesk@contoso.com', account: { ...syncedAdmin, enabled: false } }]));
    expect(posture.listedGlobalAdministrator).toBe(false);
    expect(posture.warnings).toEqual([
      { level: 'warning', text: noGlobalAdministratorWarning },
      { level: 'note', text: 'MFA_BREAK_GLASS lists one emergency-access account; Microsoft recommends two or more.' },
      { level: 'note', text: 'MFA_BREAK_GLASS account sam.helpdesk@contoso.com is synced from on-premises AD; emergency-access accounts should be cloud-only.' },
      { level: 'note', text: 'MFA_BREAK_GLASS account sam.helpdesk@contoso.com is disabled.' },
    ]);
    // a listed privileged account is not "unlisted", synced or not
    expect(posture.privileged.read && posture.privileged.syncedCount).toBe(0);
  });

  it('role assignments that cannot be read: the resolution still decides, and the unknown is said loudly', () => {
    const posture = assessBreakGlass(input([{ entry: 'id-bg1', account: bg1 }, { entry: 'id-bg2', account: bg2 }], { roles: { read: false, errorCode: 'GRAPH_PERMISSION_MISSING', message: 'needs RoleManagement.Read.Directory' } }));
    expect(posture).toMatchObject({ unresolved: [], listedGlobalAdministrator: null, privileged: { read: false, errorCode: 'GRAPH_PERMISSION_MISSING' } });
    expect(posture.entries.map((entry) => entry.roles)).toEqual([null, null]);
    expect(posture.warnings).toEqual([{ level: 'warning', text: expect.stringContaining('grant RoleManagement.Read.Directory') }]);
  });

  it('lists at most listLimit accounts by name and counts them all', () => {
    const many = Array.from({ length: 5 }, (_, index) => account(`id-${index}`, `admin${index}@contoso.com`));
    const posture = assessBreakGlass({
      entries: [{ entry: 'id-bg1', account: bg1 }],
      roles: { read: true, holdings: [holding(globalAdministratorRoleId, 'id-bg1'), ...many.map((facts) => holding(userAdministrator, facts.id))], accounts: new Map([bg1, ...many].map((facts) => [facts.id, facts])) },
      enrolsCloudOnly: false,
      listLimit: 2,
    });
    expect(posture.privileged).toMatchObject({ unlistedCloudOnlyCount: 5, unlistedCloudOnly: [{ upn: 'admin0@contoso.com' }, { upn: 'admin1@contoso.com' }] });
  });
});
