import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { directoryRoleIds } from '../../sandbox/tenant/directoryRoles.js';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { seedTenant } from '../../sandbox/tenant/seedTenant.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Assignment { id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string; principal?: Record<string, unknown> }
interface Page { '@odata.context': string; value: Assignment[] }

const list = '/v1.0/roleManagement/directory/roleAssignments';
const ga = directoryRoleIds.globalAdministrator;

describe('roleManagement/directory/roleAssignments', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 81, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the generated tenant: both break-glass accounts are cloud-only onmicrosoft.com Global Administrators, a cloud-only user and a synced user hold other privileged roles', () => {
    const { manifest } = t.sandbox;
    const holders = (roleId: string) => manifest.roleAssignments.filter((entry) => entry.roleId === roleId);
    expect(holders(ga).map((entry) => entry.userId).sort()).toEqual(manifest.breakGlass.map((account) => account.id).sort());
    for (const entry of holders(ga)) expect(entry).toMatchObject({ roleName: 'Global Administrator', cloudOnly: true, upn: expect.stringMatching(/@contoso\.onmicrosoft\.com$/) });
    const cloudAdmin = holders(directoryRoleIds.privilegedRoleAdministrator);
    expect(cloudAdmin).toEqual([expect.objectContaining({ cloudOnly: true, roleName: 'Privileged Role Administrator' })]);
    expect(manifest.users.find((user) => user.id === cloudAdmin[0]?.userId)?.category).toBe('cloudOnly');
    const synced = holders(directoryRoleIds.userAdministrator);
    expect(synced).toEqual([expect.objectContaining({ cloudOnly: false, roleName: 'User Administrator' })]);
    expect(holders(directoryRoleIds.authenticationAdministrator).map((entry) => entry.userId)).toEqual([synced[0]?.userId]);
    expect(t.sandbox.state.userRoles(synced[0]?.userId ?? '')).toEqual([directoryRoleIds.userAdministrator, directoryRoleIds.authenticationAdministrator]);
    // the same seed gives the same assignments, and drawing them changed no other id of the tenant
    expect(seedTenant({ seed: 81, size: 60, homeCountry: 'SE' }).manifest.roleAssignments).toEqual(manifest.roleAssignments);
  });

  it('lists them filtered by roleDefinitionId (eq or in) with Graph\'s assignment ids, and expands the principal', async () => {
    const page = (await rawGraph(t, `${list}?$filter=roleDefinitionId eq '${ga}'&$expand=principal`)).json as Page;
    expect(page['@odata.context']).toMatch(/\/v1\.0\/\$metadata#roleManagement\/directory\/roleAssignments\(principal\(\)\)$/);
    expect(page.value).toHaveLength(2);
    for (const assignment of page.value) {
      expect(assignment).toMatchObject({ roleDefinitionId: ga, directoryScopeId: '/', id: expect.stringMatching(/^lAPpYvVpN0KRkAEhdxReE[A-Za-z0-9_-]{22}-1$/) });
      expect(assignment.principal).toMatchObject({ '@odata.type': '#microsoft.graph.user', id: assignment.principalId, userType: 'Member', accountEnabled: true });
      // the documented expansion: no userPrincipalName or sync state to lean on (read /users/{id} for those)
      expect(assignment.principal).not.toHaveProperty('onPremisesSyncEnabled');
    }
    const several = (await rawGraph(t, `${list}?$filter=${encodeURIComponent(`roleDefinitionId in ('${ga}', '${directoryRoleIds.userAdministrator.toUpperCase()}')`)}`)).json as Page;
    expect(several.value.map((assignment) => assignment.roleDefinitionId).sort()).toEqual([ga, ga, directoryRoleIds.userAdministrator].sort());
    expect(several.value[0]).not.toHaveProperty('principal');
    const byPrincipal = t.sandbox.manifest.roleAssignments.find((entry) => entry.roleId === directoryRoleIds.userAdministrator)?.userId ?? '';
    const ofUser = (await rawGraph(t, `${list}?$filter=principalId eq '${byPrincipal}'`)).json as Page;
    expect(ofUser.value.map((assignment) => assignment.roleDefinitionId)).toEqual([directoryRoleIds.userAdministrator, directoryRoleIds.authenticationAdministrator]);
  });

  it('refuses filters and expansions it does not support, naming the property (400 Request_UnsupportedQuery)', async () => {
    const startsWith = await rawGraph(t, `${list}?$filter=${encodeURIComponent(`startswith(roleDefinitionId,'62')`)}`);
    expect(startsWith.status).toBe(400);
    expect(startsWith.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
    expect((await rawGraph(t, `${list}?$filter=${encodeURIComponent(`appId eq 'x'`)}`)).json).toMatchObject({ error: { code: 'Request_UnsupportedQuery', message: expect.stringContaining("'appId'") } });
    expect((await rawGraph(t, `${list}?$expand=roleDefinition`)).status).toBe(400);
    expect((await rawGraph(t, `${list}?$top=5`)).status).toBe(400);
  });

  it('answers 403 Authorization_RequestDenied without RoleManagement.Read.Directory (or a higher permission Graph documents)', async () => {
    t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'RoleManagement.Read.Directory'));
    try {
      const denied = await rawGraph(t, list, { token: await t.token() });
      expect(denied.status).toBe(403);
      expect(denied.json).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
      t.sandbox.controls.setRoles(['Directory.Read.All']);
      expect((await rawGraph(t, list, { token: await t.token() })).status).toBe(200);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
