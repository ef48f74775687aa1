import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Page {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected the call to fail');
}

describe('users and directory reads through the product Graph client', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 2500, seed: 3 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages 2,500 users with $top=999 through absolute next links, each user exactly once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let page = (await t.client.api('/users').select(['id', 'userPrincipalName', 'onPremisesSyncEnabled']).top(999).get()) as Page;
    for (;;) {
      sizes.push(page.value.length);
      for (const user of page.value) seen.push(user.id as string);
      const next = page['@odata.nextLink'];
      if (next === undefined) break;
      expect(next.startsWith(`${t.sandbox.url}v1.0/users?`)).toBe(true);
      expect(next).toContain('$top=999');
      expect(next).toContain('$select=id%2CuserPrincipalName%2ConPremisesSyncEnabled');
      page = (await t.client.api(next).get()) as Page;
    }
    expect(sizes).toEqual([999, 999, 502]);
    expect(new Set(seen).size).toBe(2500);
    expect(new Set(seen)).toEqual(new Set(t.sandbox.manifest.users.map((user) => user.id)));
  });

  it('returns only the $select-ed properties, on every page', async () => {
    const page = (await t.client.api('/users').select(['id', 'accountEnabled', 'userType', 'onPremisesLastSyncDateTime']).top(5).get()) as Page;
    expect(page.value).toHaveLength(5);
    for (const user of page.value) expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'id', 'onPremisesLastSyncDateTime', 'userType']);
    const next = (await t.client.api(page['@odata.nextLink'] ?? '').get()) as Page;
    for (const user of next.value) expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'id', 'onPremisesLastSyncDateTime', 'userType']);
  });

  it("without $select returns Graph's default property set and a page of 100", async () => {
    const page = (await t.client.api('/users').get()) as Page;
    expect(page.value).toHaveLength(100);
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual(
      ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'].sort(),
    );
    expect(page['@odata.nextLink']).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/users\?\$skiptoken=/);
  });

  it('rejects $top=1000 with the exact Graph message and a request-id', async () => {
    const error = await caught(t.client.api('/users').top(1000).get());
    expect(error).toBeInstanceOf(GraphError);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    expect(error.requestId).toMatch(guid);
    const zero = await caught(t.client.api('/users').top(0).get());
    expect(zero.message).toBe("Invalid page size specified: '0'. Must be between 1 and 999 inclusive.");
  });

  it('rejects an unknown $select property and a foreign skip token', async () => {
    const unknown = await caught(t.client.api('/users').select(['id', 'shoeSize']).get());
    expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([400, 'Request_BadRequest', "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'."]);
    const token = await caught(t.client.api('/users?$skiptoken=not-a-token').get());
    expect([token.statusCode, token.code]).toEqual([400, 'Directory_ExpiredPageToken']);
  });

  it('refuses $count, which it does not model, with or without ConsistencyLevel', async () => {
    for (const request of [t.client.api('/users').query({ $count: 'true' }).top(1), t.client.api('/users').header('ConsistencyLevel', 'eventual').query({ $count: 'true' }).top(1)]) {
      const refused = await caught(request.get());
      expect([refused.statusCode, refused.code, refused.message]).toEqual([400, 'SandboxNotModelled', 'The sandbox tenant does not model $count (with ConsistencyLevel: eventual).']);
    }
  });

  it('gets one user by id and by UPN (guest #EXT# UPNs too), honouring $select', async () => {
    const guest = t.sandbox.manifest.users.find((user) => user.category === 'guest');
    if (guest === undefined) throw new Error('no guest generated');
    const byId = (await t.client.api(`/users/${guest.id}`).select(['id', 'userType', 'onPremisesSyncEnabled']).get()) as Record<string, unknown>;
    expect(byId).toMatchObject({ id: guest.id, userType: 'Guest', onPremisesSyncEnabled: null });
    expect(Object.keys(byId).filter((key) => !key.startsWith('@')).sort()).toEqual(['id', 'onPremisesSyncEnabled', 'userType']);
    const byUpn = (await t.client.api(`/users/${encodeURIComponent(guest.upn)}`).select(['id']).get()) as Record<string, unknown>;
    expect(byUpn.id).toBe(guest.id);
    expect(guest.upn).toMatch(/#EXT#@contoso\.onmicrosoft\.com$/);
  });

  it('throws a GraphError with code Request_ResourceNotFound and a requestId for an unknown user', async () => {
    const error = await caught(t.client.api('/users/00000000-0000-4000-8000-000000000000').get());
    expect(error).toBeInstanceOf(GraphError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.requestId).toMatch(guid);
  });

  it('serves /organization with sync fields that follow the sandbox clock and the admin settings', async () => {
    t.sandbox.controls.setNow('2026-03-01T12:00:00Z');
    const org = (await t.client.api('/organization').select(['id', 'onPremisesSyncEnabled', 'onPremisesLastSyncDateTime', 'verifiedDomains']).get()) as Page;
    expect(org.value).toHaveLength(1);
    expect(org.value[0]).toMatchObject({ id: t.sandbox.tenantId, onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: '2026-03-01T11:40:00Z' });
    t.sandbox.controls.setOrganization({ onPremisesSyncEnabled: false, onPremisesLastSyncDateTime: '2026-02-20T08:00:00Z' });
    const stale = (await t.client.api('/organization').get()) as Page;
    expect(stale.value[0]).toMatchObject({ onPremisesSyncEnabled: false, onPremisesLastSyncDateTime: '2026-02-20T08:00:00Z' });
    t.sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
  });

  it('serves the generated groups, their members (with @odata.type) and paging', async () => {
    const { groups } = t.sandbox.manifest;
    const pilot = (await t.client.api(`/groups/${groups.pilot}`).select(['id', 'displayName']).get()) as Record<string, unknown>;
    expect(pilot).toMatchObject({ id: groups.pilot, displayName: 'MFA Pilot' });
    const ring = groups.rings[0];
    if (ring === undefined) throw new Error('no ring');
    const members: Record<string, unknown>[] = [];
    let page = (await t.client.api(`/groups/${ring.id}/members`).select(['id', 'department']).top(7).get()) as Page;
    for (;;) {
      members.push(...page.value);
      if (page['@odata.nextLink'] === undefined) break;
      page = (await t.client.api(page['@odata.nextLink']).get()) as Page;
    }
    const expected = t.sandbox.state.findGroup(ring.id)?.memberIds ?? [];
    expect(members.map((member) => member.id)).toEqual(expected);
    for (const member of members) expect(member).toEqual({ '@odata.type': '#microsoft.graph.user', id: member.id, department: 'IT' });
    const transitive = (await t.client.api(`/groups/${groups.exclusion}/transitiveMembers`).select(['id']).get()) as Page;
    const exclusionIds = t.sandbox.manifest.users.filter((user) => user.category === 'exclusionGroupMember').map((user) => user.id);
    expect(transitive.value.map((member) => member.id).sort()).toEqual(exclusionIds.sort());
    const missing = await caught(t.client.api('/groups/00000000-0000-4000-8000-000000000000/members').get());
    expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('answers unknown segments and unsupported options with Graph envelopes', async () => {
    const segment = await caught(t.client.api('/userz').get());
    expect([segment.statusCode, segment.code, segment.message]).toEqual([400, 'BadRequest', "Resource not found for the segment 'userz'."]);
    const filter = await caught(t.client.api('/users').filter("userType eq 'Guest'").get());
    expect([filter.statusCode, filter.code]).toEqual([400, 'Request_UnsupportedQuery']);
    const method = await caught(t.client.api('/organization').delete());
    expect([method.statusCode, method.code]).toEqual([405, 'Request_BadRequest']);
  });
});
