import { describe, expect, it } from '@jest/globals';
import { settings } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';

const minimal = { MFA_BREAK_GLASS: 'bg1@contoso.onmicrosoft.com', MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true' };

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
    expect(message).toContain('MFA_WAVE_SIZE: expected a number');
    expect(message).toContain('MFA_HALT_FAILURE_RATE: expected at most 1');
    expect(message).not.toContain('12abc');
  });

  it('never echoes a secret, even when it is what is wrong', () => {
    const message = problemOf({ ...minimal, MFA_AUTH_MODE: 'clientSecret', MFA_TENANT_ID: 't', MFA_CLIENT_ID: 'c', MFA_CLIENT_SECRET: 'sEcReT~value', MFA_GRAPH_BASE_URL: 'http://graph.local/' });
    expect(message).toContain('MFA_GRAPH_BASE_URL: expected an https:// URL');
    expect(message).not.toContain('sEcReT~value');
  });

  it('checks settings against each other', () => {
    expect(problemOf({ ...minimal, MFA_AUTH_MODE: 'clientSecret' })).toContain('MFA_CLIENT_SECRET: expected a value when MFA_AUTH_MODE=clientSecret');
    expect(problemOf({ ...minimal, MFA_STRATEGY: 'conditionalAccessGroup' })).toContain('MFA_CA_GROUP_ID: expected a group object id when MFA_STRATEGY=conditionalAccessGroup');
    expect(problemOf({ ...minimal, MFA_WAVE_SIZE: '500', MFA_MAX_WAVE_SIZE: '100' })).toContain('MFA_MAX_WAVE_SIZE: expected at least MFA_WAVE_SIZE');
    expect(problemOf({ ...minimal, MFA_TABLES_ENDPOINT: 'https://acct.table.core.windows.net' })).toContain('exactly one of the two');
  });

  it('parses rings from JSON and reports a bad ring by its position', () => {
    const config = loadConfig({ ...minimal, MFA_RINGS: '[{"name":"finance","attribute":"department","values":["Finance"]}]' });
    expect(config.rings).toEqual([{ name: 'finance', attribute: 'department', values: ['Finance'] }]);
    expect(problemOf({ ...minimal, MFA_RINGS: '[{"name":"Bad Name","groupId":"x"}]' })).toContain('MFA_RINGS: expected ring names are 1-24 lowercase letters, digits or dashes (at 0.name)');
    expect(problemOf({ ...minimal, MFA_RINGS: 'not json' })).toContain('MFA_RINGS: expected a JSON array of rings');
  });

  it('reports every problem at once', () => {
    const message = problemOf({ ...minimal, MFA_WAVE_SIZE: '0', MFA_NOTICE_DAYS: '-1', MFA_STRATEGY: 'magic' });
    expect(message.split('\n').filter((line) => line.startsWith('MFA_'))).toHaveLength(3);
  });

  it('every setting has an MFA_ name and a description', () => {
    for (const definition of Object.values(settings)) {
      expect(definition.env).toMatch(/^MFA_[A-Z0-9_]+$/);
      expect(definition.description.length).toBeGreaterThan(20);
    }
  });
});
