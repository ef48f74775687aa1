import { beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { deploymentEnv, enforcedIds, functionEvents, nightDate, notEnforced, openNight, register, startWorkers, tenantPorts, waitSettled, useQueuePathWorld } from './queuePathFixture.js';

/**
 * Two tenants of one multi-tenant sandbox, registered with different settings, run side by side through the real
 * queue path (fan-out → Azurite queue → two queue-host workers running tenantNight): the one whose MFA writes Graph
 * refuses halts on its failure threshold, the other finishes its wave, and each tenant's Graph state (read from its
 * own sandbox tenant) shows only its own rollout.
 */

const lab = useQueuePathWorld({ tenants: [{ users: 40, seed: 301 }, { users: 30, seed: 302 }] });
let halting: SandboxTenantHandle;
let finishing: SandboxTenantHandle;

beforeAll(() => {
  [halting, finishing] = lab.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle];
});

const successfulWrites = (tenant: SandboxTenantHandle, operation: string) => tenant.journal.entries().filter((entry) => entry.operation === operation && entry.status < 300);

describe('two tenants side by side on the queue path', () => {
  it('one halts on its failure threshold while the other finishes, each with its own settings and Graph state', async () => {
    const env = deploymentEnv(lab.sandbox, lab.world);
    await register(env, lab.sandbox, halting, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '20', MFA_MAX_WAVE_SIZE: '20', MFA_GRAPH_MAX_ATTEMPTS: '2', MFA_HALT_MIN_ATTEMPTS: '10' });
    await register(env, lab.sandbox, finishing, { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100' });
    const alreadyEnforced = new Set(enforcedIds(halting));
    halting.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], retryAfterSeconds: 0 });
    const host = await startWorkers(env, lab.world);
    try {
      const fanned = await openNight(env, lab.sandbox.tenants, nightDate(0));
      expect([...fanned.enqueued].sort()).toEqual([halting.tenantId, finishing.tenantId].sort());
      const settled = await waitSettled(host, 0, 2);
      expect(settled.map((event) => event.type === 'settled' && event.outcome)).toEqual(['deleted', 'deleted']);
      // both ran at once, one per worker: neither waited for the other
      expect(new Set(host.events.filter((event) => event.type === 'started').map((event) => event.worker)).size).toBe(2);
    } finally {
      await host.stop();
      halting.traffic.clearFaults();
    }

    const done = functionEvents(host).filter((event) => event.event === 'tenant.nightDone');
    expect(done).toEqual(expect.arrayContaining([
      expect.objectContaining({ tenantId: halting.tenantId, status: 'halted' }),
      expect.objectContaining({ tenantId: finishing.tenantId, status: 'completed' }),
    ]));
    // Graph's state, read from each tenant: the halting one took no MFA state (its writes were refused), the other
    // enforced every user its settings make enforceable, and every write each tenant saw addressed its own users
    expect(successfulWrites(halting, 'requirements.update')).toEqual([]);
    expect(enforcedIds(halting).filter((id) => !alreadyEnforced.has(id))).toEqual([]);
    expect(halting.journal.entries().filter((entry) => entry.operation === 'requirements.update').length).toBeGreaterThanOrEqual(10);
    expect(notEnforced(finishing)).toEqual([]);
    expect(successfulWrites(finishing, 'requirements.update').length).toBeGreaterThan(0);
    for (const tenant of [halting, finishing]) {
      const own = new Set(tenant.state.users.map((user) => user.id.toLowerCase()));
      expect(tenant.journal.entries().filter((entry) => entry.userId !== null && !own.has(entry.userId.toLowerCase()))).toEqual([]);
    }
    // each tenant's own partition of the tables
    expect((await (await tenantPorts(env, halting.tenantId)).waves.history()).map((wave) => wave.status)).toEqual(['halted']);
    expect((await (await tenantPorts(env, finishing.tenantId)).waves.history()).map((wave) => wave.status)).toEqual(['completed']);
  }, 180_000);
});
