import { beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { deploymentEnv, functionEvents, nightDate, notEnforced, openNight, poisonMessages, register, startWorkers, tenantPorts, waitSettled, useQueuePathWorld } from './queuePathFixture.js';

/**
 * One night of three tenants through the real queue path: one whose night throws every time (another run holds its
 * lease for an hour) lands in `<queue>-poison` after host.json's maxDequeueCount attempts; one that never consented
 * to the app is refused by name with its admin-consent URL and not retried; the third runs its night as if alone.
 */

const lab = useQueuePathWorld({ tenants: [{ users: 24, seed: 321 }, { users: 24, seed: 322, consented: false }, { users: 30, seed: 323 }] });
let stuck: SandboxTenantHandle;
let unconsented: SandboxTenantHandle;
let healthy: SandboxTenantHandle;

beforeAll(() => {
  [stuck, unconsented, healthy] = lab.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle, SandboxTenantHandle];
});

const writesOf = (tenant: SandboxTenantHandle) => tenant.journal.entries().filter((entry) => entry.method !== 'GET');

describe('the poison queue and a tenant without consent', () => {
  it('poisons the message of a tenant that fails every attempt, names the unconsented one with its consent URL, and runs the other', async () => {
    const env = deploymentEnv(lab.sandbox, lab.world);
    const waveSettings = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100' };
    for (const tenant of [stuck, unconsented, healthy]) await register(env, lab.sandbox, tenant, waveSettings);
    const night = nightDate(0);
    const held = await (await tenantPorts(env, stuck.tenantId)).lease.acquire('another-run', new Date(`${night}T00:59:00Z`), 3600);
    expect('release' in held).toBe(true);
    const host = await startWorkers(env, lab.world);
    try {
      const fanned = await openNight(env, lab.sandbox.tenants, night);
      expect([...fanned.enqueued].sort()).toEqual([stuck.tenantId, unconsented.tenantId, healthy.tenantId].sort());
      const settled = await waitSettled(host, 0, 3);
      const maxDequeueCount = host.settings.maxDequeueCount;
      // the stuck tenant's attempts: released maxDequeueCount − 1 times, then moved to the poison queue
      const attempts = host.events.filter((event) => event.type === 'settled' && event.error?.includes(stuck.tenantId) === true);
      expect(attempts.map((event) => event.type === 'settled' && event.outcome)).toEqual([...Array<string>(maxDequeueCount - 1).fill('released'), 'poisoned']);
      expect(settled.filter((event) => event.type === 'settled' && event.outcome === 'deleted')).toHaveLength(2);
      expect(host.logs.some((line) => line.entry?.category.startsWith('Host.') === true && line.entry.message.includes(`Message has reached MaxDequeueCount of ${maxDequeueCount}`))).toBe(true);
    } finally {
      await host.stop();
    }
    expect(await poisonMessages(env)).toEqual([{ tenantId: stuck.tenantId, night, enqueuedAt: expect.any(String) }]);
    const events = functionEvents(host);
    expect(events.filter((event) => event.tenantId === stuck.tenantId && event.event === 'tenant.failed').map((event) => event['errorCode'])).toEqual(Array<string>(host.settings.maxDequeueCount).fill('LEASE_HELD'));
    expect(writesOf(stuck)).toEqual([]);

    // the unconsented tenant: named, with the URL its administrator visits, once (not retried), nothing written
    const refusals = events.filter((event) => event.tenantId === unconsented.tenantId && event.event === 'tenant.failed');
    expect(refusals).toEqual([expect.objectContaining({ level: 'error', errorCode: 'TENANT_NOT_CONSENTED', message: expect.stringContaining(`${lab.sandbox.origin}/${unconsented.tenantId}/adminconsent?client_id=${lab.sandbox.clientId}`) })]);
    expect(writesOf(unconsented)).toEqual([]);

    // the healthy tenant ran its night as if alone
    expect(events).toContainEqual(expect.objectContaining({ event: 'tenant.nightDone', tenantId: healthy.tenantId, status: 'completed' }));
    expect(notEnforced(healthy)).toEqual([]);
  }, 180_000);
});
