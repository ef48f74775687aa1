import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { deploymentSandboxSettings, phoneTrackSettings, sandboxSettings, tenantSandboxSettings, workloadIdentitySandboxSettings } from '../../rehearsal/sandboxSettings.js';
import { runSandboxCli } from '../../sandbox/admin/sandboxCli.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/startSandbox.js';

describe('settings for each tenant of a many-tenant sandbox', () => {
  let sandbox: SandboxHandle;
  let folder = '';
  let caFile = '';
  beforeAll(async () => {
    sandbox = await startSandbox({ tenants: [{ users: 30, homeCountry: 'NO' }, { users: 50 }] });
    folder = await mkdtemp(join(tmpdir(), 'tenant-settings-'));
    caFile = join(folder, 'ca.pem');
    await writeFile(caFile, sandbox.caPem);
  });
  afterAll(async () => {
    await sandbox.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it("splits the deployment's settings from each tenant's, and each tenant's validate against the product's schema", () => {
    const deployment = deploymentSandboxSettings(sandbox, 'UseDevelopmentStorage=true', caFile);
    expect(deployment).not.toHaveProperty('MFA_TENANT_ID');
    expect(sandboxSettings(sandbox, 'UseDevelopmentStorage=true', caFile)).toEqual({ ...deployment, ...tenantSandboxSettings(sandbox, sandbox) });
    for (const tenant of sandbox.tenants) {
      const own = tenantSandboxSettings(sandbox, tenant.tenantId);
      expect(own).toEqual(tenantSandboxSettings(sandbox, tenant));
      expect(Object.keys(own).some((name) => name in deployment)).toBe(false);
      const config = loadConfig({ ...deployment, ...own, ...phoneTrackSettings });
      expect(config.tenantId).toBe(tenant.tenantId);
      // every id names an object of that tenant, none of the other's
      const [byId, byUpn] = config.breakGlass;
      expect([tenant.state.findUser(byId ?? '')?.id, tenant.state.findUser(byUpn ?? '')?.id]).toEqual(tenant.manifest.breakGlass.map((account) => account.id));
      for (const groupId of [own.MFA_EXCLUSION_GROUP_ID, own.MFA_PILOT_GROUP_ID, own.MFA_CA_GROUP_ID, own.MFA_CAMPAIGN_GROUP_ID, own.MFA_PHONE_RETIRED_GROUP_ID]) {
        expect(tenant.state.findGroup(groupId ?? '')).toBeDefined();
      }
    }
    const [first, second] = sandbox.tenants.map((tenant) => tenantSandboxSettings(sandbox, tenant));
    expect([first?.MFA_DEFAULT_PHONE_REGION, second?.MFA_DEFAULT_PHONE_REGION]).toEqual(['NO', 'SE']);
    expect(first?.MFA_PILOT_GROUP_ID).not.toBe(second?.MFA_PILOT_GROUP_ID);
    expect(() => tenantSandboxSettings(sandbox, '00000000-0000-4000-8000-000000000000')).toThrow(RangeError);
  });

  it("names the sandbox's managed identity endpoint as the Functions host would, and the product's identity setting", () => {
    const settings = workloadIdentitySandboxSettings(sandbox);
    expect(settings).toEqual({
      IDENTITY_ENDPOINT: sandbox.workloadIdentity.identityEndpoint,
      IDENTITY_HEADER: sandbox.workloadIdentity.identityHeader,
      MFA_MANAGED_IDENTITY_CLIENT_ID: sandbox.workloadIdentity.managedIdentity.clientId,
    });
    expect(settings.IDENTITY_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
    expect(loadConfig({ ...deploymentSandboxSettings(sandbox, 'UseDevelopmentStorage=true', caFile), ...tenantSandboxSettings(sandbox, sandbox), ...settings, ...phoneTrackSettings }).managedIdentityClientId).toBe(settings.MFA_MANAGED_IDENTITY_CLIENT_ID);
  });
});

describe('sandbox CLI --tenants N', () => {
  it('serves N generated tenants of varied sizes and prints each one', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const running = await runSandboxCli(['--tenants', '3', '--users', '40', '--seed', '3'], { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
    try {
      expect(out).toHaveLength(1);
      const ready = JSON.parse(out[0] ?? '') as { tenantId: string; tenants: { tenantId: string; displayName: string; users: number; adminUrl: string }[]; identityEndpoint: string; managedIdentityClientId: string };
      expect(ready.tenants.map(({ displayName, users }) => ({ displayName, users }))).toEqual([
        { displayName: 'Contoso', users: 40 },
        { displayName: 'Fabrikam', users: 24 },
        { displayName: 'Northwind', users: 100 },
      ]);
      expect(ready.tenants.map((tenant) => tenant.tenantId)).toEqual(running.sandbox.tenants.map((tenant) => tenant.tenantId));
      expect(new Set(ready.tenants.map((tenant) => tenant.tenantId)).size).toBe(3);
      expect(ready.tenantId).toBe(ready.tenants[0]?.tenantId);
      expect(ready).toMatchObject({ identityEndpoint: running.sandbox.workloadIdentity.identityEndpoint, managedIdentityClientId: running.sandbox.workloadIdentity.managedIdentity.clientId });
      expect(running.sandbox.tenants.map((tenant) => tenant.manifest.seed)).toEqual([3, 4, 5]);
      const guidance = err.join('\n');
      for (const tenant of ready.tenants) expect(guidance).toContain(`${tenant.tenantId}  ${tenant.displayName} (${tenant.users} users)  ${tenant.adminUrl}`);
      expect(await readFile(running.caFile, 'utf8')).toBe(running.sandbox.caPem);
    } finally {
      await running.stop();
    }
    await expect(runSandboxCli(['--tenants', '0'], { stdout: () => undefined, stderr: () => undefined })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
