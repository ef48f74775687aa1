import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

const tokenForm = (t: TestSandbox) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
});

describe('a tenant that has not consented to the multi-tenant app', () => {
  let t: TestSandbox;
  let consented: SandboxTenantHandle;
  let pending: SandboxTenantHandle;
  let later: SandboxTenantHandle;
  let partial: SandboxTenantHandle;
  beforeAll(async () => {
    t = await startTestSandbox({ tenants: [{ users: 30 }, { users: 30, consented: false, displayName: 'Woodgrove' }, { users: 24, consented: false }, { users: 24, roles: ['User.Read.All'] }] });
    [consented, pending, later, partial] = t.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle, SandboxTenantHandle, SandboxTenantHandle];
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

  it('takes a visit to the admin consent URL as the administrator accepting', async () => {
    const url = `/${later.tenantId}/adminconsent?client_id=${t.sandbox.clientId}&redirect_uri=${encodeURIComponent('https://localhost/consented')}&state=s-1`;
    const unknownApp = await t.raw(`/${later.tenantId}/adminconsent?client_id=00000000-0000-4000-8000-000000000000`);
    expect([unknownApp.status, (unknownApp.json as { error: string }).error]).toEqual([400, 'unauthorized_client']);
    expect(later.controls.consented()).toBe(false);

    const visit = await t.raw(url, { redirect: 'manual' });
    expect(visit.status).toBe(302);
    const location = new URL(visit.headers.get('location') ?? '');
    expect([location.origin + location.pathname, Object.fromEntries(location.searchParams)]).toEqual(['https://localhost/consented', { admin_consent: 'True', tenant: later.tenantId, state: 's-1' }]);
    expect(later.controls.consented()).toBe(true);
    expect(claimsOf(await t.tokenFor(later.tenantId)).tid).toBe(later.tenantId);
  });

  it("issues a consented tenant's tokens with that tenant's grants: a permission missing there is Graph's 403", async () => {
    const token = await t.tokenFor(partial.tenantId);
    expect(claimsOf(token).roles).toEqual(['User.Read.All']);
    expect((await t.raw('/v1.0/users?$top=1', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const refused = await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${token}` } });
    expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([403, 'Authorization_RequestDenied']);
    expect((await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${await t.tokenFor(consented.tenantId)}` } })).status).toBe(200);
  });
});
