import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { ClientAssertionCredential, ManagedIdentityCredential } from '@azure/identity';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';

const graphScope = 'https://graph.microsoft.com/.default';
const exchangeScope = 'api://AzureADTokenExchange/.default';
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const identityVariables = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IDENTITY_SERVER_THUMBPRINT', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_FEDERATED_TOKEN_FILE', 'AZURE_POD_IDENTITY_AUTHORITY_HOST'] as const;

describe('workload identity federation: a managed identity as the multi-tenant app’s credential', () => {
  let t: TestSandbox;
  let first: SandboxTenantHandle;
  let second: SandboxTenantHandle;
  let httpClient: HttpClient;
  const savedEnvironment = new Map<string, string | undefined>();

  beforeAll(async () => {
    t = await startTestSandbox({ tenants: [{ users: 20 }, { users: 30 }] });
    [first, second] = t.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle];
    // The App Service / Functions host's variables, as the real ManagedIdentityCredential reads them.
    for (const name of identityVariables) {
      savedEnvironment.set(name, process.env[name]);
      Reflect.deleteProperty(process.env, name);
    }
    process.env.IDENTITY_ENDPOINT = t.sandbox.workloadIdentity.identityEndpoint;
    process.env.IDENTITY_HEADER = t.sandbox.workloadIdentity.identityHeader;
    const agent = new https.Agent({ ca: [...rootCertificates, t.sandbox.caPem] });
    const inner = createDefaultHttpClient();
    httpClient = { sendRequest: (request) => inner.sendRequest(Object.assign(request, { agent })) };
  });
  afterAll(async () => {
    for (const [name, value] of savedEnvironment) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    await t.close();
  });

  const managedIdentity = () => new ManagedIdentityCredential({ clientId: t.sandbox.workloadIdentity.managedIdentity.clientId });
  // As production would build it: the managed identity's token is the client assertion of the app, in each tenant.
  const federated = (tenantId: string, source = managedIdentity()) =>
    new ClientAssertionCredential(tenantId, t.sandbox.clientId, async () => (await source.getToken(exchangeScope)).token, { authorityHost: t.sandbox.origin, disableInstanceDiscovery: true, httpClient });

  it('serves the managed identity endpoint that the real ManagedIdentityCredential uses (App Service protocol)', async () => {
    const { managedIdentity: identity, issuer } = t.sandbox.workloadIdentity;
    const token = await managedIdentity().getToken(exchangeScope);
    expect(claimsOf(token.token)).toMatchObject({ aud: 'api://AzureADTokenExchange', iss: issuer, sub: identity.principalId, azp: identity.clientId, tid: first.tenantId });
    expect(issuer).toBe(`${t.sandbox.origin}/${first.tenantId}/v2.0`);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const raw = (query: string, headers: Record<string, string> = { 'X-IDENTITY-HEADER': t.sandbox.workloadIdentity.identityHeader }) =>
      fetch(`${t.sandbox.workloadIdentity.identityEndpoint}?api-version=2019-08-01&${query}`, { headers }).then(async (response) => ({ status: response.status, body: (await response.json()) as { message?: string } }));
    expect((await raw(`resource=api://AzureADTokenExchange&client_id=${identity.clientId}`, {})).status).toBe(401);
    const otherIdentity = await raw('resource=api://AzureADTokenExchange&client_id=00000000-0000-4000-8000-000000000000');
    expect([otherIdentity.status, otherIdentity.body.message]).toEqual([400, 'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.']);
    expect((await raw(`resource=https://graph.microsoft.com&client_id=${identity.clientId}`)).status).toBe(400);
    await expect(new ManagedIdentityCredential({ clientId: '00000000-0000-4000-8000-000000000000' }).getToken(exchangeScope)).rejects.toThrow(/No User Assigned or Delegated Managed Identity/);
  });

  it("exchanges the managed identity's token for a Graph token in every consented tenant, no secret anywhere", async () => {
    for (const tenant of [first, second]) {
      const token = await federated(tenant.tenantId).getToken(graphScope);
      expect(claimsOf(token.token)).toMatchObject({ tid: tenant.tenantId, appid: t.sandbox.clientId, aud: 'https://graph.microsoft.com' });
      const organization = await t.raw('/v1.0/organization', { headers: { Authorization: `Bearer ${token.token}` } });
      expect([organization.status, (organization.json as { value: { id: string }[] }).value[0]?.id]).toEqual([200, tenant.tenantId]);
    }
  });

  it("refuses an assertion no federated credential matches, with Entra's codes", async () => {
    const { managedIdentity: identity, issuer } = t.sandbox.workloadIdentity;
    const assertion = (await managedIdentity().getToken(exchangeScope)).token;
    const exchange = (clientAssertion: string) =>
      t.raw(`/${second.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: t.sandbox.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: clientAssertion,
          scope: graphScope,
        }).toString(),
      });
    const refusal = async (clientAssertion = assertion) => {
      const answer = await exchange(clientAssertion);
      const body = answer.json as { error: string; error_codes: number[]; error_description: string };
      return [answer.status, body.error, body.error_codes[0], body.error_description.split(' Trace ID:')[0]];
    };
    const trusted = { name: 'function-app-identity', issuer, subject: identity.principalId, audiences: ['api://AzureADTokenExchange'] };
    try {
      t.sandbox.workloadIdentity.setFederatedCredentials([{ ...trusted, subject: identity.principalId.toUpperCase() }]); // matching is case-sensitive
      expect(await refusal()).toEqual([401, 'invalid_client', 700213, expect.stringMatching(`^AADSTS700213: No matching federated identity record found for presented assertion subject '${identity.principalId}'\\.`)]);
      await expect(federated(second.tenantId).getToken(graphScope)).rejects.toThrow(/AADSTS700213/);

      t.sandbox.workloadIdentity.setFederatedCredentials([{ ...trusted, issuer: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0' }]);
      expect((await refusal()).slice(0, 3)).toEqual([401, 'invalid_client', 700211]);
      t.sandbox.workloadIdentity.setFederatedCredentials([{ ...trusted, audiences: ['api://SomethingElse'] }]);
      expect((await refusal()).slice(0, 3)).toEqual([401, 'invalid_client', 700212]);
      const cleared = await t.raw('/_sandbox/federatedCredentials', { method: 'POST', body: JSON.stringify({ federatedCredentials: [] }) });
      expect(cleared.json).toEqual({ federatedCredentials: [] });
      expect(await refusal()).toEqual([400, 'invalid_request', 70021, `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${identity.principalId}'. Assertion Audience: 'api://AzureADTokenExchange'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`]);

      t.sandbox.workloadIdentity.setFederatedCredentials([trusted]);
      const [head, payload, signature = ''] = assertion.split('.');
      expect((await refusal(`${head}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`)).slice(0, 3)).toEqual([401, 'invalid_client', 700027]);
      expect((await exchange(assertion)).status).toBe(200);
    } finally {
      t.sandbox.workloadIdentity.setFederatedCredentials([trusted]);
    }
    expect((await t.raw('/_sandbox/federatedCredentials', { method: 'POST', body: JSON.stringify({ federatedCredentials: [{ name: 'x', issuer, subject: 's', audiences: [] }] }) })).status).toBe(400);
  });

  it('still asks for consent first: an unconsented tenant refuses even a valid assertion (AADSTS7000229)', async () => {
    second.state.app.consented = false;
    try {
      await expect(federated(second.tenantId).getToken(graphScope)).rejects.toThrow(/AADSTS7000229/);
    } finally {
      second.controls.consent();
    }
    expect(claimsOf((await federated(second.tenantId).getToken(graphScope)).token).tid).toBe(second.tenantId);
  });
});
