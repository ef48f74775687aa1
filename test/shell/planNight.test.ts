import { describe, expect, it } from '@jest/globals';
import { renderPlan } from '../../shared/cli/renderPlan.js';
import { mobileReasons } from '../../shared/core/readiness.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { planNight } from '../../shared/shell/planNight.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 80, seed: 81 });
const quiet = createLogger(() => undefined);

describe('mfa-rollout plan: what tonight will do', () => {
  it('counts each ring in rollout order, and shows the phone reason of users whose methods were never read, with how many get read', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ MFA_NOTICE_DAYS: '2' });
    const dryRun = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: true, runId: 'plan' });
    const { plan } = dryRun;
    const ringNames = ['pilot', ...config.rings.map((ring) => ring.name), 'everyone'];
    expect(plan.rings.map((ring) => ring.ring)).toEqual(ringNames);
    expect(plan.rings.reduce((sum, ring) => sum + ring.users, 0)).toBe(80);
    expect(plan.rings[0]?.users).toBeGreaterThan(0);

    // nobody's methods were read yet: they wait under the phone's reason, and every one of them is due a read
    const withoutMobile = mobileReasons.reduce((sum, reason) => sum + plan.waiting[reason], 0);
    expect(plan.waiting.mobileMissing).toBeGreaterThanOrEqual(sandbox.manifest.counts.missingMobile);
    expect(plan.probeDue).toBe(withoutMobile);

    const text = renderPlan(dryRun, { show: 5 });
    expect(text).not.toContain('methodsUnknown');
    expect(text).toContain(`Of the ${withoutMobile} without a usable mobile, ${withoutMobile} have their MFA methods read first (${plan.probe.length} tonight, the rest on later nights)`);
    const section = text.slice(text.indexOf('By ring, in rollout order:'), text.indexOf('Everyone else'));
    const rows = section.split('\n').slice(2, -1).map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row[0])).toEqual(ringNames);
    for (const [index, ring] of plan.rings.entries()) expect(rows[index]?.slice(1, 4)).toEqual([ring.users, ring.planned, ring.announced].map(String));
    expect(text).toMatch(/^ {2}pilot +\d+ +\d+ +\d+ {2}.*awaitingNotice \d+/m);

    // the night reads those methods: the users with an authenticator app become ready, the others keep their phone reason
    await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'night' });
    const after = (await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-after' })).plan;
    const stillWithout = mobileReasons.reduce((sum, reason) => sum + after.waiting[reason], 0);
    // the night read the methods of tonight's share (at most 5 × the wave's target): those with a method (an
    // authenticator app, a passkey, or a hardware OATH token only beta's list shows) became ready, the rest wait
    const withMethod = new Set(sandbox.manifest.users.filter((user) => ['authenticatorOnly', 'passkeySynced', 'hardwareOathOnly'].includes(user.category)).map((user) => user.id));
    const probedWithMethod = plan.probe.filter((id) => withMethod.has(id)).length;
    expect(probedWithMethod).toBeGreaterThan(0);
    expect(stillWithout).toBe(withoutMobile - probedWithMethod);
    expect(after.probeDue).toBe(withoutMobile - plan.probe.length);
  });

  it('nothing runs tonight when the tenant gate is closed: the reason, and the setting that decides it', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ MFA_MAX_SYNC_AGE_MINUTES: '120' });
    try {
      sandbox.controls.setOrganization({ lastSyncAgeMinutes: 300 });
      const stale = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-stale' });
      expect(stale.holds).toEqual([{ kind: 'syncGate', reason: 'the last directory sync was 300 min ago, longer than MFA_MAX_SYNC_AGE_MINUTES=120' }]);
      const text = renderPlan(stale, { show: 0 });
      expect(text).toMatch(/^Tenant gate: CLOSED \(syncStale, last sync 300 min ago\)$/m);
      expect(text).toMatch(/^Nothing runs tonight: the tenant gate is closed: the last directory sync was 300 min ago, longer than MFA_MAX_SYNC_AGE_MINUTES=120\.$/m);

      sandbox.controls.setOrganization({ onPremisesSyncEnabled: false });
      const off = renderPlan(await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-off' }), { show: 0 });
      expect(off).toMatch(/^Nothing runs tonight: the tenant gate is closed: directory sync is switched off for the tenant, and MFA_REQUIRE_DIRECTORY_SYNC=true requires it/m);
    } finally {
      sandbox.controls.setOrganization({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 20 });
    }
    const open = renderPlan(await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-open' }), { show: 0 });
    expect(open).not.toContain('Nothing runs tonight');
  });
});
