import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('authentication and authorization', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 50 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes an OpenID configuration whose endpoints stay on the sandbox', async () => {
    const answer = await t.raw(`/${t.sandbox.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    const config = answer.json as Record<string, string>;
    for (const key of ['token_endpoint', 'issuer', 'authorization_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      expect(config[key]?.startsWith(`${t.sandbox.origin}/${t.sandbox.tenantId}/`)).toBe(true);
    }
  });

  it('issues client-credentials tokens and refuses bad secrets, unknown apps and wrong scopes', async () => {
    const path = `/${t.sandbox.tenantId}/oauth2/v2.0/token?client-request-id=x`;
    const fields = { grant_type: 'client_credentials', client_id: t.sandbox.clientId, client_secret: t.sandbox.clientSecret, scope: 'https://graph.microsoft.com/.default' };
    const ok = await t.raw(path, form(fields));
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = JSON.parse(Buffer.from(((ok.json as { access_token: string }).access_token.split('.')[1] ?? ''), 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: t.sandbox.tenantId, appid: t.sandbox.clientId, roles: [...defaultAppRoles] });

    const badSecret = await t.raw(path, form({ ...fields, client_secret: 'wrong' }));
    expect(badSecret.status).toBe(401);
    expect(badSecret.json).toMatchObject({ error: 'invalid_client' });
    expect((badSecret.json as { error_description: string }).error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);

    const unknownApp = await t.raw(path, form({ ...fields, client_id: '00000000-0000-4000-8000-000000000000' }));
    expect([unknownApp.status, (unknownApp.json as { error: string }).error]).toEqual([400, 'unauthorized_client']);

    const wrongScope = await t.raw(path, form({ ...fields, scope: 'https://management.azure.com/.default' }));
    expect([wrongScope.status, (wrongScope.json as { error: string }).error]).toEqual([400, 'invalid_scope']);

    const wrongTenant = await t.raw(`/00000000-0000-4000-8000-000000000000/oauth2/v2.0/token`, form(fields));
    expect([wrongTenant.status, (wrongTenant.json as { error: string }).error]).toEqual([400, 'invalid_tenant']);
  });

  it('answers 401 InvalidAuthenticationToken without a token, echoing client-request-id', async () => {
    const answer = await t.raw('/v1.0/users', { headers: { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('request-id')).toMatch(guid);
    expect(answer.headers.get('client-request-id')).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(answer.json).toEqual({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Access token is empty.',
        innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': answer.headers.get('request-id'), 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' },
      },
    });
  });

  it('answers 401 for a forged, tampered or foreign token', async () => {
    const token = await t.token();
    const [head, payload] = token.split('.');
    for (const bad of ['not-a-jwt', `${head}.${payload}.AAAA`, `${head}.${Buffer.from('{"aud":"https://graph.microsoft.com"}').toString('base64url')}.${token.split('.')[2]}`]) {
      const answer = await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${bad}` } });
      expect(answer.status).toBe(401);
      expect(answer.json).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } });
    }
    const ok = await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  });

  it('answers 403 Authorization_RequestDenied when the app lacks the permission, and accepts a higher one', async () => {
    const user = t.sandbox.manifest.users[0];
    if (user === undefined) throw new Error('no users');
    // The sandbox authorizes against the token's roles: each role change takes a new credential (a new token).
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'User.Read.All'));
      let error: GraphError | undefined;
      await withFreshClient(t, async (client) => {
        try {
          await client.api('/users').get();
        } catch (caught) {
          error = caught as GraphError;
        }
      });
      expect([error?.statusCode, error?.code, error?.message]).toEqual([403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
      expect(error?.requestId).toMatch(guid);

      t.sandbox.controls.setRoles(['Directory.Read.All']);
      await withFreshClient(t, async (client) => {
        await expect(client.api(`/users/${user.id}`).get()).resolves.toMatchObject({ id: user.id });
      });

      t.sandbox.controls.setRoles(['UserAuthenticationMethod.Read.All', 'Policy.Read.All']);
      await withFreshClient(t, async (client) => {
        await expect(client.api(`/users/${user.id}/authentication/phoneMethods`).get()).resolves.toMatchObject({ value: [] });
        await expect(client.api(`/users/${user.id}/authentication/phoneMethods`).post({ phoneNumber: '+46 701234567', phoneType: 'mobile' })).rejects.toMatchObject({
          statusCode: 403,
          code: 'Authorization_RequestDenied',
        });
        await expect(client.api(`/users/${user.id}/authentication/requirements`).version('beta').patch({ perUserMfaState: 'enforced' })).rejects.toMatchObject({
          statusCode: 403,
        });
      });
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it("answers a token without a roles claim (nothing consented) as Graph does: 403 AccessDenied, 'Either scp or roles claim…'", async () => {
    try {
      t.sandbox.controls.setRoles([]);
      const token = await t.token();
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(claims).not.toHaveProperty('roles');
      const answer = await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${token}` } });
      const error = (answer.json as { error: { code: string; message: string } }).error;
      expect([answer.status, error.code, error.message]).toEqual([403, 'AccessDenied', 'Either scp or roles claim need to be present in the token.']);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('keeps the roles a token was issued with: a role removal applies to tokens issued after it', async () => {
    const before = await t.token();
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'User.Read.All'));
      const after = await t.token();
      const old = await t.raw('/v1.0/users?$top=1', { headers: { Authorization: `Bearer ${before}` } });
      expect(old.status).toBe(200);
      const fresh = await t.raw('/v1.0/users?$top=1', { headers: { Authorization: `Bearer ${after}` } });
      expect([fresh.status, (fresh.json as { error: { code: string } }).error.code]).toEqual([403, 'Authorization_RequestDenied']);
      await withFreshClient(t, async (client) => {
        await expect(client.api('/users').top(1).get()).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
      });
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
