import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TableClient } from '@azure/data-tables';
import { uniqueTablePrefix, useAzurite } from '../helpers/azurite.js';
import { runCommand } from '../helpers/runCli.js';

const azurite = useAzurite();
const fabrikam = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** A many-tenants deployment on Azurite, with fresh tables. */
function deployment(): Record<string, string> {
  return {
    MFA_MULTI_TENANT: 'true',
    MFA_TABLES_CONNECTION: azurite().connectionString,
    MFA_TABLE_PREFIX: uniqueTablePrefix('tenants'),
    MFA_AUTH_MODE: 'clientSecret',
    MFA_CLIENT_ID: '0a0b0c0d-1111-4222-8333-444455556666',
    MFA_CLIENT_SECRET: 'deployment-secret-value',
    MFA_TARGET_METHOD: 'phone',
    MFA_SMS_DELIVERY: 'customerManaged',
  };
}

async function registryRows(settings: Record<string, string>): Promise<Record<string, unknown>[]> {
  const table = TableClient.fromConnectionString(azurite().connectionString, `${settings['MFA_TABLE_PREFIX'] ?? ''}Tenants`, { allowInsecureConnection: true });
  const rows: Record<string, unknown>[] = [];
  for await (const entity of table.listEntities<Record<string, unknown>>()) rows.push(entity);
  return rows;
}

describe('mfa-rollout tenants', () => {
  it('add validates, then writes the entry: list, show and disable read and change it', async () => {
    const settings = deployment();
    const dir = mkdtempSync(path.join(tmpdir(), 'mfa-tenant-'));
    const file = path.join(dir, 'fabrikam.json');
    writeFileSync(file, JSON.stringify({ MFA_BREAK_GLASS: 'bg1@fabrikam.example,bg2@fabrikam.example', MFA_WAVE_SIZE: 25 }));

    const added = await runCommand(settings, ['tenants', 'add', fabrikam.toUpperCase(), '--name', 'Fabrikam', '--settings-file', file, '--set', 'MFA_WAVE_SIZE=30', '--set', 'MFA_WAVE_SCHEDULE=0 30 2 * * *']);
    expect(added).toMatchObject({ exitCode: 0, err: '' });
    expect(added.out).toContain(`Added Tenant ${fabrikam} (Fabrikam): enabled, 3 setting(s) of its own (MFA_BREAK_GLASS, MFA_WAVE_SCHEDULE, MFA_WAVE_SIZE)`);
    const [row] = await registryRows(settings);
    expect(row).toMatchObject({ partitionKey: 'tenant', rowKey: fabrikam, displayName: 'Fabrikam', enabled: true });
    expect(JSON.parse(String(row?.['settings']))).toEqual({ MFA_BREAK_GLASS: 'bg1@fabrikam.example,bg2@fabrikam.example', MFA_WAVE_SIZE: '30', MFA_WAVE_SCHEDULE: '0 30 2 * * *' });

    const listed = await runCommand(settings, ['tenants', 'list']);
    expect(listed.out).toMatch(new RegExp(`^${fabrikam}  enabled .* 3 setting\\(s\\)  last enqueued never  Fabrikam$`, 'm'));
    const shown = await runCommand(settings, ['tenants', 'show', fabrikam, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ tenantId: fabrikam, enabled: true, settings: { MFA_WAVE_SIZE: '30' } });

    const disabled = await runCommand(settings, ['tenants', 'disable', fabrikam]);
    expect(disabled).toMatchObject({ exitCode: 0 });
    expect((await registryRows(settings))[0]).toMatchObject({ enabled: false, disabledAt: expect.any(String) });
  });

  it('refuses a tenant without MFA_BREAK_GLASS, with a secret or a bad value, by name, and writes nothing', async () => {
    const settings = deployment();
    const withoutBreakGlass = await runCommand(settings, ['tenants', 'add', fabrikam, '--name', 'Fabrikam', '--set', 'MFA_WAVE_SIZE=30']);
    expect(withoutBreakGlass.exitCode).toBe(2);
    expect(withoutBreakGlass.err).toMatch(new RegExp(`^BREAK_GLASS_MISSING: Tenant ${fabrikam} \\(Fabrikam\\): MFA_BREAK_GLASS: expected`));

    const withSecret = await runCommand(settings, ['tenants', 'add', fabrikam, '--name', 'Fabrikam', '--set', 'MFA_BREAK_GLASS=bg@fabrikam.example', '--set', 'MFA_CLIENT_SECRET=tenant-secret-value']);
    expect(withSecret.exitCode).toBe(2);
    expect(withSecret.err).toContain('MFA_CLIENT_SECRET: refused in a tenant\'s settings (a secret');
    expect(withSecret.err).not.toContain('tenant-secret-value');

    const badValue = await runCommand(settings, ['tenants', 'add', fabrikam, '--name', 'Fabrikam', '--set', 'MFA_BREAK_GLASS=bg@fabrikam.example', '--set', 'MFA_HALT_FAILURE_RATE=2']);
    expect(badValue.exitCode).toBe(2);
    expect(badValue.err).toContain(`CONFIG_INVALID: Tenant ${fabrikam} (Fabrikam): Invalid configuration:\nMFA_HALT_FAILURE_RATE: expected`);

    const notAnId = await runCommand(settings, ['tenants', 'add', 'fabrikam.onmicrosoft.com', '--name', 'Fabrikam', '--set', 'MFA_BREAK_GLASS=bg@fabrikam.example']);
    expect(notAnId.exitCode).toBe(7);
    expect(await registryRows(settings)).toEqual([]);
  });

  it('fan-out --dry-run says who the timer would enqueue and why the others wait, and enqueues nothing', async () => {
    const settings = { ...deployment(), AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
    const later = new Date(Date.now() + 3 * 3_600_000);
    const schedule = `0 ${later.getUTCMinutes()} ${later.getUTCHours()} * * *`;
    await runCommand(settings, ['tenants', 'add', fabrikam, '--name', 'Fabrikam', '--set', 'MFA_BREAK_GLASS=bg@fabrikam.example', '--set', `MFA_WAVE_SCHEDULE=${schedule}`, '--set', 'MFA_START_WINDOW_MINUTES=60']);
    const dry = await runCommand(settings, ['fan-out', '--dry-run', '--json']);
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ enqueued: [], failed: [], tenants: [{ tenantId: fabrikam, verdict: 'notYet', displayName: 'Fabrikam', error: null }] });
    expect((await registryRows(settings))[0]?.['lastEnqueuedNight']).toBeUndefined();
  });

  it('names a tenant the registry does not hold', async () => {
    const shown = await runCommand(deployment(), ['tenants', 'show', fabrikam]);
    expect(shown.exitCode).toBe(1);
    expect(shown.err).toMatch(new RegExp(`^TENANT_NOT_REGISTERED: Tenant ${fabrikam} is not in the tenant registry`));
  });
});
