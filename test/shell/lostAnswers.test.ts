import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { createLogger } from '../../shared/log/logEvent.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant, type SandboxTenant } from '../helpers/sandboxTenant.js';

const quiet = createLogger(() => undefined);
/** Everyone ready tonight, one request per call, and a client that gives up on Graph after 1 s. */
const tonight = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_GRAPH_USE_BATCH: 'false', MFA_GRAPH_TIMEOUT_SECONDS: '1' };

async function progressOf(ports: RolloutPorts, userId: string): Promise<RolloutProgress | undefined> {
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row) && row.user.directory.id === userId) return row.user.progress;
  return undefined;
}

const writesOf = (tenant: () => SandboxTenant, userId: string, operation: string) =>
  tenant().sandbox.journal.entries().filter((entry) => entry.userId === userId && entry.operation === operation).map((entry) => entry.status);

describe('a write Graph applied and never answered', () => {
  // each night enforces every ready user: each case has a tenant of its own
  const tenant = useSandboxTenant({ users: 40, seed: 61, faults: { latency: false } });
  it('a write Graph applied and never answered is read back, not sent again, and recorded as the wave\'s', async () => {
    const { sandbox } = tenant();
    const [phoneUser, mfaUser] = sandbox.manifest.users.filter((user) => user.category === 'ready').map((user) => user.id) as [string, string];
    sandbox.traffic.addFault({ kind: 'loseAnswer', operations: ['phoneMethods.create'], userIds: [phoneUser], count: 1 });
    sandbox.traffic.addFault({ kind: 'loseAnswer', operations: ['requirements.update'], userIds: [mfaUser], count: 1 });
    const { config, rollout } = await tenant().open(tonight);
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'lost-1' });
    expect(night.outcome).toBe('wave');
    expect(sandbox.traffic.stats().injected.answersLost).toBe(2);
    // one write each, no second (blind) one: the read-back found it landed
    expect(writesOf(tenant, phoneUser, 'phoneMethods.create')).toEqual([201]);
    expect(writesOf(tenant, mfaUser, 'requirements.update')).toEqual([204]);
    expect(sandbox.traffic.stats().duplicateWrites.total).toBe(0);
    for (const userId of [phoneUser, mfaUser]) {
      expect(sandbox.state.perUserMfaState(userId)).toBe('enforced');
      expect(await progressOf(rollout.ports, userId)).toMatchObject({ state: 'active', journey: { steps: { enforceMfa: { wrote: true } } } });
    }
    expect(await progressOf(rollout.ports, phoneUser)).toMatchObject({ journey: { steps: { phoneMethod: { wrote: true, action: 'create' } } } });
  });

});

describe('a write Graph applied after the rollout gave up on its answer', () => {
  const tenant = useSandboxTenant({ users: 40, seed: 62, faults: { latency: false } });

  it('a write still under way when its client gave up stays in flight, and the next run records it as the wave\'s (a rollback reaches it)', async () => {
    const { sandbox } = tenant();
    const [slowUser] = sandbox.manifest.users.filter((user) => user.category === 'ready').map((user) => user.id) as [string];
    // Graph applies the create 6 s after it arrived; the rollout stopped waiting after 1 s and read the methods at once
    // (5 s of margin: on a loaded 2-core machine the read-back has been seen to start more than 0.8 s late)
    sandbox.traffic.addFault({ kind: 'latency', minMs: 6000, maxMs: 6000, operations: ['phoneMethods.create'], userIds: [slowUser], count: 1 });
    const { config, rollout } = await tenant().open(tonight);
    const first = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'slow-1' });
    expect(first.outcome).toBe('wave');
    if (first.outcome !== 'wave') return;
    // not seen yet is no verdict: the write-ahead record stays for the next run
    expect(await progressOf(rollout.ports, slowUser)).toMatchObject({ state: 'inFlight', pending: { step: 'phoneMethod', waveId: first.wave.waveId } });
    const failures = await rollout.ports.failures.forWave(first.wave.waveId);
    expect(failures.filter((failure) => failure.userId === slowUser).map((failure) => failure.errorCode)).toEqual(['GRAPH_TIMEOUT']);
    while (writesOf(tenant, slowUser, 'phoneMethods.create').length === 0) await new Promise((resolve) => setTimeout(resolve, 100));

    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 86_400_000));
    const second = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'slow-2' });
    expect(second.outcome).toBe('wave');
    expect(writesOf(tenant, slowUser, 'phoneMethods.create')).toEqual([201]);
    // the create the first wave made is on record as that wave's write: `rollback --remove-phone-methods` removes it
    expect(await progressOf(rollout.ports, slowUser)).toMatchObject({
      state: 'active',
      journey: { steps: { phoneMethod: { wrote: true, action: 'create', waveId: first.wave.waveId }, enforceMfa: { wrote: true } } },
    });
    expect(sandbox.state.perUserMfaState(slowUser)).toBe('enforced');
  });
});
