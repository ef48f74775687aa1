import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createTableClient } from '../../shared/adapters/tables/tableClients.js';
import type { DirectoryUser } from '../../shared/core/rosterUser.js';
import { importPilot, withImportedPilot } from '../../shared/shell/importPilot.js';
import { openTablePorts } from '../../shared/shell/rolloutPorts.js';
import { uniqueTablePrefix, useAzurite } from '../helpers/azurite.js';
import { testConfig } from '../helpers/testConfig.js';

const azurite = useAzurite();

function user(upn: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id: `id-${upn.split('@')[0] ?? upn}`, userPrincipalName: upn, accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: null, department: null, phone: 'validMobile', groupIds: [], methods: 'unknown', methodsCheckedAt: null, ...overrides,
  };
}

/** The table ports only: importing a pilot list never calls Graph. */
async function tablePorts() {
  const config = testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix('pilot') });
  const ports = await openTablePorts(config);
  await ports.roster.upsertSnapshots([user('alice@contoso.com'), user('bob@contoso.com'), user('breakglass1@contoso.onmicrosoft.com')], 'refresh');
  return { config, ports };
}

describe('importPilot', () => {
  it('imports a bulk-update CSV into the pilot list that the night plans with', async () => {
    const { config, ports } = await tablePorts();
    const result = await importPilot(config, ports, 'Username,MFA Status\nalice@contoso.com,Enabled\nbob@contoso.com,Disabled\n', new Date());
    expect(result).toEqual({ delimiter: ',', imported: 1, skipped: 1, duplicates: 0, excluded: [] });
    expect(await ports.pilot.ids()).toEqual(['id-alice']);
    expect((await withImportedPilot(config, ports)).pilotUsers).toEqual(['id-alice']);
  });

  it('before the first roster refresh it refuses with ROSTER_EMPTY (not a bad-rows error) and imports nothing', async () => {
    const config = testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix('pilot') });
    const ports = await openTablePorts(config);
    await expect(importPilot(config, ports, 'alice@contoso.com\n', new Date())).rejects.toMatchObject({ code: 'ROSTER_EMPTY', message: expect.stringMatching(/^The roster is empty: run `mfa-rollout plan`/) });
    expect(await ports.pilot.ids()).toEqual([]);
  });

  it('a list longer than one table transaction holds is refused whole (CSV_INVALID, with the limit), and the previous list stays', async () => {
    const { config, ports } = await tablePorts();
    await importPilot(config, ports, 'alice@contoso.com\n', new Date());
    const tooMany = Array.from({ length: 40_001 }, () => randomUUID());
    await expect(ports.pilot.replace(tooMany, new Date().toISOString())).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: 'The pilot list is too large to import at once (40001 users; at most 40000); nothing was imported',
    });
    expect(await ports.pilot.ids()).toEqual(['id-alice']);
    // the largest list it takes lands whole, every chunk a string Table Storage takes (about 32 K characters at most)
    await ports.pilot.replace(tooMany.slice(0, 40_000), new Date().toISOString());
    expect(await ports.pilot.ids()).toEqual(tooMany.slice(0, 40_000));
    const lengths: number[] = [];
    for await (const row of createTableClient(config, 'Pilot').listEntities<{ ids: string }>()) lengths.push(row.ids.length);
    expect({ rows: lengths.length, longest: Math.max(...lengths) }).toEqual({ rows: 50, longest: 29_599 });
  });

  it('a file with bad rows imports nothing and names every bad line', async () => {
    const { config, ports } = await tablePorts();
    await importPilot(config, ports, 'alice@contoso.com\n', new Date());
    const bad = importPilot(config, ports, 'UPN\nbob@contoso.com\nnobody@contoso.com\nnot a upn\n', new Date());
    await expect(bad).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/2 bad row\(s\); nothing was imported:\nline 3: no user nobody@contoso\.com in the directory .*\nline 4: not a user principal name/),
    });
    expect(await ports.pilot.ids()).toEqual(['id-alice']);
  });

  it('the issue\'s case: a misspelt header (Username,MFA State) is refused, naming the expected headers; the Disabled user stays out and the previous list stays', async () => {
    const { config, ports } = await tablePorts();
    await importPilot(config, ports, 'alice@contoso.com\n', new Date());
    const misspelt = importPilot(config, ports, 'Username,MFA State\nalice@contoso.com,Enabled\nbob@contoso.com,Disabled\n', new Date());
    await expect(misspelt).rejects.toMatchObject({
      code: 'CSV_INVALID',
      message: expect.stringMatching(/^The pilot CSV is not a file the import reads; nothing was imported:\nline 1: the header \(comma-separated columns "Username", "MFA State"\) is not one the import reads: expected the MFA portal's bulk-update header "Username,MFA Status"/),
    });
    expect(await ports.pilot.ids()).toEqual(['id-alice']);
  });

  it('a user unknown to the roster is reported on the line that names them', async () => {
    const { config, ports } = await tablePorts();
    const bad = importPilot(config, ports, 'maja.alice@contoso.com\nalice@contoso.com\n', new Date());
    await expect(bad).rejects.toMatchObject({ message: expect.stringMatching(/\nline 1: no user maja\.alice@contoso\.com in the directory/) });
    const later = importPilot(config, ports, 'alice@contoso.com\nlice@contoso.com\n', new Date());
    await expect(later).rejects.toMatchObject({ message: expect.stringMatching(/\nline 2: no user lice@contoso\.com in the directory/) });
  });

  it('imports a semicolon-separated bulk-update file and says it was one', async () => {
    const { config, ports } = await tablePorts();
    const result = await importPilot(config, ports, 'Username;MFA Status\r\nalice@contoso.com;Enabled\r\nbob@contoso.com;Enforced\r\n', new Date());
    expect(result).toEqual({ delimiter: ';', imported: 2, skipped: 0, duplicates: 0, excluded: [] });
    expect(await ports.pilot.ids()).toEqual(['id-alice', 'id-bob']);
  });

  it('never puts an excluded account in the pilot', async () => {
    const { config, ports } = await tablePorts();
    const result = await importPilot(config, ports, 'alice@contoso.com\nbreakglass1@contoso.onmicrosoft.com\n', new Date());
    expect(result.excluded).toEqual(['breakglass1@contoso.onmicrosoft.com']);
    expect(await ports.pilot.ids()).toEqual(['id-alice']);
  });

  it('a new import replaces the previous list whole, across chunks', async () => {
    const { config, ports } = await tablePorts();
    await ports.pilot.replace(Array.from({ length: 2500 }, (_, index) => `id-${index}`), new Date().toISOString());
    expect(await ports.pilot.ids()).toHaveLength(2500);
    await importPilot(config, ports, 'bob@contoso.com\n', new Date());
    expect(await ports.pilot.ids()).toEqual(['id-bob']);
  });
});
