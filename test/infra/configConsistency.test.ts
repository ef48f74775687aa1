import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { permissionsFor, permissionsForIssueTap } from '../../shared/adapters/graph/graphPermissions.js';
import { secretEnvNames, settings, type SettingKey } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import {
  allowedValues,
  bicepAppSettings,
  bicepParams,
  decoratorNumber,
  isSecure,
  literalValue,
  readRepoFile,
  repoRoot,
  type BicepParam,
} from './bicepText.js';

/**
 * The settings table (shared/config/configSchema.ts) is the single source of truth. These tests hold
 * local.settings.example.json, the Bicep app settings, the Bicep parameter defaults and bounds, the
 * example parameters file, host.json's timeout and the Graph permission grant script to it.
 */

const bicep = readRepoFile('infra/main.bicep');
const params = bicepParams(bicep);
const appSettings = bicepAppSettings(bicep);
const mfaAppSettings = appSettings.filter((setting) => setting.name.startsWith('MFA_'));
const definitions = Object.entries(settings) as [SettingKey, (typeof settings)[SettingKey]][];
const schemaEnvNames = definitions.map(([, definition]) => definition.env);

/** Settings deliberately not in the Bicep app settings, and why. */
const absentFromBicep: Readonly<Record<string, string>> = {
  MFA_CLIENT_SECRET: 'a secret for clientSecret auth; in Azure the job uses its managed identity (MFA_AUTH_MODE=managedIdentity)',
  MFA_TABLES_CONNECTION: 'a connection string with the storage key; in Azure the tables are reached through MFA_TABLES_ENDPOINT with the managed identity, and shared keys are disabled',
};

/** Settings whose Bicep value is computed, not a parameter: the expected expression. */
const computedInBicep: Readonly<Record<string, RegExp>> = {
  MFA_AUTH_MODE: /^multiTenant \? 'federatedManagedIdentity' : 'managedIdentity'$/,
  MFA_MANAGED_IDENTITY_CLIENT_ID: /^identity\.properties\.clientId$/,
  MFA_TABLES_ENDPOINT: /^'https:\/\/\$\{storage\.name\}\.table\.\$\{environment\(\)\.suffixes\.storage\}'$/,
  MFA_TENANT_ID: /^tenant\(\)\.tenantId$/,
  MFA_CLIENT_ID: /^multiTenantAppClientId$/,
};

/** Sample values of the computed settings, to render a deployment's app settings. */
const computedSamples: Readonly<Record<string, string>> = {
  MFA_AUTH_MODE: 'managedIdentity',
  MFA_MANAGED_IDENTITY_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  MFA_TABLES_ENDPOINT: 'https://stmfaexample.table.core.windows.net',
  MFA_TENANT_ID: '66666666-7777-8888-9999-000000000000',
  MFA_CLIENT_ID: '',
};

type Rendering = { kind: 'param'; param: BicepParam; as: 'text' | 'int' | 'bool' } | { kind: 'computed' } | { kind: 'invalid'; why: string };

/** How an MFA_* app setting gets its value: from the parameter named after the schema key, or computed. */
function rendering(env: string, expression: string): Rendering {
  if (env in computedInBicep) {
    return computedInBicep[env]?.test(expression) === true ? { kind: 'computed' } : { kind: 'invalid', why: `expected the computed value ${String(computedInBicep[env])}, found ${expression}` };
  }
  const key = definitions.find(([, definition]) => definition.env === env)?.[0];
  if (key === undefined) return { kind: 'invalid', why: 'not in the settings schema' };
  const param = params.get(key);
  if (param === undefined) return { kind: 'invalid', why: `expected a parameter named ${key} (the schema key)` };
  if (expression === key && param.type === 'string') return { kind: 'param', param, as: 'text' };
  if (expression === `string(${key})` && param.type === 'int') return { kind: 'param', param, as: 'int' };
  if (expression === `${key} ? 'true' : 'false'` && param.type === 'bool') return { kind: 'param', param, as: 'bool' };
  if (expression === `string(${key})` && param.type === 'bool') return { kind: 'invalid', why: `string() of a bool is 'True' in ARM, which the schema refuses: write ${key} ? 'true' : 'false'` };
  return { kind: 'invalid', why: `expected ${key}, string(${key}) for an int or ${key} ? 'true' : 'false' for a bool; found ${expression} (${param.type})` };
}

