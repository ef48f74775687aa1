import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';

const tokenForm = (t: TestSandbox) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
});

describe('a tenant that has not consented to the multi-tenant app', () => {
  let t: TestSandbox;
  let consented: SandboxTenantHandle;
  let pending: SandboxTenantHandle;
  beforeAll(async () => {
    t = await startTestSandbox({ tenants: [{ users: 30 }, { users: 30, consented: false, displayName: 'Woodgrove' }] });
    [consented, pending] = t.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle];
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses the app's token as Entra does for a multi-tenant app with no service principal in the tenant", async () => {
    const answer = await t.raw(`/${pending.tenantId}/oauth2/v2.0/token`, tokenForm(t));
    expect(answer.status).toBe(401);
    const body = answer.json as { error: string; error_description: string; error_codes: number[]; trace_id: string; correlation_id: string };
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000229] });
    expect(body.error_description).toMatch(
      new RegExp(`^AADSTS7000229: The client application ${t.sandbox.clientId} is missing service principal in the tenant ${pending.tenantId}\\. See instructions here: https://go\\.microsoft\\.com/fwlink/\\?linkid=2225119 Trace ID: `),
    );
    // an app id that exists nowhere is another answer (AADSTS700016), naming the directory
    const unknownApp = await t.raw(`/${pending.tenantId}/oauth2/v2.0/token`, { ...tokenForm(t), body: tokenForm(t).body.replace(t.sandbox.clientId, '00000000-0000-4000-8000-000000000000') });
    expect([unknownApp.status, (unknownApp.json as { error_description: string }).error_description]).toEqual([400, expect.stringMatching(/^AADSTS700016: Application with identifier '00000000-0000-4000-8000-000000000000' was not found in the directory 'Woodgrove'\. /)]);
    // by its verified domain too, and counted in that tenant's journal
    expect((await t.raw('/woodgrove.onmicrosoft.com/oauth2/v2.0/token', tokenForm(t))).status).toBe(401);
    expect(pending.journal.counters().byRoute['POST /{tenant}/oauth2/v2.0/token']).toBe(3);
    expect(consented.journal.counters().byRoute['POST /{tenant}/oauth2/v2.0/token']).toBeUndefined();

    // the product's client (ClientSecretCredential) surfaces Entra's code; the consented tenant is unaffected
    await expect(withFreshClient(t, (client) => client.api('/organization').get(), pending.tenantId)).rejects.toThrow(/AADSTS7000229/);
    expect(((await withFreshClient(t, (client) => client.api('/organization').get(), consented.tenantId)) as { value: { id: string }[] }).value[0]?.id).toBe(consented.tenantId);
    expect(pending.controls.consented()).toBe(false);
  });

  it('issues tokens once an admin consents through the admin API', async () => {
    const listed = async () => ((await t.raw('/_sandbox/tenants')).json as { tenants: { tenantId: string; consented: boolean }[] }).tenants.find((entry) => entry.tenantId === pending.tenantId)?.consented;
    expect(await listed()).toBe(false);
    expect((await t.raw(`/_sandbox/tenants/${pending.tenantId}/consent`)).json).toEqual({ consented: false });
    const consent = await t.raw(`/_sandbox/tenants/${pending.tenantId}/consent`, { method: 'POST' });
    expect([consent.status, consent.json]).toEqual([200, { consented: true }]);
    expect(await listed()).toBe(true);

    const organization = (await withFreshClient(t, (client) => client.api('/organization').get(), pending.tenantId)) as { value: { id: string; displayName: string }[] };
    expect(organization.value[0]).toMatchObject({ id: pending.tenantId, displayName: 'Woodgrove' });
    expect(pending.journal.counters().byRoute['GET /v1.0/organization']).toBe(1);
  });
});
