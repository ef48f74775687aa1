import { beforeAll, describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import type { RosterUser } from '../../shared/core/rosterUser.js';
import { checkJournalEntries, type JournalContext } from '../../rehearsal/checkJournal.js';
import { checkOutcome } from '../../rehearsal/checkOutcome.js';
import { readTenantUsers } from '../../rehearsal/readTenantUsers.js';
import type { SandboxTenantHandle } from '../../sandbox/startSandbox.js';
import { deploymentEnv, fastQueues, functionEvents, nightDate, notEnforced, openNight, register, startWorkers, tenantPorts, waitSettled, useQueuePathWorld } from './queuePathFixture.js';

/**
 * A queue-host worker SIGKILLed mid-message, right after the k-th write landed in its tenant's journal (as
 * chaos/rolloutLab.ts `killAt` does): the message comes back once its lease runs out (here 17 s instead of the host's
 * 10 minutes, renewed at half as the host does), is run by the other worker and, as the night's wave already started,
 * does nothing (`alreadyRan`). When it comes back before the dead run's 15 s run lease has lapsed (the message lease
 * was renewed shortly before the kill), the night is LEASE_HELD and the message is retried after the visibility
 * timeout, which is longer than the run lease (16 s here; host.json 6 minutes against the default 300 s). The next night
 * reconciles the users the dead run left in flight and enters the rest. The end: every enforceable user enforced in
 * Graph, no write landed twice, and every roster claim borne out by the tenant.
 */

const killAtWrite = 8;
const lab = useQueuePathWorld({ tenants: [{ users: 40, seed: 311 }, { users: 24, seed: 312 }] });
let tenant: SandboxTenantHandle;
let bystander: SandboxTenantHandle;

beforeAll(() => {
  [tenant, bystander] = lab.sandbox.tenants as [SandboxTenantHandle, SandboxTenantHandle];
});

const noWitnesses = new Map();

function duplicates(handle: SandboxTenantHandle): number {
  const context: JournalContext = { breakGlassIds: new Set(), excludedIds: new Set(), globalAdminIds: new Set(), phishingResistantGroupId: undefined, smsDelivery: 'customerManaged', smsRetirementDate: '2099-01-01', smsRetirementDateAdmins: '2099-01-01' };
  return checkJournalEntries(handle.journal.entries(), noWitnesses, context).duplicateWrites;
}

describe('a worker killed mid-message', () => {
  it('is redelivered after its lease, does nothing twice, and the next night finishes what the dead run left in flight', async () => {
    const env = deploymentEnv(lab.sandbox, lab.world, { MFA_LEASE_SECONDS: '15' });
    const waveSettings = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '100', MFA_MAX_WAVE_SIZE: '100', MFA_GRAPH_CONCURRENCY: '4' };
    await register(env, lab.sandbox, tenant, waveSettings);
    await register(env, lab.sandbox, bystander, waveSettings);
    const host = await startWorkers(env, lab.world, 2, { ...fastQueues, messageLeaseMs: 17_000, visibilityTimeoutMs: 16_000 });
    let killedWorker = -1;
    let seen = 0;
    const stopWatching = tenant.journal.onWrite(() => {
      seen += 1;
      if (seen !== killAtWrite) return;
      const started = host.events.find((event) => event.type === 'started' && event.dequeueCount === 1 && runsTenant(event.invocationId));
      killedWorker = started?.worker ?? -1;
      if (killedWorker >= 0) void host.kill(killedWorker);
    });
    const runsTenant = (invocationId: string) => functionEvents(host).some((event) => event['runId'] === invocationId && event['tenantId'] === tenant.tenantId);
    try {
      const first = await openNight(env, lab.sandbox.tenants, nightDate(0));
      expect([...first.enqueued].sort()).toEqual([tenant.tenantId, bystander.tenantId].sort());
      // the bystander's message is deleted by its worker; the killed one's comes back with dequeue count 2 and settles
      const settled = await waitSettled(host, 0, 2, 90_000);
      stopWatching();
      expect(killedWorker).toBeGreaterThanOrEqual(0);
      const outcomes = settled.map((event) => (event.type === 'settled' ? [event.outcome, event.dequeueCount] : []));
      // the bystander's at once; the killed one's redelivered (once, or again after a LEASE_HELD), never poisoned
      expect(outcomes).toContainEqual(['deleted', 1]);
      expect(outcomes.filter(([outcome]) => outcome === 'deleted')).toHaveLength(2);
      expect(outcomes.filter(([outcome, count]) => outcome === 'deleted' && Number(count) >= 2)).toHaveLength(1);
      const redelivered = functionEvents(host).filter((event) => event.tenantId === tenant.tenantId && event.event === 'tenant.redelivered');
      expect(redelivered.length).toBeGreaterThanOrEqual(1);
      expect(redelivered.length).toBeLessThanOrEqual(2);
      expect(functionEvents(host).filter((event) => event.tenantId === tenant.tenantId && event.event === 'tenant.nightDone')).toEqual([expect.objectContaining({ outcome: 'alreadyRan' })]);
      expect(notEnforced(bystander)).toEqual([]);
      const leftAfterFirstNight = notEnforced(tenant);

      // the next night: the users left in flight are read back and finished, the others entered
      const from = host.events.length;
      await openNight(env, lab.sandbox.tenants, nightDate(1));
      await waitSettled(host, from, 2, 90_000);
      expect(notEnforced(tenant)).toEqual([]);
      expect(leftAfterFirstNight.length).toBeGreaterThan(0);
    } finally {
      stopWatching();
      await host.stop();
    }
    for (const handle of [tenant, bystander]) {
      expect(duplicates(handle)).toBe(0);
      expect(handle.traffic.stats().duplicateWrites.total).toBe(0);
    }
    // every claim the roster makes is borne out by the tenant's own state
    const roster: RosterUser[] = [];
    for await (const row of (await tenantPorts(env, tenant.tenantId)).roster.rows()) if (!isCorruptRow(row)) roster.push(row.user);
    expect(checkOutcome(roster, await readTenantUsers(tenant.tenantAdminUrl, lab.sandbox.caPem), tenant.manifest.users)).toEqual([]);
  }, 240_000);
});
