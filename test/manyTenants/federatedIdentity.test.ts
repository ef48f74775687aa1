import { describe, expect, it } from '@jest/globals';
import { workloadIdentitySandboxSettings } from '../../rehearsal/sandboxSettings.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { deploymentEnv, functionEvents, nightDate, notEnforced, openNight, register, startWorkers, waitSettled, useQueuePathWorld } from './queuePathFixture.js';

/**
 * MFA_AUTH_MODE=federatedManagedIdentity end to end: no secret in any app setting; each worker's real
 * ManagedIdentityCredential takes the user-assigned identity's token from the sandbox's managed identity endpoint
 * (IDENTITY_ENDPOINT / IDENTITY_HEADER, as the Functions host sets them), and each tenant's token endpoint exchanges
 * it (the app's federated identity credential) for that tenant's Graph token. Two tenants' nights run on it.
 */

const lab = useQueuePathWorld({ tenants: [{ users: 24, seed: 331 }, { users: 30, seed: 332 }] });

describe('federatedManagedIdentity', () => {
  it("runs each tenant's night on the managed identity's federated token, with no secret anywhere", async () => {
    const { MFA_CLIENT_SECRET: _secret, ...withoutSecret } = deploymentEnv(lab.sandbox, lab.world, { MFA_AUTH_MODE: 'federatedManagedIdentity', ...workloadIdentitySandboxSettings(lab.sandbox) });
    const env: Record<string, string> = withoutSecret;
    expect(Object.values(env)).not.toContain(lab.sandbox.clientSecret);
    const tenants = lab.sandbox.tenants as readonly SandboxTenantHandle[];
    for (const tenant of tenants) await register(env, lab.sandbox, tenant, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100' });
    const host = await startWorkers(env, lab.world);
    try {
      const fanned = await openNight(env, tenants, nightDate(0));
      expect(fanned.enqueued).toHaveLength(2);
      const settled = await waitSettled(host, 0, 2);
      expect(settled.map((event) => event.type === 'settled' && event.outcome)).toEqual(['deleted', 'deleted']);
    } finally {
      await host.stop();
    }
    const done = functionEvents(host).filter((event) => event.event === 'tenant.nightDone');
    for (const tenant of tenants) {
      expect(done).toContainEqual(expect.objectContaining({ tenantId: tenant.tenantId, status: 'completed' }));
      expect(notEnforced(tenant)).toEqual([]);
    }
    expect(functionEvents(host).filter((event) => event.event === 'tenant.failed')).toEqual([]);

    // the app's federated credential removed: new instances (no cached token) get Entra's refusal in every tenant
    lab.sandbox.workloadIdentity.setFederatedCredentials([]);
    const refused = await startWorkers(env, lab.world);
    try {
      await openNight(env, tenants, nightDate(1));
      await waitSettled(refused, 0, 2);
    } finally {
      await refused.stop();
    }
    const failures = functionEvents(refused).filter((event) => event.event === 'tenant.failed');
    for (const tenant of tenants) expect(failures).toContainEqual(expect.objectContaining({ tenantId: tenant.tenantId, message: expect.stringContaining('AADSTS70021') }));
  }, 120_000);
});
