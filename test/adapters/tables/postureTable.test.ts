import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from '@jest/globals';
import { assessBreakGlass } from '../../../shared/core/assessBreakGlass.js';
import { openTablePorts } from '../../../shared/shell/rolloutPorts.js';
import { uniqueTablePrefix, useAzurite } from '../../helpers/azurite.js';
import { testConfig } from '../../helpers/testConfig.js';

const azurite = useAzurite();

const posture = assessBreakGlass({ entries: [{ entry: 'nobody@contoso.com', account: null }], roles: { read: false, errorCode: 'GRAPH_PERMISSION_MISSING', message: 'x' }, enrolsCloudOnly: false, listLimit: 10 });

describe('PostureTable', () => {
  it('keeps the latest finding and one row per night, and merges sections instead of replacing the row', async () => {
    const config = testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix('posture') });
    const ports = await openTablePorts(config);
    expect(await ports.posture.latest()).toBeNull();
    await ports.posture.save(new Date('2026-12-01T01:00:00Z'), { breakGlass: posture });
    expect(await ports.posture.latest()).toEqual({ checkedAt: '2026-12-01T01:00:00.000Z', sections: { breakGlass: posture } });

    // a later stream's section, written by another writer: a new night of ours must leave it in place
    const table = TableClient.fromConnectionString(azurite().connectionString, `${config.tablePrefix}Posture`, { allowInsecureConnection: true });
    await table.upsertEntity({ partitionKey: config.rolloutId, rowKey: 'latest', laterStreamJson: '{"version":1}' }, 'Merge');
    await ports.posture.save(new Date('2026-12-02T01:00:00Z'), { breakGlass: posture });
    const rows = [];
    for await (const entity of table.listEntities<Record<string, unknown>>()) rows.push(entity);
    expect(rows.map((row) => row.rowKey).sort()).toEqual(['latest', 'night-2026-12-01', 'night-2026-12-02']);
    expect(rows.find((row) => row.rowKey === 'latest')).toMatchObject({ laterStreamJson: '{"version":1}', checkedAt: '2026-12-02T01:00:00.000Z' });

    // a section of a version this code does not know is left out, not misread
    await table.upsertEntity({ partitionKey: config.rolloutId, rowKey: 'latest', breakGlassJson: '{"version":2}' }, 'Merge');
    expect((await ports.posture.latest())?.sections).toEqual({});
    // nor is one of the right version that is not the shape it should be (a hand edit, a half-written row)
    await table.upsertEntity({ partitionKey: config.rolloutId, rowKey: 'latest', breakGlassJson: '{"version":1}', methodsJson: '{"version":1,"problems":"none"}' }, 'Merge');
    expect((await ports.posture.latest())?.sections).toEqual({});
  });

  it('gives the nightly user-posture counts of the most recent nights, oldest first, skipping nights without them', async () => {
    const config = testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix('posture') });
    const ports = await openTablePorts(config);
    const counts = (smsVoiceOnly: number) => ({ noMfaMethod: 1, smsVoiceOnly, otherMethod: 0, targetRegistered: 0, phishingResistantEnforced: 0, notInJourney: 0, excluded: 0, parked: 0, total: 1 + smsVoiceOnly, notPresent: 0, notInJourneyNoStrongMethod: 0 });
    for (const [day, sms] of [['2026-12-01', 30], ['2026-12-02', 20], ['2026-12-04', 10]] as const) {
      await ports.posture.save(new Date(`${day}T01:00:00Z`), { userPostures: { version: 1, countedAt: `${day}T01:00:00.000Z`, counts: counts(sms) } });
    }
    await ports.posture.save(new Date('2026-12-03T01:00:00Z'), { breakGlass: posture }); // a night held before it read the roster
    expect((await ports.posture.userPostureNights(90)).map((night) => [night.date, night.counts.smsVoiceOnly])).toEqual([['2026-12-01', 30], ['2026-12-02', 20], ['2026-12-04', 10]]);
    expect((await ports.posture.userPostureNights(2)).map((night) => night.date)).toEqual(['2026-12-02', '2026-12-04']);
  });
});
