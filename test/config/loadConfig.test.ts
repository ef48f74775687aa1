import { describe, expect, it } from '@jest/globals';
import { settings } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { journeyGroupSettings } from '../helpers/testConfig.js';

const minimal = { MFA_BREAK_GLASS: 'bg1@contoso.onmicrosoft.com', MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true', ...journeyGroupSettings };
const phoneTrack = { MFA_BREAK_GLASS: 'bg1@contoso.onmicrosoft.com', MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true', MFA_TARGET_METHOD: 'phone' };
const groupA = 'aaaaaaaa-0000-4000-8000-000000000001';

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('fills every default and freezes the result', () => {
    const config = loadConfig(minimal);
    expect(config.waveSize).toBe(50);
    expect(config.waveSchedule).toBe('0 0 1 * * *');
    expect(config.excludeUpnPatterns).toEqual(['Sync_*', 'ADToAADSyncServiceAccount*']);
    expect(config.breakGlass).toEqual(['bg1@contoso.onmicrosoft.com']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses to start without a break-glass account', () => {
    expect(() => loadConfig({ MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true' })).toThrow(expect.objectContaining({ code: 'BREAK_GLASS_MISSING' }));
    expect(() => loadConfig({ ...minimal, MFA_BREAK_GLASS: ' , ' })).toThrow(expect.objectContaining({ code: 'BREAK_GLASS_MISSING', message: expect.stringContaining('MFA_BREAK_GLASS') }));
  });

  it('names the setting and what was expected, never the value', () => {
    const message = problemOf({ ...minimal, MFA_WAVE_SIZE: '12abc', MFA_HALT_FAILURE_RATE: '7' });
    expect(message).toContain('MFA_WAVE_SIZE: expected a whole number from 1 to 100,000');
    expect(message).toContain('MFA_HALT_FAILURE_RATE: expected a number above 0 and at most 1');
    expect(message).not.toContain('12abc');
  });

  it('never echoes a secret, even when it is what is wrong', () => {
    const message = problemOf({ ...minimal, MFA_AUTH_MODE: 'clientSecret', MFA_TENANT_ID: 't', MFA_CLIENT_ID: 'c', MFA_CLIENT_SECRET: 'sEcReT~value', MFA_GRAPH_BASE_URL: 'http://graph.local/' });
    expect(message).toContain('MFA_GRAPH_BASE_URL: expected an https:// URL');
    expect(message).not.toContain('sEcReT~value');
  });

  it('checks settings against each other', () => {
    expect(problemOf({ ...minimal, MFA_AUTH_MODE: 'clientSecret' })).toContain('MFA_CLIENT_SECRET: expected a value when MFA_AUTH_MODE=clientSecret');
    // workload identity federation: the customer tenant, the multi-tenant app and the user-assigned identity, no secret
    const federated = problemOf({ ...minimal, MFA_AUTH_MODE: 'federatedManagedIdentity' });
    for (const setting of ['MFA_TENANT_ID', 'MFA_CLIENT_ID', 'MFA_MANAGED_IDENTITY_CLIENT_ID']) expect(federated).toContain(`${setting}: expected a value when MFA_AUTH_MODE=federatedManagedIdentity`);
    expect(federated).not.toContain('MFA_CLIENT_SECRET');
    expect(problemOf({ ...minimal, MFA_STRATEGY: 'conditionalAccessGroup' })).toContain('MFA_CA_GROUP_ID: expected a group object id when MFA_STRATEGY=conditionalAccessGroup');
    expect(problemOf({ ...minimal, MFA_WAVE_SIZE: '500', MFA_MAX_WAVE_SIZE: '100' })).toContain('MFA_MAX_WAVE_SIZE: expected at least MFA_WAVE_SIZE');
    expect(problemOf({ ...minimal, MFA_TABLES_ENDPOINT: 'https://acct.table.core.windows.net' })).toContain('exactly one of the two');
  });

  it('parses rings from JSON and reports a bad ring by its position', () => {
    const config = loadConfig({ ...minimal, MFA_RINGS: '[{"name":"finance","attribute":"department","values":["Finance"]}]' });
    expect(config.rings).toEqual([{ name: 'finance', attribute: 'department', values: ['Finance'] }]);
    expect(problemOf({ ...minimal, MFA_RINGS: '[{"name":"Bad Name","groupId":"x"}]' })).toContain('MFA_RINGS: expected a ring name: 1-24 lowercase letters, digits or dashes (ring 1, "name")');
    expect(problemOf({ ...minimal, MFA_RINGS: 'not json' })).toContain('MFA_RINGS: expected a JSON array of rings');
  });

  describe('says what to put there, in plain words, never the value', () => {
    it('a number out of range names the range, not "a number"', () => {
      const message = problemOf({ ...minimal, MFA_WAVE_SIZE: '-5' });
      expect(message).toBe('Invalid configuration:\nMFA_WAVE_SIZE: expected a whole number from 1 to 100,000');
      expect(problemOf({ ...minimal, MFA_WAVE_GROWTH: '0.5' })).toContain('MFA_WAVE_GROWTH: expected a number from 1 to 10');
    });

    it('an enum names its allowed values, not zod\'s text', () => {
      expect(problemOf({ ...minimal, MFA_STRATEGY: 'perUser' })).toBe('Invalid configuration:\nMFA_STRATEGY: expected one of perUserMfa, conditionalAccessGroup');
      expect(problemOf({ ...minimal, MFA_AUTH_MODE: 'secret' })).toContain('MFA_AUTH_MODE: expected one of managedIdentity, federatedManagedIdentity, clientSecret');
    });

    it('a missing MFA_BREAK_GLASS says what to put there', () => {
      for (const env of [{ MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true' }, { ...minimal, MFA_BREAK_GLASS: ' , ' }]) {
        expect(() => loadConfig(env)).toThrow(expect.objectContaining({
          code: 'BREAK_GLASS_MISSING',
          message: 'MFA_BREAK_GLASS: expected the object ids or UPNs of your emergency-access accounts, comma-separated (e.g. breakglass1@contoso.onmicrosoft.com,breakglass2@contoso.onmicrosoft.com): Microsoft recommends two cloud-only Global Administrators, and the job never runs without one',
        }));
      }
    });

    it('bad JSON in MFA_RINGS gives an example and the place it breaks, without quoting the text', () => {
      const message = problemOf({ ...minimal, MFA_RINGS: '[{"name":"it",}]' });
      expect(message).toContain('MFA_RINGS: expected a JSON array of rings, e.g. [{"name":"it","groupId":"<group object id>"},');
      expect(message).toContain('the text is not valid JSON at line 1, column 15 (position 14): JSON needs a property name in double quotes there');
      // V8 quotes the text in some of its errors ("not json" is not valid JSON); a settings error never does
      const notJson = problemOf({ ...minimal, MFA_RINGS: 'qqq rings' });
      expect(notJson).toContain('at line 1, column 1 (position 0)');
      expect(notJson).not.toContain('qqq');
      expect(problemOf({ ...minimal, MFA_RINGS: '{"name":"it"}' })).toContain('MFA_RINGS: expected a JSON array of rings, e.g.');
      expect(problemOf({ ...minimal, MFA_RINGS: '[{"name":"it","groupID":"x"}]' })).toContain('MFA_RINGS: expected only the keys name, groupId, attribute and values (found "groupID") (ring 1)');
    });

    it('every setting, given a bad value, answers in operator words and never repeats the value', () => {
      const bad = ['-57', 'qq!zz', '987654321987', '{"qq":', 'http://qq.invalid/', 'qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq1'];
      const zodWords = /Invalid (input|option|string|url)|Too (small|big)|received|Unrecognized|expected (string|number|array|object)\b/;
      for (const definition of Object.values(settings)) {
        for (const value of bad) {
          let message: string | null = null;
          try {
            loadConfig({ ...minimal, [definition.env]: value });
          } catch (error) {
            message = (error as Error).message;
          }
          if (message === null) continue; // a value this setting accepts
          const lines = message.split('\n').filter((line) => line.startsWith('MFA_'));
          expect(lines.length).toBeGreaterThan(0);
          for (const line of lines) {
            expect(line).toMatch(/^MFA_[A-Z0-9_]+( \/ MFA_[A-Z0-9_]+)?: expected \S/);
            expect(line).not.toMatch(zodWords);
            expect(line).not.toContain(value);
          }
        }
      }
    });
  });

  it('reports every problem at once', () => {
    const message = problemOf({ ...minimal, MFA_WAVE_SIZE: '0', MFA_NOTICE_DAYS: '-1', MFA_STRATEGY: 'magic' });
    expect(message.split('\n').filter((line) => line.startsWith('MFA_'))).toHaveLength(3);
  });

  describe('the passkey track', () => {
    it('defaults to passkeys in waves, Microsoft delivery until 2027-02-01 for everyone, phones retired after a passkey', () => {
      const config = loadConfig(minimal);
      expect({
        targetMethod: config.targetMethod,
        smsDelivery: config.smsDelivery,
        smsRetirementDate: config.smsRetirementDate,
        smsRetirementDateAdmins: config.smsRetirementDateAdmins,
        campaignMode: config.campaignMode,
        retirePhoneAfterPasskey: config.retirePhoneAfterPasskey,
        phishingResistantGroupId: config.phishingResistantGroupId,
        passkeyNudgeDays: config.passkeyNudgeDays,
        deadlineWarningDays: config.deadlineWarningDays,
        checksPerNight: config.checksPerNight,
        acknowledgeSmsSignIn: config.acknowledgeSmsSignIn,
      }).toEqual({
        targetMethod: 'passkey',
        smsDelivery: 'microsoft',
        smsRetirementDate: '2027-02-01',
        smsRetirementDateAdmins: '2027-02-01',
        campaignMode: 'waves',
        retirePhoneAfterPasskey: true,
        phishingResistantGroupId: undefined,
        passkeyNudgeDays: 14,
        deadlineWarningDays: 30,
        checksPerNight: 10_000,
        acknowledgeSmsSignIn: false,
      });
    });

    it("takes the admins' date from the general one when it is absent, and keeps its own when given", () => {
      expect(loadConfig({ ...minimal, MFA_SMS_RETIREMENT_DATE: '2027-03-01' }).smsRetirementDateAdmins).toBe('2027-03-01');
      expect(loadConfig({ ...minimal, MFA_SMS_RETIREMENT_DATE_ADMINS: '2027-07-01' }).smsRetirementDateAdmins).toBe('2027-07-01');
    });

    it('needs the campaign group in waves mode on the passkey and authenticator tracks only', () => {
      const { MFA_CAMPAIGN_GROUP_ID: _campaign, ...withoutCampaign } = minimal;
      expect(problemOf(withoutCampaign)).toContain('MFA_CAMPAIGN_GROUP_ID: expected a group object id when MFA_CAMPAIGN_MODE=waves and MFA_TARGET_METHOD=passkey');
      expect(problemOf({ ...withoutCampaign, MFA_TARGET_METHOD: 'authenticator' })).toContain('MFA_CAMPAIGN_GROUP_ID: expected a group object id when MFA_CAMPAIGN_MODE=waves and MFA_TARGET_METHOD=authenticator');
      expect(loadConfig({ ...withoutCampaign, MFA_CAMPAIGN_MODE: 'microsoftManaged' }).campaignGroupId).toBeUndefined();
      expect(loadConfig(phoneTrack).targetMethod).toBe('phone');
    });

    it('needs the phone-retired group while retiring phones, or retiring switched off', () => {
      const { MFA_PHONE_RETIRED_GROUP_ID: _retired, ...withoutRetired } = minimal;
      expect(problemOf(withoutRetired)).toContain('MFA_PHONE_RETIRED_GROUP_ID: expected a group object id when MFA_RETIRE_PHONE_AFTER_PASSKEY=true and MFA_TARGET_METHOD=passkey');
      expect(loadConfig({ ...withoutRetired, MFA_RETIRE_PHONE_AFTER_PASSKEY: 'false' }).retirePhoneAfterPasskey).toBe(false);
    });

    it('takes the phishing-resistant group on the passkey track only', () => {
      expect(loadConfig({ ...minimal, MFA_PHISHING_RESISTANT_GROUP_ID: groupA }).phishingResistantGroupId).toBe(groupA);
      expect(problemOf({ ...minimal, MFA_TARGET_METHOD: 'authenticator', MFA_PHISHING_RESISTANT_GROUP_ID: groupA })).toContain(
        'MFA_PHISHING_RESISTANT_GROUP_ID: expected no value unless MFA_TARGET_METHOD=passkey: the phishing-resistant step needs a passkey (now MFA_TARGET_METHOD=authenticator)',
      );
    });

    it('takes only real days, and the admins\' day not before the general one', () => {
      expect(problemOf({ ...minimal, MFA_SMS_RETIREMENT_DATE: '2027-02-30' })).toContain('MFA_SMS_RETIREMENT_DATE: expected a day that exists, as YYYY-MM-DD');
      expect(problemOf({ ...minimal, MFA_SMS_RETIREMENT_DATE: '1 Feb 2027' })).toContain('MFA_SMS_RETIREMENT_DATE: expected a day as YYYY-MM-DD');
      expect(problemOf({ ...minimal, MFA_SMS_RETIREMENT_DATE_ADMINS: '2027-13-01' })).toContain('MFA_SMS_RETIREMENT_DATE_ADMINS: expected a day that exists');
      expect(problemOf({ ...minimal, MFA_SMS_RETIREMENT_DATE_ADMINS: '2027-01-31' })).toContain('MFA_SMS_RETIREMENT_DATE_ADMINS: expected a day not before MFA_SMS_RETIREMENT_DATE');
    });

    it('gives each journey group one purpose', () => {
      expect(problemOf({ ...minimal, MFA_PHONE_RETIRED_GROUP_ID: minimal.MFA_CAMPAIGN_GROUP_ID })).toContain('MFA_PHONE_RETIRED_GROUP_ID: expected a different group than MFA_CAMPAIGN_GROUP_ID');
      expect(problemOf({ ...minimal, MFA_EXCLUSION_GROUP_ID: minimal.MFA_CAMPAIGN_GROUP_ID.toUpperCase() })).toContain('MFA_EXCLUSION_GROUP_ID: expected a different group than MFA_CAMPAIGN_GROUP_ID');
    });

    it('takes the enums as documented', () => {
      expect(problemOf({ ...minimal, MFA_TARGET_METHOD: 'sms' })).toContain('MFA_TARGET_METHOD');
      expect(problemOf({ ...minimal, MFA_SMS_DELIVERY: 'telesign' })).toContain('MFA_SMS_DELIVERY');
      expect(problemOf({ ...minimal, MFA_CAMPAIGN_MODE: 'off' })).toContain('MFA_CAMPAIGN_MODE');
      expect(loadConfig({ ...minimal, MFA_SMS_DELIVERY: 'customerManaged', MFA_ACK_SMS_SIGN_IN: 'true' })).toMatchObject({ smsDelivery: 'customerManaged', acknowledgeSmsSignIn: true });
    });
  });

  it('every setting has an MFA_ name and a description', () => {
    for (const definition of Object.values(settings)) {
      expect(definition.env).toMatch(/^MFA_[A-Z0-9_]+$/);
      expect(definition.description.length).toBeGreaterThan(20);
    }
  });
});
