import { RolloutError } from '../errors/RolloutError.js';
import { settings, type Config, type SettingKey } from './configSchema.js';

export interface ConfigProblem {
  /** The app setting at fault, e.g. `MFA_WAVE_SIZE`. */
  setting: string;
  /** What was expected; never the value that was given. */
  expected: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Parses the app settings once into a frozen, typed Config.
 * Throws RolloutError CONFIG_INVALID (or BREAK_GLASS_MISSING) that names each setting at fault and what
 * was expected, and never echoes a value: settings may hold secrets or connection strings.
 */
export function loadConfig(env: Environment): Config {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];

  for (const [key, definition] of Object.entries(settings) as [SettingKey, (typeof settings)[SettingKey]][]) {
    const given = env[definition.env];
    const raw = given === undefined || given === '' ? ('default' in definition ? definition.default : undefined) : given;
    const result = definition.schema.safeParse(raw);
    if (result.success) {
      values[key] = result.data;
    } else {
      for (const issue of result.error.issues) {
        const expected = raw === undefined && issue.code === 'invalid_type' ? 'a value (the setting is required)' : issue.message.replace(/^expected /i, '');
        const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
        problems.push({ setting: definition.env, expected: `${expected}${where}` });
      }
    }
  }

  if (problems.length === 0) problems.push(...crossChecks(values as Config));

  const breakGlassMissing = problems.find((problem) => problem.setting === settings.breakGlass.env);
  if (breakGlassMissing !== undefined && problems.length === 1) {
    throw new RolloutError('BREAK_GLASS_MISSING', `${settings.breakGlass.env}: ${breakGlassMissing.expected}`);
  }
  if (problems.length > 0) {
    const lines = problems.map((problem) => `${problem.setting}: expected ${problem.expected}`);
    throw Object.assign(new RolloutError('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}`), { problems });
  }
  return Object.freeze(values as Config);
}

function crossChecks(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.breakGlass.length === 0) {
    problems.push({ setting: settings.breakGlass.env, expected: 'at least one break-glass account (object id or UPN); the job never runs without one' });
  }
  if ((config.tablesConnection === undefined) === (config.tablesEndpoint === undefined)) {
    problems.push({ setting: `${settings.tablesConnection.env} / ${settings.tablesEndpoint.env}`, expected: 'exactly one of the two' });
  }
  if (config.authMode === 'clientSecret') {
    for (const key of ['tenantId', 'clientId', 'clientSecret'] as const) {
      if (config[key] === undefined) problems.push({ setting: settings[key].env, expected: `a value when ${settings.authMode.env}=clientSecret` });
    }
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
