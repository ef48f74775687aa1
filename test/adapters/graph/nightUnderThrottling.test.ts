import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../shared/log/logEvent.js';
import { runWave } from '../../../shared/shell/runWave.js';
import { expectedStanding } from '../../../rehearsal/expectedStanding.js';
import { useSandboxTenant } from '../../helpers/sandboxTenant.js';
import { landedPerUser } from './helpers/gatewayHarness.js';

// Graph's quota shape with a small write bucket and windows 100× shorter: 20 writes, refilled at ~13 per second.
// The rollout starts pacing at 100 writes per second, so it runs into 429s and has to find the quota.
const tenant = useSandboxTenant({ users: 80, seed: 11, quota: { appWrites: 20, appWriteWindowSeconds: 150, timeScale: 100 } });

describe('a night under throttling (runWave against a small write quota)', () => {
  it('writes one phone method and one enforcement per enforced user, exactly once each, riding out the 429s', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({
      MFA_PILOT_GROUP_ID: '',
      MFA_WAVE_SIZE: '1000',
      MFA_MAX_WAVE_SIZE: '1000',
      MFA_GRAPH_CONCURRENCY: '4',
      MFA_GRAPH_WRITES_PER_SECOND: '100',
      MFA_GRAPH_MAX_ATTEMPTS: '10',
    });
    const before = sandbox.traffic.stats();
    const journalFrom = sandbox.journal.entries().length;

    const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'throttled-night' });

    const after = sandbox.traffic.stats();
    const toEnforce = sandbox.manifest.users.filter((user) => expectedStanding[user.category] === 'enforced');
    // a valid synced mobile and no phone method (a passkey does not stop the phone track)
    // a user with a passkey (and a valid mobile) can do MFA already: the journey pre-registers no phone for them
    const needsPhone = toEnforce.filter((user) => user.category === 'ready' || user.category === 'readyNational');
    const needsEnforcement = toEnforce.filter((user) => user.category !== 'alreadyEnforced');
    expect(result.outcome).toBe('wave');
    if (result.outcome !== 'wave') return;
    expect(result.wave).toMatchObject({ status: 'completed', enforced: toEnforce.length, failed: 0, phoneMethodsRegistered: needsPhone.length });

    // 429s really happened, on writes among others
    const throttled = after.throttled.total - before.throttled.total;
    expect(throttled).toBeGreaterThan(0);
    const writes = sandbox.journal.entries(journalFrom);
    expect(writes.some((entry) => entry.status === 429)).toBe(true);

    // exactly one successful phone-method write and one enforcement write per user, none for anyone else
    const phones = landedPerUser(writes, 'phoneMethods.create');
    const enforcements = landedPerUser(writes, 'requirements.update');
    expect([...phones.keys()].sort()).toEqual(needsPhone.map((user) => user.id).sort());
    expect([...enforcements.keys()].sort()).toEqual(needsEnforcement.map((user) => user.id).sort());
    expect([...phones.values(), ...enforcements.values()].every((count) => count === 1)).toBe(true);
    expect(writes.filter((entry) => entry.status < 300)).toHaveLength(needsPhone.length + needsEnforcement.length);
    expect(after.duplicateWrites.total - before.duplicateWrites.total).toBe(0);

    // one retry layer: every exchange the sandbox saw is one the gateway made
    const operations = (stats: typeof before) => stats.requests.total - stats.requests.batchEnvelopes + stats.requests.batchItems;
    const { gateway } = rollout.ports;
    expect(operations(after) - operations(before)).toBe(gateway.stats.attempts);
    expect(gateway.stats.attempts).toBe(gateway.stats.calls + gateway.stats.retries);
    expect(gateway.stats.throttled).toBe(throttled);
    expect(gateway.stats.batches).toBeGreaterThan(0);
  });
});
