import { describe, expect, it } from '@jest/globals';
import { AuthenticationError } from '@azure/identity';
import { createGraphConnection } from '../../../shared/adapters/graph/graphClient.js';
import { adminConsentUrl, consentRefusal } from '../../../shared/adapters/graph/consentRefusal.js';
import { loadConfig } from '../../../shared/config/loadConfig.js';
import { useSandboxTenant } from '../../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 10, seed: 31 });

describe('a tenant that has not consented to the app', () => {
  it('is named with its admin-consent URL (TENANT_NOT_CONSENTED) when Entra answers AADSTS700016', async () => {
    const { sandbox } = tenant();
    // an app id the tenant's directory does not hold: Entra's answer for an app never consented in the tenant
    const strangerApp = '0a0b0c0d-1111-4222-8333-444455556666';
    const config = loadConfig(tenant().settings({ MFA_CLIENT_ID: strangerApp }));
    const connection = createGraphConnection(config);
    try {
      const refusal = connection.accessToken();
      await expect(refusal).rejects.toMatchObject({ code: 'TENANT_NOT_CONSENTED' });
      const message = await refusal.catch((error: Error) => error.message);
      expect(message).toContain(`Tenant ${sandbox.tenantId}`);
      expect(message).toContain(`${sandbox.origin}/${sandbox.tenantId}/adminconsent?client_id=${strangerApp}`);
      expect(message).not.toContain(sandbox.clientSecret);
    } finally {
      await connection.close();
    }
  });

  it('a wrong secret stays GRAPH_AUTH_FAILED: the app is there, its credential is not', async () => {
    const config = loadConfig(tenant().settings({ MFA_CLIENT_SECRET: 'not-the-secret' }));
    const connection = createGraphConnection(config);
    try {
      await expect(connection.accessToken()).rejects.toMatchObject({ code: 'GRAPH_AUTH_FAILED' });
    } finally {
      await connection.close();
    }
  });

  it('reads AADSTS7000229 (client credentials of an app without a service principal there) as @azure/identity reports it', () => {
    const answer = new AuthenticationError(401, {
      error: 'invalid_client',
      error_description: 'AADSTS7000229: The client application 0a0b0c0d-1111-4222-8333-444455556666 is missing service principal in the tenant 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b. Trace ID: x Correlation ID: y Timestamp: 2026-12-02 01:00:00Z',
      error_codes: [7000229],
    });
    const config = { authorityHost: 'https://login.microsoftonline.com', tenantId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', clientId: '0a0b0c0d-1111-4222-8333-444455556666' };
    expect(consentRefusal(answer, config)).toMatchObject({ code: 'TENANT_NOT_CONSENTED', message: expect.stringContaining('AADSTS7000229') });
    expect(consentRefusal(new AuthenticationError(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }), config)).toBeNull();
  });

  it('the consent URL is the authority, the tenant and the client id', () => {
    expect(adminConsentUrl({ authorityHost: 'https://login.microsoftonline.com/', tenantId: 'contoso.onmicrosoft.com', clientId: 'app-1' }))
      .toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=app-1');
  });
});
