import { describe, expect, it } from '@jest/globals';
import { createGraphConnection } from '../../../shared/adapters/graph/graphClient.js';
import { adminConsentUrl } from '../../../shared/adapters/graph/consentRefusal.js';
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

  it('the consent URL is the authority, the tenant and the client id', () => {
    expect(adminConsentUrl({ authorityHost: 'https://login.microsoftonline.com/', tenantId: 'contoso.onmicrosoft.com', clientId: 'app-1' }))
      .toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=app-1');
  });
});
