import { RolloutError } from '../errors/RolloutError.js';
import { breakGlassExpected, defaultsFromSettings, settings, type Config, type SettingKey } from './configSchema.js';

export interface ConfigProblem {
  /** The app setting at fault, e.g. `MFA_WAVE_SIZE`. */
  setting: string;
  /** What was expected; never the value that was given. */
  expected: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

interface Issue {
  readonly code: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
}

/**
 * Parses the app settings once into a frozen, typed Config.
 * Throws RolloutError CONFIG_INVALID (or BREAK_GLASS_MISSING) that names each setting at fault and what
 * was expected, in operator words, and never echoes a value: settings may hold secrets or connection strings.
 */
export function loadConfig(env: Environment): Config {
  const { values, problems } = parseSettings(env, Object.keys(settings) as SettingKey[]);

  for (const [key, from] of Object.entries(defaultsFromSettings)) values[key] ??= values[from];
  if (problems.length === 0) problems.push(...crossChecks(values as Config), ...journeyChecks(values as Config));

  const breakGlassMissing = problems.find((problem) => problem.setting === settings.breakGlass.env);
  if (breakGlassMissing !== undefined && problems.length === 1) {
    throw new RolloutError('BREAK_GLASS_MISSING', `${settings.breakGlass.env}: expected ${breakGlassMissing.expected}`);
  }
  throwIfProblems(problems);
  return Object.freeze(values as Config);
}

/** The settings of a many-tenants deployment as a whole: what the fan-out and the registry need (no tenant's). */
export const deploymentKeys = ['tablesConnection', 'tablesEndpoint', 'tablePrefix', 'managedIdentityClientId', 'multiTenant', 'tenantQueue', 'waveSchedule'] as const satisfies readonly SettingKey[];

export type DeploymentConfig = Pick<Config, (typeof deploymentKeys)[number]>;

/**
 * The deployment's own settings, validated by the same schema as `loadConfig` but without a tenant's (a many-tenants
 * deployment has no MFA_BREAK_GLASS of its own: each registered tenant has). CONFIG_INVALID names each setting at fault.
 */
export function loadDeploymentConfig(env: Environment): DeploymentConfig {
  const { values, problems } = parseSettings(env, deploymentKeys);
  if (problems.length === 0) problems.push(...tablesChecks(values as DeploymentConfig));
  throwIfProblems(problems);
  return Object.freeze(values as DeploymentConfig);
}

/** Whether the deployment runs many tenants (MFA_MULTI_TENANT), read alone so a single-tenant night validates as before. */
export function isMultiTenantDeployment(env: Environment): boolean {
  const { values, problems } = parseSettings(env, ['multiTenant']);
  throwIfProblems(problems);
  return values['multiTenant'] === true;
}

function throwIfProblems(problems: readonly ConfigProblem[]): void {
  if (problems.length === 0) return;
  const lines = problems.map((problem) => `${problem.setting}: expected ${problem.expected}`);
  throw Object.assign(new RolloutError('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}`), { problems });
}

function parseSettings(env: Environment, keys: readonly SettingKey[]): { values: Record<string, unknown>; problems: ConfigProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const key of keys) {
    const definition = settings[key];
    const given = env[definition.env];
    const raw = given === undefined || given === '' ? ('default' in definition ? definition.default : undefined) : given;
    const result = definition.schema.safeParse(raw);
    if (result.success) {
      values[key] = result.data;
    } else {
      const required = 'required' in definition ? definition.required : undefined;
      const itemName = 'itemName' in definition ? definition.itemName : undefined;
      // one line per distinct problem: a value can fail two checks that say the same (not a URL, not https)
      const said = new Set<string>();
      for (const issue of result.error.issues) {
        const expected = expectedOf(issue, raw === undefined, required, itemName);
        if (!said.has(expected)) problems.push({ setting: definition.env, expected });
        said.add(expected);
      }
    }
  }
  return { values, problems };
}

/**
 * What an issue says an operator should have written. The schema's messages are written for operators and start
 * with "expected"; anything else is zod's own wording, replaced by words for its issue code (never the input: zod
 * issues may carry it, and a setting may be a secret).
 */
function expectedOf(issue: Issue, absent: boolean, required: string | undefined, itemName: string | undefined): string {
  if (absent && issue.code === 'invalid_type') return required ?? 'a value (the setting is required)';
  const words = /^expected /i.test(issue.message) ? issue.message.replace(/^expected /i, '') : fallbackWords(issue.code);
  return `${words}${where(issue.path, itemName)}`;
}

function fallbackWords(code: string): string {
  switch (code) {
    case 'too_small':
      return 'a larger value';
    case 'too_big':
      return 'a smaller value';
    case 'invalid_format':
      return 'a value in the documented format (see the README settings table)';
    default:
      return 'a value as the README settings table describes';
  }
}

/** `(ring 2, "name")` for an issue inside a JSON setting; nothing for the setting as a whole. */
function where(path: readonly PropertyKey[], itemName: string | undefined): string {
  if (path.length === 0) return '';
  const parts = path.map((segment) => (typeof segment === 'number' ? `${itemName ?? 'item'} ${segment + 1}` : JSON.stringify(String(segment))));
  return ` (${parts.join(', ')})`;
}

function crossChecks(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.breakGlass.length === 0) {
    problems.push({ setting: settings.breakGlass.env, expected: breakGlassExpected });
  }
  problems.push(...tablesChecks(config));
  const needed = { clientSecret: ['tenantId', 'clientId', 'clientSecret'], federatedManagedIdentity: ['tenantId', 'clientId', 'managedIdentityClientId'], managedIdentity: [] } as const;
  for (const key of needed[config.authMode]) {
    if (config[key] === undefined) problems.push({ setting: settings[key].env, expected: `a value when ${settings.authMode.env}=${config.authMode}` });
  }
  if (config.strategy === 'conditionalAccessGroup' && config.caGroupId === undefined) {
    problems.push({ setting: settings.caGroupId.env, expected: `a group object id when ${settings.strategy.env}=conditionalAccessGroup` });
  }
  if (config.maxWaveSize < config.waveSize) {
    problems.push({ setting: settings.maxWaveSize.env, expected: `at least ${settings.waveSize.env}` });
  }
  if (config.haltFailureRate < config.warnFailureRate) {
    problems.push({ setting: settings.haltFailureRate.env, expected: `at least ${settings.warnFailureRate.env}` });
  }
  const ringNames = new Set<string>();
  for (const ring of config.rings) {
    if (ring.name === 'pilot' || ring.name === 'everyone' || ringNames.has(ring.name)) {
      problems.push({ setting: settings.rings.env, expected: `unique ring names other than pilot and everyone (${ring.name} repeats or is reserved)` });
    }
    ringNames.add(ring.name);
  }
  return problems;
}

function tablesChecks(config: Pick<Config, 'tablesConnection' | 'tablesEndpoint'>): ConfigProblem[] {
  if ((config.tablesConnection === undefined) !== (config.tablesEndpoint === undefined)) return [];
  return [{ setting: `${settings.tablesConnection.env} / ${settings.tablesEndpoint.env}`, expected: 'exactly one of the two: a connection string (Azurite: UseDevelopmentStorage=true), or the table endpoint reached with the managed identity' }];
}

/** The passkey track's settings (MFA_TARGET_METHOD and the groups and dates it needs), in plain words. */
function journeyChecks(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const track = `${settings.targetMethod.env}=${config.targetMethod}`;
  const onRegistrationTrack = config.targetMethod !== 'phone';
  if (onRegistrationTrack && config.campaignMode === 'waves' && config.campaignGroupId === undefined) {
    problems.push({ setting: settings.campaignGroupId.env, expected: `a group object id when ${settings.campaignMode.env}=waves and ${track}: the group each wave joins and the registration campaign targets` });
  }
  if (onRegistrationTrack && config.retirePhoneAfterPasskey && config.phoneRetiredGroupId === undefined) {
    problems.push({
      setting: settings.phoneRetiredGroupId.env,
      expected: `a group object id when ${settings.retirePhoneAfterPasskey.env}=true and ${track}: the group the SMS and Voice methods exclude (or set ${settings.retirePhoneAfterPasskey.env}=false)`,
    });
  }
  if (config.phishingResistantGroupId !== undefined && config.targetMethod !== 'passkey') {
    problems.push({ setting: settings.phishingResistantGroupId.env, expected: `no value unless ${settings.targetMethod.env}=passkey: the phishing-resistant step needs a passkey (now ${track})` });
  }
  if (config.smsRetirementDateAdmins < config.smsRetirementDate) {
    problems.push({ setting: settings.smsRetirementDateAdmins.env, expected: `a day not before ${settings.smsRetirementDate.env} (Global Administrators and external users keep SMS at least as long as everyone else)` });
  }
  const groups = (['campaignGroupId', 'phishingResistantGroupId', 'phoneRetiredGroupId', 'caGroupId', 'exclusionGroupId'] as const)
    .map((key) => ({ env: settings[key].env, id: config[key]?.toLowerCase() }))
    .filter((entry): entry is { env: string; id: string } => entry.id !== undefined);
  groups.forEach((group, index) => {
    const earlier = groups.slice(0, index).find((other) => other.id === group.id);
    if (earlier !== undefined) problems.push({ setting: group.env, expected: `a different group than ${earlier.env}: each group of the journey has one purpose` });
  });
  return problems;
}
