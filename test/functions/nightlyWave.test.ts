import { describe, expect, it } from '@jest/globals';
import type { Timer } from '@azure/functions';
import { nightlyWave } from '../../functions/nightlyWave.js';
import { captureLogs } from '../helpers/captureLogs.js';
import { withEnvironment } from '../helpers/withEnvironment.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 5 });

function timer(isPastDue = false): Timer {
  return { isPastDue, schedule: { adjustForDST: true }, scheduleStatus: { last: '2026-11-24T01:00:00Z', next: '2026-11-26T01:00:00Z', lastUpdated: '2026-11-25T01:00:00Z' } };
}

describe('nightlyWave (timer function handler)', () => {
  it('runs the pilot wave against the sandbox tenant and Azurite, logging structured events', async () => {
    const { sandbox } = tenant();
    const { context, lines } = captureLogs('nightlyWave');
    const pilot = sandbox.state.findGroup(sandbox.manifest.groups.pilot);
    const journalBefore = sandbox.journal.entries().length;

    const result = await withEnvironment(tenant().settings({ MFA_WAVE_SCHEDULE: '0 0 1 * * *' }), () => nightlyWave(timer(), context));

    expect(result.outcome).toBe('wave');
    if (result.outcome !== 'wave') return;
    expect(result.wave.pilot).toBe(true);
    expect(result.wave.enforced).toBeGreaterThan(0);
    const enforcedIds = sandbox.journal.entries().slice(journalBefore).filter((entry) => entry.operation === 'requirements.update').map((entry) => entry.userId);
    expect(enforcedIds.length).toBeGreaterThan(0);
    expect(pilot).toBeDefined();
    // only pilot users are written in the pilot wave
    for (const id of enforcedIds) expect(sandbox.manifest.users.find((user) => user.id === id)).toBeDefined();
    const events = lines.map((line) => JSON.parse(line.slice(line.indexOf(' ') + 1)) as { event: string; runId: string });
    expect(events.map((event) => event.event)).toEqual(expect.arrayContaining(['roster.refreshed', 'wave.started', 'wave.closed']));
    expect(events.filter((event) => event.runId !== context.invocationId)).toEqual([]);
  });

  it('refuses to start with an invalid setting, naming it, and writes nothing', async () => {
    const { sandbox } = tenant();
    const { context, lines } = captureLogs('nightlyWave');
    const journalBefore = sandbox.journal.entries().length;
    const run = withEnvironment(tenant().settings({ MFA_WAVE_SIZE: 'lots', MFA_CLIENT_SECRET: 'super-secret-value' }), () => nightlyWave(timer(), context));
    await expect(run).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('MFA_WAVE_SIZE: expected') });
    expect(sandbox.journal.entries().length).toBe(journalBefore);
    expect(lines.join('\n')).toContain('config.invalid');
    expect(lines.join('\n')).not.toContain('super-secret-value');
  });

  it('a past-due timer is noted in the log and the night still runs', async () => {
    const { context, lines } = captureLogs('nightlyWave');
    const result = await withEnvironment(tenant().settings(), () => nightlyWave(timer(true), context));
    expect(['wave', 'nothingToDo']).toContain(result.outcome);
    expect(lines.some((line) => line.includes('"night.pastDue"'))).toBe(true);
  });
});
