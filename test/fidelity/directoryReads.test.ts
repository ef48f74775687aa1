import { describe, expect, it } from '@jest/globals';
import { readCaPolicies } from '../../shared/adapters/graph/conditionalAccessPolicies.js';
import { readOrganization, streamUsers } from '../../shared/adapters/graph/directoryReads.js';
import { graphPermissions } from '../../shared/adapters/graph/graphPermissions.js';
import { readMethodsPolicy } from '../../shared/adapters/graph/methodsPolicy.js';
import { readRoleAssignments } from '../../shared/adapters/graph/readRoleAssignments.js';
import { readNotCapableUserIds } from '../../shared/adapters/graph/registrationReport.js';
import { readSecurityDefaults } from '../../shared/adapters/graph/securityDefaults.js';
import { expectShape, get, guidPattern, refusedWith } from './fidelityChecks.js';
import { useFidelityTarget } from './fidelityTarget.js';

const target = useFidelityTarget();

describe('fidelity: reads of the directory and its policies (docs/graph-behaviour.md)', () => {
  it('users: pages of at most $top by absolute next links on the same origin, with the $select properties (#users-and-paging)', async () => {
    const { gateway } = target();
    const first = await gateway.send(get('users.list', '/users?$select=id,userPrincipalName,accountEnabled,userType,mobilePhone,onPremisesSyncEnabled&$top=2', graphPermissions.readUsers));
    const page = first.body as { value: unknown[]; '@odata.nextLink'?: string };
    expect(page.value.length).toBeGreaterThan(0);
    expect(page.value.length).toBeLessThanOrEqual(2);
    for (const user of page.value) {
      expectShape(user, { id: 'string', userPrincipalName: 'string', accountEnabled: 'boolean', userType: 'string', mobilePhone: 'string|null', onPremisesSyncEnabled: 'boolean|null' });
      expect((user as { id: string }).id).toMatch(guidPattern);
      expect(['Member', 'Guest']).toContain((user as { userType: string }).userType);
    }
    // a tenant of more than two users pages on: the link is absolute https, on Graph's origin, with a skiptoken
    const link = page['@odata.nextLink'];
    expect(link).toMatch(/^https:\/\/[^/]+\/v1\.0\/users\?.*\$skiptoken=/i);
    // the product's own page walk reads the same directory (three pages are enough to see it follow the links)
    let pages = 0;
    for await (const { users } of streamUsers(gateway, 2)) {
      pages += 1;
      expect(users.length).toBeLessThanOrEqual(2);
      if (pages === 3) break;
    }
    expect(pages).toBe(3);
  });

  it('users: $top outside 1–999 is 400 Request_UnsupportedQuery (#users-and-paging)', async () => {
    const { gateway } = target();
    expect(await refusedWith(gateway.send(get('users.list', '/users?$select=id&$top=1000', graphPermissions.readUsers)))).toEqual({ httpStatus: 400, graphCode: 'Request_UnsupportedQuery' });
  });

  it('organization: one entry with the sync properties (#directory-sync)', async () => {
    const organization = await readOrganization(target().gateway);
    expect(typeof organization.onPremisesSyncEnabled === 'boolean' || organization.onPremisesSyncEnabled === null).toBe(true);
  });

  it('directory roles: active assignments of a role by template id, each with its principal (#directory-roles)', async () => {
    const { gateway, fixtures } = target();
    const holdings = await readRoleAssignments(gateway, [fixtures.roleId]);
    expect(holdings.length).toBeGreaterThan(0); // every tenant has a Global Administrator
    for (const holding of holdings) {
      expect(holding.principalId).toMatch(guidPattern);
      expect(['user', 'group', 'servicePrincipal', 'other']).toContain(holding.principalType);
    }
  });

  it('Conditional Access: every policy with an id, a name and one of the three states (#conditional-access)', async () => {
    const policies = await readCaPolicies(target().gateway);
    for (const policy of policies) {
      expect(policy.id).toMatch(guidPattern);
      expect(typeof policy.displayName).toBe('string');
      expect(['enabled', 'disabled', 'enabledForReportingButNotEnforced']).toContain(policy.state);
    }
  });

  it('methods policy and security defaults: readable as the product reads them (#methods-policy-and-registration-campaign, #security-defaults)', async () => {
    const { gateway } = target();
    const policy = await readMethodsPolicy(gateway);
    expect(policy.serializedBytes).toBeGreaterThan(0);
    expect(policy.serializedBytes).toBeLessThanOrEqual(20 * 1024); // Graph refuses to save a larger policy
    const defaults = await readSecurityDefaults(gateway);
    expect(typeof defaults.isEnabled).toBe('boolean');
  });

  it('registration report: entries with the user id and the registration flags, filterable by isMfaRegistered (#registration-report)', async () => {
    const { gateway } = target();
    const answer = await gateway.send({ ...get('registrationReport.list', '/reports/authenticationMethods/userRegistrationDetails', graphPermissions.readRegistrationReport), minIntervalMs: 2_100 });
    const entries = (answer.body as { value: unknown[] }).value;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expectShape(entry, { id: 'string', userPrincipalName: 'string', isMfaRegistered: 'boolean', isMfaCapable: 'boolean', methodsRegistered: 'array' });
    }
    const notCapable = await readNotCapableUserIds(gateway, 5);
    for (const id of notCapable) expect(id).toMatch(guidPattern);
  });
});
