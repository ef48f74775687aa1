import { describe, expect, it } from '@jest/globals';
import { renderPlan } from '../../shared/cli/renderPlan.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { planNight } from '../../shared/shell/planNight.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { runWave } from '../../shared/shell/runWave.js';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { uniqueTablePrefix } from '../helpers/azurite.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 73 });
const quiet = createLogger(() => undefined);
const dayMs = 86_400_000;

async function progressById(ports: RolloutPorts): Promise<Map<string, string>> {
  const progress = new Map<string, string>();
  for await (const row of ports.roster.rows()) if ('user' in row) progress.set(row.user.directory.id, JSON.stringify(row.user.progress));
  return progress;
}

/** Graph requests the sandbox answered (token requests to its authority not included). */
function graphRequests(): number {
  return Object.entries(tenant().sandbox.journal.counters().byRoute).filter(([route]) => / \/(v1\.0|beta)\//.test(route)).reduce((sum, [, count]) => sum + count, 0);
}

describe('the Graph permissions of the app, from its token', () => {
  it('a missing permission holds the night before any user is read or written, names it and the grant script, and costs nobody an attempt', async () => {
    const { sandbox } = tenant();
    const settings = { MFA_NOTICE_DAYS: '0', MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '8', MFA_GRAPH_MAX_ATTEMPTS: '1', MFA_TABLE_PREFIX: uniqueTablePrefix('perm') };
    // night 1 with every permission: 3 enforcement writes fail (503), so 3 users wait for a retry with 1 attempt each
    const granted = await tenant().open(settings);
    sandbox.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], count: 3 });
    const night1 = await runWave({ config: granted.config, clock: () => sandbox.state.now(), ports: granted.rollout.ports, logger: quiet, runId: 'granted' });
    expect(night1.outcome === 'wave' ? night1.wave.failed : -1).toBe(3);

    // the consent for per-user MFA writes is withdrawn; a new token carries the roles left
    sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'Policy.ReadWrite.AuthenticationMethod'));
    try {
      const withdrawn = await tenant().open(settings);
      const before = await progressById(withdrawn.rollout.ports);
      const requestsBefore = graphRequests();
      const journalBefore = sandbox.journal.entries().length;
      sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));

      const night2 = await runWave({ config: withdrawn.config, clock: () => sandbox.state.now(), ports: withdrawn.rollout.ports, logger: quiet, runId: 'withdrawn' });
      expect(night2.outcome).toBe('held');
      if (night2.outcome !== 'held') return;
      expect(night2.code).toBe('GRAPH_PERMISSION_MISSING');
      expect(night2.wave).toMatchObject({ kind: 'held', status: 'held', planned: 0, attempted: 0 });
      expect(night2.wave.reason).toContain('Policy.ReadWrite.AuthenticationMethod');
      expect(night2.wave.reason).toContain('infra/grant-graph-permissions.sh perUserMfa');
      // nothing read from Graph, nothing written, every user exactly as before (the 3 retries still at 1 attempt)
      expect(graphRequests()).toBe(requestsBefore);
      expect(sandbox.journal.entries().length).toBe(journalBefore);
      expect(await progressById(withdrawn.rollout.ports)).toEqual(before);
      expect([...before.values()].filter((progress) => progress.includes('"state":"failed"') && progress.includes('"attempts":1'))).toHaveLength(3);
      expect(await withdrawn.rollout.ports.failures.forWave(night2.wave.waveId)).toEqual([]);
      expect((await withdrawn.rollout.ports.waves.history()).map((wave) => wave.waveId)).toContain(night2.wave.waveId);

      // and `plan` says so
      const dryRun = await planNight(withdrawn.config, withdrawn.rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan' });
      const text = renderPlan(dryRun, { show: 0 });
      expect(text).toMatch(/^Graph permissions: MISSING Policy\.ReadWrite\.AuthenticationMethod$/m);
      expect(text).toMatch(/^Nothing runs tonight: the app lacks the Microsoft Graph application permission\(s\) Policy\.ReadWrite\.AuthenticationMethod .*infra\/grant-graph-permissions\.sh perUserMfa/m);
      expect(dryRun.holds.map((hold) => hold.kind)).toEqual(['permissions']);
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('a higher permission that includes a needed one counts: the night runs', async () => {
    const { sandbox } = tenant();
    // Directory.Read.All instead of User.Read.All, Organization.Read.All and GroupMember.Read.All
    sandbox.controls.setRoles([...defaultAppRoles.filter((role) => !['User.Read.All', 'Organization.Read.All', 'GroupMember.Read.All'].includes(role)), 'Directory.Read.All']);
    try {
      const { config, rollout } = await tenant().open({ MFA_NOTICE_DAYS: '0', MFA_PILOT_GROUP_ID: '' });
      const dryRun = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: true, runId: 'plan-higher' });
      expect(dryRun.permissions.verdict).toBe('granted');
      expect(dryRun.holds).toEqual([]);
      expect(renderPlan(dryRun, { show: 0 })).toMatch(/^Graph permissions: the \d+ the settings need are granted$/m);
      expect(dryRun.plan.total).toBe(60);
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
