import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const addMember = (token: string, userId: string) => ({
  method: 'POST',
  headers: { ...bearer(token), 'Content-Type': 'application/json' },
  body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` }),
});

describe('many tenants in one sandbox', () => {
  let t: TestSandbox;
  let small: SandboxTenantHandle;
  let large: SandboxTenantHandle;
  beforeAll(async () => {
    t = await startTestSandbox({
      seed: 11,
      tenants: [
        { users: 40 },
        // another size, another methods policy, a defect of its own
        { users: 120, homeCountry: 'GB', methodsPolicy: 'smsDisabled', faults: { latency: false, rules: [{ kind: 'unavailable', status: 503, count: 1, operations: ['organization.read'] }] } },
      ],
    });
    [small, large] = t.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle];
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives each tenant its own directory, name and domains, with one app and the first tenant on the handle', async () => {
    expect(t.sandbox.tenants).toHaveLength(2);
    expect(small.tenantId).not.toBe(large.tenantId);
    expect([small.state.users.length, large.state.users.length]).toEqual([40, 120]);
    expect([small.displayName, large.displayName]).toEqual(['Contoso', 'Fabrikam']);
    expect(large.state.organization.verifiedDomains.map((domain) => domain.name)).toEqual(['fabrikam.com', 'fabrikam.onmicrosoft.com']);
    expect(large.manifest.homeCountry).toBe('GB');
    expect(small.state.users.some((user) => large.state.findUser(user.id) !== undefined)).toBe(false);
    expect([small.state.app.clientId, large.state.app.clientId]).toEqual([t.sandbox.clientId, t.sandbox.clientId]);
    expect([t.sandbox.tenantId, t.sandbox.state, t.sandbox.journal]).toEqual([small.tenantId, small.state, small.journal]);
    expect(t.sandbox.tenant(large.tenantId.toUpperCase())).toBe(large);

    const listed = await t.raw('/_sandbox/tenants');
    expect((listed.json as { tenants: { tenantId: string; users: number; consented: boolean }[] }).tenants.map(({ tenantId, users, consented }) => ({ tenantId, users, consented }))).toEqual([
      { tenantId: small.tenantId, users: 40, consented: true },
      { tenantId: large.tenantId, users: 120, consented: true },
    ]);
  });

  it('routes Graph by the token: each tenant answers from its own directory, through the product client', async () => {
    const read = (tenantId: string) =>
      withFreshClient(t, async (client) => (await client.api('/organization').get()) as { value: { id: string; displayName: string }[] }, tenantId);
    expect((await read(small.tenantId)).value[0]).toMatchObject({ id: small.tenantId, displayName: 'Contoso' });
    // the large tenant's own fault (one 503) hits its first read only; the small tenant never saw it
    await expect(read(large.tenantId)).rejects.toMatchObject({ statusCode: 503 });
    expect((await read(large.tenantId)).value[0]).toMatchObject({ id: large.tenantId, displayName: 'Fabrikam' });
    expect(large.journal.counters().byStatus['503']).toBe(1);
    expect(small.journal.counters().byStatus['503']).toBeUndefined();

    const users = await withFreshClient(t, async (client) => (await client.api('/users').top(999).get()) as { value: { id: string }[] }, large.tenantId);
    expect(users.value.map((user) => user.id).sort()).toEqual(large.state.users.map((user) => user.id).sort());
  });

  it("keeps each tenant's methods policy", async () => {
    const smsState = async (tenantId: string) => {
      const token = await t.tokenFor(tenantId);
      const answer = await t.raw('/v1.0/policies/authenticationMethodsPolicy', { headers: bearer(token) });
      return (answer.json as { authenticationMethodConfigurations: { id: string; state: string }[] }).authenticationMethodConfigurations.find((entry) => entry.id === 'Sms')?.state;
    };
    expect([await smsState(small.tenantId), await smsState(large.tenantId)]).toEqual(['enabled', 'disabled']);
  });

  it("never lets a token for one tenant read or write another's objects", async () => {
    const smallToken = await t.tokenFor(small.tenantId);
    const largeUser = large.state.users[0]?.id ?? '';
    const largeWritesBefore = large.journal.entries().length;

    const read = await t.raw(`/v1.0/users/${largeUser}`, { headers: bearer(smallToken) });
    expect([read.status, (read.json as GraphError & { error: { code: string } }).error.code]).toEqual([404, 'Request_ResourceNotFound']);
    const write = await t.raw(`/v1.0/groups/${large.manifest.groups.mfaRequired}/members/$ref`, addMember(smallToken, largeUser));
    expect(write.status).toBe(404);
    expect(large.journal.entries()).toHaveLength(largeWritesBefore);
    expect(small.journal.entries().at(-1)).toMatchObject({ operation: 'groups.addMember', status: 404 });
    expect(large.state.isGroupMember(large.manifest.groups.mfaRequired, largeUser)).toBe(false);

    // a token whose `tid` was edited to name the other tenant fails that tenant's signature check
    const [head, payload, signature] = smallToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, tid: large.tenantId })).toString('base64url')}.${signature}`;
    const refused = await t.raw(`/v1.0/users/${largeUser}`, { headers: bearer(forged) });
    expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    expect(large.journal.counters().byStatus['401']).toBe(1);

    // the same write with the right tenant's token lands there, and only there
    const smallWritesBefore = small.journal.entries().length;
    const own = await t.raw(`/v1.0/groups/${large.manifest.groups.mfaRequired}/members/$ref`, addMember(await t.tokenFor(large.tenantId), largeUser));
    expect(own.status).toBe(204);
    expect(large.state.isGroupMember(large.manifest.groups.mfaRequired, largeUser)).toBe(true);
    expect(large.journal.entries().at(-1)).toMatchObject({ operation: 'groups.addMember', status: 204, userId: largeUser });
    expect(small.journal.entries()).toHaveLength(smallWritesBefore);
  });

  it('meters each tenant on its own quota, set through its own admin API', async () => {
    const largeUnits = large.traffic.quota().config.resourceUnits;
    const setQuota = await t.raw(`/_sandbox/tenants/${small.tenantId}/quota`, { method: 'POST', body: JSON.stringify({ resourceUnits: 3 }) });
    expect(setQuota.status).toBe(200);
    expect([small.traffic.quota().config.resourceUnits, large.traffic.quota().config.resourceUnits]).toEqual([3, largeUnits]);
    expect(largeUnits).toBe(5000); // its own size's figure (50–500 users), the small tenant's default was 3,500
    const [smallToken, largeToken] = [await t.tokenFor(small.tenantId), await t.tokenFor(large.tenantId)];
    const statuses = async (token: string, userId: string) => {
      const answers: number[] = [];
      for (let i = 0; i < 6; i += 1) answers.push((await t.raw(`/v1.0/users/${userId}`, { headers: bearer(token) })).status);
      return answers;
    };
    expect(await statuses(smallToken, small.state.users[1]?.id ?? '')).toContain(429);
    expect(await statuses(largeToken, large.state.users[1]?.id ?? '')).toEqual([200, 200, 200, 200, 200, 200]);
    small.traffic.setQuota({ resourceUnits: 3500, reset: true });
  });

  it("changes only the addressed tenant's clock through /_sandbox/tenants/{id}/", async () => {
    const answer = await t.raw(`/_sandbox/tenants/${large.tenantId}/clock`, { method: 'POST', body: JSON.stringify({ now: '2027-02-01T00:00:00Z' }) });
    expect(answer.status).toBe(200);
    expect(large.state.now().toISOString().slice(0, 10)).toBe('2027-02-01');
    expect(small.state.now().getUTCFullYear()).toBeLessThan(2027);
    expect((await t.raw('/_sandbox/tenants/00000000-0000-4000-8000-000000000000/clock')).status).toBe(404);
  });

  it('refuses tenants that would share an id or a domain', async () => {
    const { startSandbox } = await import('../../sandbox/startSandbox.js');
    await expect(startSandbox({ tenants: [{ users: 0, seed: 5 }, { users: 0, seed: 5, displayName: 'Other' }] })).rejects.toThrow(/two tenants have the id .*own seed/);
    await expect(startSandbox({ tenants: [{ users: 0, seed: 5 }, { users: 0, seed: 6, displayName: 'Contoso' }] })).rejects.toThrow(/two tenants claim 'contoso.com'/);
    await expect(startSandbox({ tenants: [{ users: 0 }, { users: -1 }] })).rejects.toThrow("startSandbox: tenants[1]: expected 'users'");
  });
});