function render(param: BicepParam, as: 'text' | 'int' | 'bool', value: unknown): string {
  if (as === 'bool') {
    if (typeof value !== 'boolean') throw new Error(`${param.name}: expected a boolean, got ${JSON.stringify(value)}`);
    return value ? 'true' : 'false';
  }
  if (as === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${param.name}: expected an integer, got ${JSON.stringify(value)}`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`${param.name}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Innermost schema of a setting: unwraps optional, pipes and transforms. */
function innerSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

function minutesOf(timeSpan: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(timeSpan);
  if (match === null) throw new Error(`not a timespan: ${timeSpan}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(days) * 1440 + Number(hours) * 60 + Number(minutes) + Number(seconds) / 60;
}

describe('local.settings.example.json', () => {
  const example = JSON.parse(readRepoFile('local.settings.example.json')) as { Values: Record<string, string> };
  const names = Object.keys(example.Values).filter((name) => name.startsWith('MFA_'));

  it('has every setting of the schema', () => {
    expect(schemaEnvNames.filter((env) => !names.includes(env))).toEqual([]);
  });

  it('has no MFA_ setting the schema does not define', () => {
    expect(names.filter((name) => !schemaEnvNames.includes(name))).toEqual([]);
  });
});

describe('Bicep app settings (infra/main.bicep)', () => {
  const names = mfaAppSettings.map((setting) => setting.name);

  it('set every setting of the schema, except the documented intentionally absent ones', () => {
    const missing = schemaEnvNames.filter((env) => !names.includes(env) && !(env in absentFromBicep));
    expect(missing).toEqual([]);
  });

  it('set no MFA_ setting the schema does not define, and none twice', () => {
    expect(names.filter((name) => !schemaEnvNames.includes(name))).toEqual([]);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('leave out exactly the secrets, which the allow-list names', () => {
    expect(Object.keys(absentFromBicep).filter((env) => names.includes(env))).toEqual([]);
    expect(Object.keys(absentFromBicep).filter((env) => !schemaEnvNames.includes(env))).toEqual([]);
    expect([...secretEnvNames].sort()).toEqual(Object.keys(absentFromBicep).sort());
  });

  it('take each value from the parameter named after the schema key, or from a documented computation', () => {
    const problems = mfaAppSettings
      .map((setting) => ({ env: setting.name, result: rendering(setting.name, setting.expression) }))
      .filter((entry) => entry.result.kind === 'invalid')
      .map((entry) => `${entry.env}: ${(entry.result as { why: string }).why}`);
    expect(problems).toEqual([]);
  });

  it("give each parameter the schema's default, and MFA_BREAK_GLASS none", () => {
    const problems: string[] = [];
    for (const [key, definition] of definitions) {
      const setting = mfaAppSettings.find((entry) => entry.name === definition.env);
      if (setting === undefined) continue;
      const result = rendering(definition.env, setting.expression);
      if (result.kind !== 'param') continue;
      const { param } = result;
      if (key === 'breakGlass') {
        if (param.defaultText !== undefined) problems.push(`${param.name} must be required (no default)`);
        if ((decoratorNumber(param, 'minLength') ?? 0) < 1) problems.push(`${param.name} needs @minLength(1)`);
        continue;
      }
      if (param.defaultText === undefined) {
        problems.push(`${param.name} has no default`);
        continue;
      }
      const expected = 'default' in definition ? definition.default : '';
      const actual = render(param, result.as, literalValue(param.defaultText));
      if (actual !== expected) problems.push(`${param.name} defaults to ${JSON.stringify(actual)}, the schema to ${JSON.stringify(expected)}`);
    }
    expect(problems).toEqual([]);
  });

  it("bound integer parameters within the schema's range and list enum parameters' values", () => {
    const problems: string[] = [];
    for (const [key, definition] of definitions) {
      const param = params.get(key);
      if (param === undefined) continue;
      const schema = innerSchema(definition.schema);
      if (param.type === 'int') {
        const number = schema as z.ZodNumber;
        const min = decoratorNumber(param, 'minValue');
        const max = decoratorNumber(param, 'maxValue');
        if (min === undefined || max === undefined) problems.push(`${key}: needs @minValue and @maxValue`);
        else if (min < (number.minValue ?? -Infinity) || max > (number.maxValue ?? Infinity)) {
          problems.push(`${key}: Bicep allows ${min}..${max}, the schema ${number.minValue}..${number.maxValue}`);
        }
      }
      if (schema instanceof z.ZodEnum && param.type === 'string') {
        const options = (schema.options as string[]).slice().sort();
        if (JSON.stringify(allowedValues(param)?.slice().sort()) !== JSON.stringify(options)) problems.push(`${key}: @allowed must be ${options.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keep secrets out of parameters: the webhook URL is secure and empty by default, nothing else looks secret', () => {
    const webhook = params.get('alertWebhookUrl') as BicepParam;
    expect(isSecure(webhook) && webhook.defaultText === "''").toBe(true);
    // `…Passkey` names a FIDO2 credential (retirePhoneAfterPasskey), not a key that is a secret
    const secretLooking = [...params.values()].filter((param) => /secret|password|connection|(?<!pass)key$/i.test(param.name) && !isSecure(param));
    expect(secretLooking.map((param) => param.name)).toEqual([]);
  });
});

describe('infra/main.parameters.json', () => {
  const file = JSON.parse(readRepoFile('infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
  const given = file.parameters;

  it('names only parameters of main.bicep, none of them secure, and sets MFA_BREAK_GLASS', () => {
    expect(Object.keys(given).filter((name) => !params.has(name))).toEqual([]);
    expect(Object.keys(given).filter((name) => isSecure(params.get(name) as BicepParam))).toEqual([]);
    expect(given.breakGlass?.value).toEqual(expect.any(String));
  });

  it('gives every required parameter a value', () => {
    const required = [...params.values()].filter((param) => param.defaultText === undefined).map((param) => param.name);
    expect(required.filter((name) => given[name] === undefined)).toEqual([]);
  });

  it('renders app settings that the job accepts (loadConfig), as in Azure', () => {
    const env: Record<string, string> = {};
    for (const setting of mfaAppSettings) {
      const result = rendering(setting.name, setting.expression);
      if (result.kind === 'computed') env[setting.name] = computedSamples[setting.name] ?? '';
      if (result.kind !== 'param') continue;
      const value = given[result.param.name]?.value ?? (result.param.defaultText === undefined ? undefined : literalValue(result.param.defaultText));
      env[setting.name] = render(result.param, result.as, value);
    }
    const config = loadConfig(env);
    expect(config.authMode).toBe('managedIdentity');
    expect(config.tablesEndpoint).toBe(computedSamples.MFA_TABLES_ENDPOINT);
    expect(config.tablesConnection).toBeUndefined();
    expect(config.breakGlass.length).toBeGreaterThan(0);
  });
});

describe('time budget against host.json functionTimeout', () => {
  const host = JSON.parse(readRepoFile('host.json')) as { functionTimeout: string };
  const timeoutMinutes = minutesOf(host.functionTimeout);
  const marginMinutes = 5;

  it('leaves at least 5 minutes over the MFA_TIME_BUDGET_MINUTES default', () => {
    expect(timeoutMinutes - Number(settings.timeBudgetMinutes.default)).toBeGreaterThanOrEqual(marginMinutes);
  });

  it('leaves at least 5 minutes over the Bicep default and the largest value Bicep accepts', () => {
    const param = params.get('timeBudgetMinutes') as BicepParam;
    expect(timeoutMinutes - Number(literalValue(param.defaultText ?? ''))).toBeGreaterThanOrEqual(marginMinutes);
    expect(timeoutMinutes - (decoratorNumber(param, 'maxValue') ?? Infinity)).toBeGreaterThanOrEqual(marginMinutes);
  });
});

describe('host.json queue settings against the many-tenants night', () => {
  const queues = (JSON.parse(readRepoFile('host.json')) as { extensions?: { queues?: Record<string, unknown> } }).extensions?.queues ?? {};
  const retryMinutes = minutesOf(String(queues['visibilityTimeout']));

  it('hand the handler the base64 JSON the fan-out writes', () => {
    expect(queues['messageEncoding']).toBe('base64');
  });

  it('run one tenant night per instance: batchSize + newBatchThreshold is 1 (one event loop per tenant)', () => {
    expect(Number(queues['batchSize']) + Number(queues['newBatchThreshold'])).toBe(1);
  });

  it('retry a failed night only after a dead run\'s lease (MFA_LEASE_SECONDS default) has lapsed', () => {
    expect(retryMinutes * 60).toBeGreaterThan(Number(settings.leaseSeconds.default));
  });

  it('give every retry before the poison queue a chance inside the start window (MFA_START_WINDOW_MINUTES default)', () => {
    const attempts = Number(queues['maxDequeueCount']);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect((attempts - 1) * retryMinutes).toBeLessThan(Number(settings.startWindowMinutes.default));
  });
});

describe('many-tenants resources (infra/main.bicep)', () => {
  it('create the queue and its poison queue, scale tenantNight out, and alert on the poison queue', () => {
    expect(bicep).toMatch(/resource tenantNightsQueue 'queues' = if \(multiTenant\) \{\s*name: tenantQueue\s*\}/);
    expect(bicep).toMatch(/resource tenantNightsPoisonQueue 'queues' = if \(multiTenant\) \{\s*name: '\$\{tenantQueue\}-poison'\s*\}/);
    expect(bicep).toContain('maximumInstanceCount: multiTenant ? maximumTenantNightsAtOnce : maximumInstanceCount');
    expect(bicep).toMatch(/resource poisonAlertRule '[^']+' = if \(alertsEnabled && multiTenant\)/);
  });

  it('let the tenant queue name leave room for -poison within 63 characters, as the schema does', () => {
    const param = params.get('tenantQueue') as BicepParam;
    expect(decoratorNumber(param, 'maxLength')).toBe(56);
  });
});

describe('infra/grant-graph-permissions.sh', () => {
  const script = 'infra/grant-graph-permissions.sh';

  function listed(args: string[]): string[] {
    const result = spawnSync('bash', [script, '--list', ...args], { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${script} --list ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.split('\n').filter((line) => line !== '');
  }

  const strategies = ['perUserMfa', 'conditionalAccessGroup'] as const;
  const tracks = ['passkey', 'authenticator', 'phone'] as const;
  it.each(strategies.flatMap((strategy) => tracks.flatMap((targetMethod) => [false, true].map((withMail) => [strategy, targetMethod, withMail] as const))))(
    'grants exactly permissionsFor() for %s on track %s (mail: %s)',
    (strategy, targetMethod, withMail) => {
      const expected = permissionsFor({ strategy, targetMethod, noticeDays: 3, noticeMailbox: withMail ? 'rollout@contoso.com' : undefined });
      expect(listed([strategy, '--track', targetMethod, ...(withMail ? ['--with-mail'] : [])])).toEqual(expected);
    },
  );

  it('takes the passkey track by default, as MFA_TARGET_METHOD does, and adds the policy write only --with-setup', () => {
    expect(listed(['perUserMfa'])).toEqual(permissionsFor({ strategy: 'perUserMfa', targetMethod: 'passkey', noticeDays: 3, noticeMailbox: undefined }));
    const withSetup = permissionsFor({ strategy: 'conditionalAccessGroup', targetMethod: 'passkey', noticeDays: 3, noticeMailbox: undefined }, { setupPasskeys: true });
    expect(withSetup).toContain('Policy.ReadWrite.AuthenticationMethod');
    expect(listed(['conditionalAccessGroup', '--with-setup'])).toEqual(withSetup);
  });

  it('grants exactly permissionsForIssueTap() to an identity that only issues Temporary Access Passes', () => {
    expect(listed(['issueTap'])).toEqual(permissionsForIssueTap());
  });

  it('hard-codes no app role id (the only GUID is Microsoft Graph\'s application id)', () => {
    const guids = readRepoFile(script).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
    expect([...new Set(guids)]).toEqual(['00000003-0000-0000-c000-000000000000']);
  });
});
