import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';

describe("Graph's application-wide limits, shared by every tenant of the app", () => {
  let t: TestSandbox;
  let tenants: SandboxTenantHandle[];
  beforeAll(async () => {
    t = await startTestSandbox({ faults: { latency: false }, applicationQuota: { writes: 4 }, tenants: [{ users: 30 }, { users: 30 }, { users: 30 }] });
    tenants = [...t.sandbox.tenants];
  });
  afterAll(async () => {
    await t.close();
  });

  const addMember = async (tenant: SandboxTenantHandle, index: number) => {
    const token = await t.tokenFor(tenant.tenantId);
    return t.raw(`/v1.0/groups/${tenant.manifest.groups.mfaRequired}/members/$ref`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${tenant.state.users[index]?.id ?? ''}` }),
    });
  };

  it("throttles a tenant with room in its own quota once the app's writes across all tenants are spent", async () => {
    const [first, second, third] = tenants as [SandboxTenantHandle, SandboxTenantHandle, SandboxTenantHandle];
    const statuses: number[] = [];
    for (const [tenant, index] of [[first, 0], [first, 1], [second, 0], [second, 1]] as const) statuses.push((await addMember(tenant, index)).status);
    expect(statuses).toEqual([204, 204, 204, 204]);

    const refused = await addMember(third, 0);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+(\.\d+)?$/);
    expect(refused.headers.get('x-ms-throttle-scope')).toBe(`Application/Write/${t.sandbox.clientId}/${third.tenantId}`);
    expect(refused.headers.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
    expect(third.state.isGroupMember(third.manifest.groups.mfaRequired, third.state.users[0]?.id ?? '')).toBe(false);
    // the third tenant's own limits had room: the 429 is the application's
    expect(third.traffic.quota().usage.throttled.total).toBe(0);
    expect(t.sandbox.applicationQuota.usage().throttled).toEqual({ total: 1, applicationResourceUnits: 0, applicationWrites: 1 });

    const lifted = await t.raw('/_sandbox/applicationQuota', { method: 'POST', body: JSON.stringify({ writes: 35_000 }) });
    expect((lifted.json as { config: { writes: number } }).config.writes).toBe(35_000);
    expect((await addMember(third, 0)).status).toBe(204);
    // Graph's figures otherwise (docs/graph-behaviour.md#throttling), which one tenant's own limits keep it far below
    expect(t.sandbox.applicationQuota.config()).toEqual({ enabled: true, resourceUnits: 150_000, resourceUnitWindowSeconds: 20, writes: 35_000, writeWindowSeconds: 300, writeModel: 'bucket', timeScale: 1 });
    expect((await t.raw('/_sandbox/applicationQuota', { method: 'POST', body: JSON.stringify({ writes: 0 }) })).status).toBe(400);
    const badModel = await t.raw('/_sandbox/applicationQuota', { method: 'POST', body: JSON.stringify({ writeModel: 'leaky' }) });
    expect(badModel.status).toBe(400);
    expect(JSON.stringify(badModel.json)).toContain('writeModel');
  });

  // Microsoft does not say whether the app-wide limit refills or counts a window: both readings run
  it.each([
    ['bucket', 204, 2],
    ['window', 429, 6],
  ] as const)('the app-wide write limit read as a %s: 1.2 s after 4 writes of a 4-per-2 s limit, a fifth is answered %i', async (writeModel, afterPause, from) => {
    const [first, second] = tenants as [SandboxTenantHandle, SandboxTenantHandle];
    t.sandbox.applicationQuota.configure({ writeModel, writes: 4, writeWindowSeconds: 2 });
    // users no other case adds (a member added twice is a 400)
    for (const index of [from, from + 1, from + 2, from + 3]) expect((await addMember(first, index)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // a bucket has refilled 2.4 writes by now; a window still holds all four
    expect((await addMember(second, from)).status).toBe(afterPause);
    expect(t.sandbox.applicationQuota.usage().apps.find((app) => app.limit === 'applicationWrites')).toMatchObject({ capacity: 4 });
    if (writeModel === 'window') {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // the four have left the window
      expect((await addMember(second, from + 1)).status).toBe(204);
    }
    t.sandbox.applicationQuota.configure({ writeModel: 'bucket', writes: 35_000, writeWindowSeconds: 300 });
  });
});
