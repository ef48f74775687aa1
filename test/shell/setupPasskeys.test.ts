import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { readTenantPosture } from '../../shared/shell/readTenantPosture.js';
import { refreshRoster } from '../../shared/shell/refreshRoster.js';
import { openRollout, type RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { restorePasskeySetup, setupPasskeys } from '../../shared/shell/setupPasskeys.js';
import type { MethodsPolicy, MethodsPolicyScenario } from '../../sandbox/tenant/methodsPolicyModel.js';
import { runCli } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';

const tenant = useSandboxTenant({ users: 50, seed: 23 });
const quiet = createLogger(() => undefined);
const options = { allUsers: false, campaignGroupOnly: false, runId: 'setup-test' };

/** The policy without its timestamp, to compare states before and after. */
const stateOf = (policy: MethodsPolicy): Omit<MethodsPolicy, 'lastModifiedDateTime'> => {
  const { lastModifiedDateTime: _at, ...rest } = policy;
  return structuredClone(rest);
};

describe('setup-passkeys against the sandbox tenant', () => {
  let tables: Record<string, string>;
  const withPorts = async <T>(overrides: Record<string, string>, use: (config: ReturnType<typeof loadConfig>, ports: RolloutPorts) => Promise<T>): Promise<T> => {
    const config = loadConfig({ ...tables, ...overrides });
    const rollout = await openRollout(config, quiet);
    try {
      return await use(config, rollout.ports);
    } finally {
      await rollout.close();
    }
  };
  const scenario = (name: MethodsPolicyScenario) => tenant().sandbox.controls.setMethodsPolicy({ scenario: name });
  const policy = () => tenant().sandbox.state.methodsPolicy();
  const writesSince = (from: number) => tenant().sandbox.journal.entries(from).map((entry) => `${entry.operation} ${entry.status}`);

  beforeAll(async () => {
    tables = tenant().settings(passkeyTrackSettings);
    await withPorts({}, (config, ports) => refreshRoster(ports.gateway, ports.roster, config, 'refresh-setup', quiet));
  });
  afterEach(() => {
    scenario('default');
    process.exitCode = undefined;
  });

  it('dry run: shows the before/after difference and writes nothing, in Graph or the tables', async () => {
    const from = tenant().sandbox.journal.entries().length;
    const text = await runCli(tables, 'setup-passkeys', '--dry-run');
    const { campaign, phoneRetired } = tenant().sandbox.manifest.groups;
    expect(text).toContain(`SMS:\n  - exclude the phone-retired group ${phoneRetired}\n    excludeTargets: [] -> ${phoneRetired}`);
    expect(text).toContain(`Registration campaign:\n  - state Microsoft managed -> enabled\n  - include the campaign group ${campaign} with fido2\n    state: default -> enabled\n    includeTargets: all_users (fido2) -> all_users (fido2), ${campaign} (fido2)`);
    expect(text).toContain('Left as it is:\n  - the registration campaign: all users stay included (everyone is nudged, not wave by wave); --campaign-group-only leaves only the campaign group');
    expect(text).toContain('Dry run: 2 write(s) planned, nothing written. Run with --apply to make them.');
    expect(text).toContain('Preflight: BLOCKED by phoneRetiredNotExcluded, campaignOff, campaignMissesGroup');
    expect(writesSince(from)).toEqual([]);
    expect(stateOf(policy())).toEqual(stateOf(structuredClone(policy())));
  });

  it('apply: writes exactly what was missing, records the before-state, and the preflight passes; restore puts the policy back', async () => {
    const before = stateOf(policy());
    const from = tenant().sandbox.journal.entries().length;
    const logLines: string[] = [];
    const logged = createLogger((_level, line) => logLines.push(line));
    const applied = await withPorts({}, (config, ports) => setupPasskeys(config, ports, logged, new Date(), { ...options, apply: true }));
    expect(writesSince(from)).toEqual(['methodConfigurations.update 204', 'methodsPolicy.update 200']);
    // the log line names the id `--restore` takes (not REDACTED: no run of digits a phone number could be)
    const appliedLine = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['event'] === 'setup.applied');
    expect(appliedLine).toMatchObject({ setupId: applied.setupId, calls: 2 });
    const { campaign, phoneRetired } = tenant().sandbox.manifest.groups;
    expect(policy().authenticationMethodConfigurations.Sms.excludeTargets).toEqual([{ id: phoneRetired, targetType: 'group' }]);
    expect(policy().registrationEnforcement.authenticationMethodsRegistrationCampaign).toMatchObject({
      state: 'enabled',
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
      includeTargets: [{ id: 'all_users', targetedAuthenticationMethod: 'fido2' }, { id: campaign, targetType: 'group', targetedAuthenticationMethod: 'fido2' }],
    });
    expect(applied.posture.blocked).toBe(false);
    expect(applied.posture.problems.map((problem) => problem.code)).toEqual(['campaignIncludesEveryone']);
    const setupId = applied.setupId ?? '';
    expect(setupId).toMatch(/^setup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{4}$/);
    const record = await withPorts({}, (_config, ports) => ports.setup.get(setupId));
    expect(record).toMatchObject({ targetMethod: 'passkey', campaignMode: 'waves', appliedAt: expect.any(String), restoredAt: null });
    expect(record.writes.map((write) => write.target)).toEqual(['sms', 'campaign']);

    expect(await runCli(tables, 'preflight')).toContain('Preflight: passed.');
    expect(process.exitCode).toBeUndefined();

    const restoreFrom = tenant().sandbox.journal.entries().length;
    const text = await runCli(tables, 'setup-passkeys', '--restore', setupId);
    expect(text).toContain(`Restored 2 write(s) of setup ${setupId}.`);
    expect(writesSince(restoreFrom)).toEqual(['methodsPolicy.update 200', 'methodConfigurations.update 204']);
    expect(stateOf(policy())).toEqual(before);
    expect((await withPorts({}, (_config, ports) => ports.setup.get(setupId))).restoredAt).toEqual(expect.any(String));

    const again = await runCli(tables, 'setup-passkeys', '--restore', setupId);
    expect(again).toContain(`Nothing of setup ${setupId} is left to restore.`);
    expect(again).toContain('Left: SMS excludeTargets changed since the setup (--force restores it anyway).');
  });

  it('restore leaves what an administrator changed since the setup, unless forced', async () => {
    const applied = await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, apply: true }));
    tenant().sandbox.state.authenticationPolicies.updatePolicy({ campaign: { snoozeDurationInDays: 3, state: 'disabled' } });
    const result = await withPorts({}, (config, ports) => restorePasskeySetup(config, ports, quiet, new Date(), { setupId: applied.setupId ?? '', force: false, dryRun: false }));
    expect(result.plan.skipped).toEqual([{ target: 'campaign', property: 'state' }]);
    expect(policy().registrationEnforcement.authenticationMethodsRegistrationCampaign).toMatchObject({ state: 'disabled', snoozeDurationInDays: 3, includeTargets: [{ id: 'all_users' }] });
    expect(policy().authenticationMethodConfigurations.Sms.excludeTargets).toEqual([]);
    const forced = await withPorts({}, (config, ports) => restorePasskeySetup(config, ports, quiet, new Date(), { setupId: applied.setupId ?? '', force: true, dryRun: false }));
    expect(forced.plan.writes).toEqual([{ target: 'campaign', body: { state: 'default', includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'fido2' }] } }, { target: 'sms', body: { excludeTargets: [] } }]);
    expect(policy().registrationEnforcement.authenticationMethodsRegistrationCampaign.state).toBe('default');
  });

  it('never enables a disabled method for all users without --all-users', async () => {
    scenario('fido2Disabled');
    const { campaign } = tenant().sandbox.manifest.groups;
    const dry = await runCli(tables, 'setup-passkeys', '--dry-run');
    expect(dry).toContain("Passkey (FIDO2):\n  - enable the method\n  - leave out the disabled method's old targets all_users (they may hold anyone: --all-users keeps them)");
    await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, apply: true }));
    expect(policy().authenticationMethodConfigurations.Fido2).toMatchObject({
      state: 'enabled',
      includeTargets: [{ id: campaign, targetType: 'group', isRegistrationRequired: false, allowedPasskeyProfiles: ['00000000-0000-0000-0000-000000000001'] }],
    });
    expect(tenant().sandbox.state.methodAllowedFor(tenant().sandbox.manifest.users[0]?.id ?? '', 'Fido2')).toBe(false);

    scenario('fido2Disabled');
    await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, allUsers: true, apply: true }));
    // all users include the campaign group already: one group per method, nothing added
    expect(policy().authenticationMethodConfigurations.Fido2).toMatchObject({ state: 'enabled', includeTargets: [{ id: 'all_users' }] });
  });

  it('turns on self-service set-up', async () => {
    scenario('fido2NoSelfService');
    const result = await withPorts({ MFA_CAMPAIGN_MODE: 'microsoftManaged', MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' }, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, apply: true }));
    expect(policy().authenticationMethodConfigurations.Fido2.isSelfServiceRegistrationAllowed).toBe(true);
    expect(result.plan.left).toEqual(['the registration campaign: left as Microsoft set it (MFA_CAMPAIGN_MODE=microsoftManaged)']);
    expect(result.posture.blocked).toBe(false);
  });

  it('leaves a campaign targeting another method alone unless --campaign-group-only', async () => {
    scenario('campaignAuthenticator');
    const left = await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, apply: true }));
    expect(left.plan.writes.map((write) => write.target)).toEqual(['sms']);
    expect(left.plan.left[0]).toContain('targets all_users with microsoftAuthenticator and Graph takes one method at a time');
    expect(left.posture.problems.map((problem) => problem.code)).toEqual(expect.arrayContaining(['campaignMissesGroup', 'campaignWrongMethod']));

    const only = await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, campaignGroupOnly: true, apply: true }));
    expect(policy().registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets).toEqual([{ id: tenant().sandbox.manifest.groups.campaign, targetType: 'group', targetedAuthenticationMethod: 'fido2' }]);
    expect(only.posture.blocked).toBe(false);
  });

  it('refuses a command line that names no mode, or two', async () => {
    await expect(runCli(tables, 'setup-passkeys')).rejects.toThrow(/give exactly one of --dry-run, --apply or --restore/);
    await expect(runCli(tables, 'setup-passkeys', '--dry-run', '--apply')).rejects.toThrow(/give exactly one/);
    await expect(runCli(tables, 'setup-passkeys', '--restore', 'setup-20260101T000000Z-0000')).rejects.toThrow(/no setup 'setup-20260101T000000Z-0000' was recorded/);
  });

  it('reads the posture after an apply the same way the preflight does', async () => {
    const applied = await withPorts({}, (config, ports) => setupPasskeys(config, ports, quiet, new Date(), { ...options, apply: true }));
    const read = await withPorts({}, (config, ports) => readTenantPosture(config, ports, new Date()));
    expect({ ...read, decidedAt: '' }).toEqual({ ...applied.posture, decidedAt: '' });
  });
});
