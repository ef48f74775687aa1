import { describe, expect, it } from '@jest/globals';
import { renderPlan } from '../../shared/cli/renderPlan.js';
import { mobileReasons } from '../../shared/core/readiness.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { planNight } from '../../shared/shell/planNight.js';
import { runWave } from '../../shared/shell/runWave.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
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
      // a fixed instant, not an age the sandbox applies when it answers (that would be a little younger than `now`)
      sandbox.controls.setOrganization({ onPremisesLastSyncDateTime: new Date(sandbox.state.now().getTime() - 300 * 60_000).toISOString() });
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

  it('shows the night as the night makes it: the SMS calendar, the methods posture, and who in the journey is looked at', async () => {
    const { sandbox } = tenant();
    const everyone = { MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_NOTICE_DAYS: '0' };
    const { config, rollout } = await tenant().open(everyone);
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'night-1' });
    if (night.outcome !== 'wave') throw new Error(`expected a wave, got ${night.outcome}`);
    const start = sandbox.state.now();
    try {
      // a week on, the phone track looks at every user MFA was required of
      sandbox.controls.setNow(new Date(start.getTime() + 7 * 86_400_000));
      const dryRun = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-week' });
      expect(dryRun.track).toEqual({ advance: 0, check: night.wave.enforced, deferred: { advance: 0, check: 0 } });
      expect(dryRun.posture?.sms.delivery).toBe('customerManaged');
      const text = renderPlan(dryRun, { show: 0 });
      expect(text).toContain(`Already in the journey: 0 registered user(s) move on tonight (phishing-resistant, off SMS), ${night.wave.enforced} looked at`);
      expect(text).toMatch(/^SMS and voice: .+$/m);
      expect(text).toMatch(/^Methods posture: nothing blocks the night/m);
      const limited = await planNight({ ...config, checksPerNight: 5 }, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-limited' });
      expect(limited.track).toEqual({ advance: 0, check: 5, deferred: { advance: 0, check: night.wave.enforced - 5 } });
    } finally {
      sandbox.controls.setNow(start);
    }
  });

  it('a blocking methods posture holds the night, and the plan says why with the fix', async () => {
    const { sandbox } = tenant();
    // the passkey track in waves mode needs the campaign set up: the sandbox's tenant is as Microsoft left it
    const { config, rollout } = await tenant().open({ ...passkeyTrackSettings, MFA_NOTICE_DAYS: '0' });
    const dryRun = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: true, runId: 'plan-posture' });
    expect(dryRun.posture?.blocked).toBe(true);
    expect(dryRun.holds.map((hold) => hold.kind)).toEqual(['posture']);
    const text = renderPlan(dryRun, { show: 0 });
    expect(text).toMatch(/^Nothing runs tonight: methods posture: .*campaignOff: .+ Fix: .+setup-passkeys --apply/m);
    // the night agrees: held, nothing written
    const before = sandbox.journal.entries().length;
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'night-posture' });
    expect(night.outcome === 'held' && night.code).toBe('PREFLIGHT_FAILED');
    expect(sandbox.journal.entries().length).toBe(before);
  });
});
