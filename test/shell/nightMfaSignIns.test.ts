import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { runWave } from '../../shared/shell/runWave.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 71 });
const dayMs = 86_400_000;
const wholeTenantTonight = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000' };

function capture(): { logger: ReturnType<typeof createLogger>; events: (name: string) => Record<string, unknown>[] } {
  const lines: { level: string; line: Record<string, unknown> }[] = [];
  const logger = createLogger((level, line) => lines.push({ level, line: JSON.parse(line) as Record<string, unknown> }));
  return { logger, events: (name) => lines.filter((entry) => entry.line['event'] === name).map((entry) => ({ level: entry.level, ...entry.line })) };
}

async function mfaSeen(ports: RolloutPorts): Promise<Map<string, string | null>> {
  const seen = new Map<string, string | null>();
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (progress.state === 'new' || progress.state === 'announced') continue;
    if (progress.journey.steps.enforceMfa !== undefined) seen.set(row.user.directory.id, progress.journey.mfaSeenAt);
  }
  return seen;
}

describe('the night reads the sign-in log once, for the users it looks at', () => {
  it('sees exactly the enforced users who signed in with MFA since, from one read of the beta sign-in log; none on the entry night', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(wholeTenantTonight);
    const first = capture();
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: first.logger, runId: 'enter' });
    expect(night1.outcome).toBe('wave');
    // nobody was looked at in check mode on the entry night: the log is not read
    expect(first.events('signIns.read')).toEqual([]);
    const enforced = sandbox.manifest.users.filter((user) => expectedStanding[user.category] === 'enforced').map((user) => user.id);
    expect(enforced.length).toBeGreaterThan(6);

    // during the week a third of them sign in (per-user MFA enforced: each does MFA)
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 2 * dayMs));
    const signedIn = enforced.slice(0, Math.floor(enforced.length / 3));
    for (const id of signedIn) expect(sandbox.controls.signIn(id).mfaRequired).toBe(true);
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 5 * dayMs));

    const week = capture();
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: week.logger, runId: 'week' });
    expect(night.outcome).toBe('wave');
    expect(week.events('signIns.read')).toEqual([expect.objectContaining({ users: signedIn.length })]);
    expect(week.events('signIns.unavailable')).toEqual([]);
    const seen = await mfaSeen(rollout.ports);
    const signIns = new Map(sandbox.state.signIns().map((signIn) => [signIn.userId, new Date(Math.floor(signIn.atMs / 1000) * 1000).toISOString()])); // Graph gives whole seconds
    for (const id of enforced) expect(seen.get(id)).toBe(signedIn.includes(id) ? signIns.get(id) : null);
  });

  it('goes on without the signal when the tenant has no licence for the sign-in log: one warning naming the cause, no failure', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(wholeTenantTonight);
    await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger(() => undefined), runId: 'enter' });
    const before = await mfaSeen(rollout.ports);
    sandbox.controls.setRegistrationReport({ licensed: false });
    try {
      sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + 7 * dayMs));
      const { logger, events } = capture();
      const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger, runId: 'unlicensed' });
      expect(night.outcome).toBe('wave');
      if (night.outcome !== 'wave') return;
      expect(night.wave).toMatchObject({ failed: 0, journey: { checked: before.size } });
      expect(events('signIns.unavailable')).toEqual([expect.objectContaining({ level: 'warn', reason: 'licence', errorCode: 'GRAPH_PERMISSION_MISSING' })]);
      expect([...(await mfaSeen(rollout.ports)).values()].every((at) => at === null)).toBe(true);
    } finally {
      sandbox.controls.setRegistrationReport({ licensed: true });
    }
  });
});
