import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { PostureProblem, TenantPosture } from '../../shared/core/posture/postureTypes.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { readTenantPosture } from '../../shared/shell/readTenantPosture.js';
import { refreshRoster } from '../../shared/shell/refreshRoster.js';
import { openRollout } from '../../shared/shell/rolloutPorts.js';
import type { MethodsPolicyScenario } from '../../sandbox/tenant/methodsPolicyModel.js';
import { runCli } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';

const tenant = useSandboxTenant({ users: 60, seed: 17 });
const quiet = createLogger(() => undefined);
const codes = (problems: readonly PostureProblem[]) => problems.map((problem) => `${problem.severity}:${problem.code}`);
/** The default settings with nothing to retire, so that each scenario shows its own problem alone. */
const managed = { MFA_CAMPAIGN_MODE: 'microsoftManaged', MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' };

describe('readTenantPosture against the sandbox tenant', () => {
  let tables: Record<string, string>;
  const posture = async (overrides: Record<string, string> = {}): Promise<TenantPosture> => {
    const config = loadConfig({ ...tables, ...overrides });
    const rollout = await openRollout(config, quiet);
    try {
      return await readTenantPosture(config, rollout.ports, tenant().sandbox.state.now());
    } finally {
      await rollout.close();
    }
  };

  beforeAll(async () => {
    tables = tenant().settings(passkeyTrackSettings);
    const { config, rollout } = await tenant().open({ ...passkeyTrackSettings, MFA_TABLE_PREFIX: tables.MFA_TABLE_PREFIX ?? '' });
    await refreshRoster(rollout.ports.gateway, rollout.ports.roster, config, 'refresh-posture', quiet);
  });
  afterEach(() => {
    tenant().sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    tenant().sandbox.controls.setConditionalAccess({ scenario: 'default' });
  });

  it('reads the tenant after 1 September 2026 as blocking waves mode: the campaign is Microsoft managed and SMS keeps the phone-retired group', async () => {
    const result = await posture();
    expect(codes(result.problems)).toEqual(['blocking:phoneRetiredNotExcluded', 'blocking:campaignOff', 'blocking:campaignMissesGroup', 'warning:campaignIncludesEveryone']);
    expect(result.blocked).toBe(true);
    expect(result.rolloutUsers).toBeGreaterThan(20);
    expect(result.methods.sms.rolloutUsersAllowed).toBe(result.rolloutUsers);
    expect(result.campaign).toMatchObject({ state: 'default', nudges: 'passkey', rolloutUsersIncluded: result.rolloutUsers });
    const { campaign, phoneRetired } = tenant().sandbox.manifest.groups;
    expect(result.membershipGroupIds).toEqual([campaign, phoneRetired].map((id) => id.toLowerCase()).sort());
  });

  it('passes Microsoft managed mode on the same tenant when phones are not retired', async () => {
    const result = await posture(managed);
    expect(result.problems).toEqual([]);
    expect(result.blocked).toBe(false);
  });

  const refusals: [string, MethodsPolicyScenario, Record<string, string>, string][] = [
    ['SMS disabled, phone track', 'smsDisabled', { ...managed, MFA_TARGET_METHOD: 'phone' }, 'blocking:smsVoiceOff'],
    ['SMS disabled, passkey track', 'smsDisabled', managed, 'warning:smsVoiceOff'],
    ['SMS only for a group that leaves the rollout out', 'smsForOtherGroup', { ...managed, MFA_TARGET_METHOD: 'phone' }, 'blocking:smsVoiceOff'],
    ['Fido2 off', 'fido2Disabled', managed, 'blocking:fido2Off'],
    ['Fido2 without self-service set-up', 'fido2NoSelfService', managed, 'blocking:fido2NoSelfService'],
    ['the campaign disabled', 'campaignDisabled', managed, 'blocking:campaignOff'],
    ['the campaign for another group (waves)', 'campaignOtherGroup', { MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' }, 'blocking:campaignMissesGroup'],
    ['the campaign for Authenticator', 'campaignAuthenticator', managed, 'blocking:campaignWrongMethod'],
    ['SMS usable for sign-in', 'smsSignInUsable', managed, 'blocking:smsSignInOn'],
    ['SMS usable for sign-in, acknowledged', 'smsSignInUsable', { ...managed, MFA_ACK_SMS_SIGN_IN: 'true' }, 'warning:smsSignInOn'],
    ['security defaults on, strategy conditionalAccessGroup', 'securityDefaultsOn', { ...managed, MFA_STRATEGY: 'conditionalAccessGroup' }, 'blocking:securityDefaultsOn'],
    ['policy migration not complete', 'migrationInProgress', managed, 'warning:migrationIncomplete'],
    ['the Temporary Access Pass off', 'tapDisabled', managed, 'warning:tapOff'],
  ];

  it.each(refusals)('names %s', async (_name, scenario, settings, expected) => {
    tenant().sandbox.controls.setMethodsPolicy({ scenario });
    const result = await posture(settings);
    expect(codes(result.problems)).toContain(expected);
    expect(result.blocked).toBe(expected.startsWith('blocking:'));
    expect(result.problems.every((problem) => problem.fix.length > 0)).toBe(true);
  });

  it('holds the night for a journey group the tenant does not have', async () => {
    const missing = '0bd5a7f9-0000-4000-8000-00000000beef';
    const result = await posture({ ...managed, MFA_PHISHING_RESISTANT_GROUP_ID: missing });
    expect(result.problems[0]).toMatchObject({ code: 'groupNotFound', severity: 'blocking', message: `MFA_PHISHING_RESISTANT_GROUP_ID names the group ${missing}, which the tenant does not have` });
  });

  describe('mfa-rollout preflight', () => {
    afterEach(() => {
      process.exitCode = undefined;
    });

    it('prints each method, the campaign, the calendar and each problem with its fix; exits 4 when blocked', async () => {
      const text = await runCli(tables, 'preflight');
      expect(text).toContain('MFA_TARGET_METHOD=passkey, MFA_CAMPAIGN_MODE=waves');
      expect(text).toMatch(/^ {2}SMS {22}enabled {3}includes all users — \d+ of \d+ rollout users$/m);
      expect(text).toContain('Registration campaign: Microsoft managed; includes all_users (fido2); snooze 1 day(s), unlimited snoozes; nudges passkey');
      expect(text).toMatch(/Days left: -?\d+ to 2027-02-01/);
      expect(text).toContain('  BLOCKING campaignOff: the registration campaign is Microsoft managed for all_users with fido2; MFA_CAMPAIGN_MODE=waves needs it enabled for MFA_CAMPAIGN_GROUP_ID');
      expect(text).toContain('           fix: Entra admin center > Protection > Authentication methods > Registration campaign > Edit > State: Enabled (waves) or Microsoft managed, or run `mfa-rollout setup-passkeys --apply`');
      expect(text.trimEnd().endsWith('Preflight: BLOCKED. A night would be held and write nothing until the blocking problems are fixed.')).toBe(true);
      expect(process.exitCode).toBe(4);
    });

    it('prints the posture as JSON, and exits 0 when nothing blocks', async () => {
      const json = JSON.parse(await runCli({ ...tables, ...managed }, 'preflight', '--json')) as TenantPosture;
      expect(json).toMatchObject({ blocked: false, problems: [], securityDefaults: false, policyMigrationState: 'migrationComplete', sms: { delivery: 'microsoft', retirementDate: '2027-02-01' } });
      expect(process.exitCode).toBeUndefined();
    });
  });
});
