import { describe, expect, it } from '@jest/globals';
import { tenantConfig, tenantSettingRefusal } from '../../shared/config/tenantConfig.js';

const tenantId = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** A many-tenants deployment's app settings: storage, identity, defaults; its own MFA_BREAK_GLASS is not a tenant's. */
const deployment = {
  MFA_MULTI_TENANT: 'true',
  MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true',
  MFA_AUTH_MODE: 'clientSecret',
  MFA_CLIENT_ID: 'app-client-id',
  MFA_CLIENT_SECRET: 'deployment-secret-value',
  MFA_TARGET_METHOD: 'phone',
  MFA_SMS_DELIVERY: 'customerManaged',
  MFA_WAVE_SIZE: '40',
  MFA_BREAK_GLASS: 'deployment-admin@msp.example',
  MFA_PILOT_GROUP_ID: '11111111-1111-4111-8111-111111111111',
};

const own = { MFA_BREAK_GLASS: 'bg1@fabrikam.example,bg2@fabrikam.example' };

describe('tenantConfig', () => {
  it('is the deployment\'s settings with the entry\'s overrides, the tenant id as tenant and rollout id', () => {
    const config = tenantConfig(deployment, { tenantId: tenantId.toUpperCase(), displayName: 'Fabrikam', settings: { ...own, MFA_WAVE_SIZE: '75' } });
    expect(config).toMatchObject({ tenantId, rolloutId: tenantId, waveSize: 75, clientId: 'app-client-id', multiTenant: true, targetMethod: 'phone' });
    expect(config.breakGlass).toEqual(['bg1@fabrikam.example', 'bg2@fabrikam.example']);
  });

  it('never inherits an object id or account of the deployment\'s own directory', () => {
    const config = tenantConfig(deployment, { tenantId, displayName: 'Fabrikam', settings: own });
    expect(config.pilotGroupId).toBeUndefined();
  });

  it('requires MFA_BREAK_GLASS of each tenant, naming the tenant (the deployment\'s does not count)', () => {
    expect(() => tenantConfig(deployment, { tenantId, displayName: 'Fabrikam', settings: {} })).toThrow(expect.objectContaining({
      code: 'BREAK_GLASS_MISSING',
      message: expect.stringMatching(new RegExp(`^Tenant ${tenantId} \\(Fabrikam\\): MFA_BREAK_GLASS: expected`)),
    }));
  });

  it('names the tenant and the setting of a bad value, never the value', () => {
    const run = () => tenantConfig(deployment, { tenantId, displayName: 'Fabrikam', settings: { ...own, MFA_WAVE_SIZE: 'lots-of-them' } });
    expect(run).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(`Tenant ${tenantId} (Fabrikam): Invalid configuration:\nMFA_WAVE_SIZE: expected a whole number`) }));
    expect(run).toThrow(expect.objectContaining({ message: expect.not.stringContaining('lots-of-them') }));
  });

  it('refuses secrets, deployment settings and names that are no setting, each by name', () => {
    const run = () => tenantConfig(deployment, { tenantId, displayName: 'Fabrikam', settings: { ...own, MFA_CLIENT_SECRET: 'tenant-secret-value', MFA_TABLE_PREFIX: 'other', MFA_WAVE_SIZ: '3' } });
    expect(run).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const message = (() => {
      try {
        run();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('MFA_CLIENT_SECRET: refused in a tenant\'s settings (a secret');
    expect(message).toContain('MFA_TABLE_PREFIX: refused in a tenant\'s settings (a deployment setting');
    expect(message).toContain('MFA_WAVE_SIZ: refused in a tenant\'s settings (not a setting of the rollout');
    expect(message).not.toContain('tenant-secret-value');
  });

  it('lets a tenant point at its own Graph, authority and app only for rehearsals with separate sandboxes', () => {
    expect(tenantSettingRefusal('MFA_GRAPH_BASE_URL')).toBeNull();
    expect(tenantSettingRefusal('MFA_AUTHORITY_HOST')).toBeNull();
    expect(tenantSettingRefusal('MFA_CLIENT_ID')).toBeNull();
    expect(tenantSettingRefusal('MFA_EXTRA_CA_FILE')).toBeNull();
    expect(tenantSettingRefusal('MFA_TENANT_ID')).toMatch(/the registry sets it/);
    expect(tenantSettingRefusal('MFA_ROLLOUT_ID')).toMatch(/the registry sets it/);
  });
});
