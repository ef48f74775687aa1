import { describe, expect, it } from '@jest/globals';
import { createRolloutTables, ensureRolloutTables } from '../../../shared/adapters/tables/tableClients.js';
import { RosterTable, isCorruptRow, rosterPartitionKey, type RosterRow } from '../../../shared/adapters/tables/rosterTable.js';
import type { DirectoryUser } from '../../../shared/core/rosterUser.js';
import { isRolloutError } from '../../../shared/errors/RolloutError.js';
import { uniqueTablePrefix, useAzurite } from '../../helpers/azurite.js';
import { testConfig } from '../../helpers/testConfig.js';

const azurite = useAzurite();

async function rosterFor(label: string) {
  const config = testConfig({ MFA_TABLES_CONNECTION: azurite().connectionString, MFA_TABLE_PREFIX: uniqueTablePrefix(label) });
  const tables = createRolloutTables(config);
  await ensureRolloutTables(tables);
  return { tables, roster: new RosterTable(tables.roster, 'r1') };
}

function user(id: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    userPrincipalName: `${id}@contoso.com`,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: '2026-11-24T23:40:00Z',
    department: 'Finance',
    phone: 'validMobile',
    groupIds: [],
    methods: 'unknown',
    methodsCheckedAt: null,
    ...overrides,
  };
}

async function readAll(roster: RosterTable) {
  const rows: RosterRow[] = [];
  for await (const row of roster.rows()) if (!isCorruptRow(row)) rows.push(row);
  return rows;
}

describe('RosterTable', () => {
  it('stores 250 snapshots in transactions, spread over partitions, and reads them back as new users', async () => {
    const { roster, tables } = await rosterFor('bulk');
    const users = Array.from({ length: 250 }, (_, index) => user(`u${String(index).padStart(4, '0')}`));
    await roster.upsertSnapshots(users, 'refresh-1');
    const rows = await readAll(roster);
    expect(rows).toHaveLength(250);
    const byId = new Map(rows.map((row) => [row.user.directory.id, row]));
    for (const expected of users) {
      expect(byId.get(expected.id)?.user).toEqual({ directory: expected, progress: { state: 'new' }, present: true });
    }
    const partitions = new Set<string>();
    for await (const entity of tables.roster.listEntities({ queryOptions: { select: ['PartitionKey'] } })) partitions.add(entity.partitionKey ?? '');
    expect(partitions.size).toBeGreaterThan(32);
    expect([...partitions].every((key) => /^r1~[0-9a-f]{2}$/.test(key))).toBe(true);
  });

  it('another rollout in the same table is invisible', async () => {
    const { roster, tables } = await rosterFor('isolated');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    await new RosterTable(tables.roster, 'r1-other').upsertSnapshots([user('b')], 'refresh-1');
    await new RosterTable(tables.roster, 'r10').upsertSnapshots([user('c')], 'refresh-1');
    expect((await readAll(roster)).map((row) => row.user.directory.id)).toEqual(['a']);
  });

  it('a refresh merges the snapshot and keeps progress and methods knowledge', async () => {
    const { roster } = await rosterFor('merge');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    const [row] = await readAll(roster);
    await roster.writeProgress(row!, { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    await roster.recordMethods('a', 'registered', '2026-11-25T01:00:00.000Z');
    await roster.upsertSnapshots([user('a', { department: null, phone: 'missing' })], 'refresh-2');
    const [after] = await readAll(roster);
    expect(after?.user.progress).toEqual({ state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    expect(after?.user.directory.methods).toBe('registered');
    expect(after?.user.directory.department).toBeNull();
    expect(after?.user.directory.phone).toBe('missing');
  });

  it('keeps the date a notice gave through the attempt and a failure (rows written before it had none)', async () => {
    const { roster } = await rosterFor('promised');
    await roster.upsertSnapshots([user('a'), user('b')], 'refresh-1');
    const first = await readAll(roster);
    const a = first.find((row) => row.user.directory.id === 'a');
    const b = first.find((row) => row.user.directory.id === 'b');
    const announced = { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z', enforceFrom: '2026-11-29T01:00:00.000Z' } as const;
    const told = await roster.writeProgress(a!, announced);
    expect((await readAll(roster)).find((row) => row.user.directory.id === 'a')?.user.progress).toEqual(announced);
    const writing = { state: 'inFlight', waveId: 'w2', step: 'enforce', since: '2026-11-29T01:00:00.000Z', attempts: 1, announcedAt: announced.announcedAt, enforceFrom: announced.enforceFrom, intent: { previousMfaState: 'disabled', createsPhoneMethod: false, phoneConflict: false, alreadyDone: false } } as const;
    const inFlight = await roster.writeProgress(told, writing);
    await roster.writeProgress(inFlight, { state: 'failed', waveId: 'w2', failedAt: '2026-11-29T01:05:00.000Z', attempts: 1, errorCode: 'GRAPH_UNAVAILABLE', requestId: null, announcedAt: announced.announcedAt, enforceFrom: announced.enforceFrom });
    await roster.writeProgress(b!, { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    const rows = new Map((await readAll(roster)).map((row) => [row.user.directory.id, row.user.progress]));
    expect(rows.get('a')).toMatchObject({ state: 'failed', enforceFrom: '2026-11-29T01:00:00.000Z' });
    expect(rows.get('b')).toEqual({ state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
  });

  it('marks users the refresh did not see as no longer present', async () => {
    const { roster } = await rosterFor('absent');
    await roster.upsertSnapshots([user('a'), user('b'), user('c')], 'refresh-1');
    const [first] = await readAll(roster);
    await roster.writeProgress(first!, { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    await roster.upsertSnapshots([user('b')], 'refresh-2');
    expect(await roster.markAbsent('refresh-2')).toBe(2);
    const present = Object.fromEntries((await readAll(roster)).map((row) => [row.user.directory.id, row.user.present]));
    expect(present).toEqual({ a: false, b: true, c: false });
  });

  it('a progress write with a stale ETag is refused with TABLE_CONFLICT and changes nothing', async () => {
    const { roster } = await rosterFor('etag');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    const [row] = await readAll(roster);
    await roster.writeProgress(row!, { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    const stale = roster.writeProgress(row!, { state: 'announced', waveId: 'w2', announcedAt: '2026-11-26T01:00:00.000Z' });
    await expect(stale).rejects.toMatchObject({ code: 'TABLE_CONFLICT', httpStatus: 412 });
    const [after] = await readAll(roster);
    expect(after?.user.progress).toMatchObject({ waveId: 'w1' });
  });

  it('replacing progress drops the previous state\'s fields', async () => {
    const { roster, tables } = await rosterFor('replace');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    let [row] = await readAll(roster);
    row = await roster.writeProgress(row!, { state: 'failed', waveId: 'w1', failedAt: '2026-11-25T01:00:00.000Z', attempts: 1, errorCode: 'GRAPH_THROTTLED', requestId: 'req-1', announcedAt: null });
    await roster.writeProgress(row, {
      state: 'enforced', waveId: 'w2', enforcedAt: '2026-11-26T01:00:00.000Z', attempts: 2, previousMfaState: 'disabled',
      phoneMethodCreated: true, alreadyDone: false, phoneConflict: false, registration: 'unknown', verifiedAt: null,
    });
    const entity = await tables.roster.getEntity<Record<string, unknown>>(rosterPartitionKey('r1', 'a'), 'a');
    expect(entity['errorCode']).toBeUndefined();
    expect(entity['failedAt']).toBeUndefined();
    expect(entity['previousMfaState']).toBe('disabled');
    const [after] = await readAll(roster);
    expect(after?.user.progress.state).toBe('enforced');
    expect(after?.seenBy).toBe('refresh-1');
  });

  it('a corrupt row is reported by name and does not stop the read', async () => {
    const { roster, tables } = await rosterFor('corrupt');
    await roster.upsertSnapshots([user('good1'), user('good2')], 'refresh-1');
    await tables.roster.createEntity({ partitionKey: rosterPartitionKey('r1', 'broken'), rowKey: 'broken', upn: 'x@contoso.com', accountEnabled: true, userType: 'Member', syncEnabled: 'true', phone: 'validMobile', groupIds: '[]', present: true, state: 'teleported' });
    const seen: string[] = [];
    const corrupt: string[] = [];
    for await (const row of roster.rows()) {
      if (isCorruptRow(row)) {
        corrupt.push(row.userId);
        expect(isRolloutError(row.corrupt)).toBe(true);
        expect(row.corrupt.code).toBe('ROW_CORRUPT');
        expect(row.corrupt.message).toContain('broken');
        expect(row.corrupt.message).toContain("'state'");
      } else seen.push(row.user.directory.id);
    }
    expect(corrupt).toEqual(['broken']);
    expect(seen.sort()).toEqual(['good1', 'good2']);
  });

  it('records a Temporary Access Pass issued on the row (ETag-guarded), and keeps it through progress writes and refreshes', async () => {
    const { roster, tables } = await rosterFor('tap');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    const [row] = await readAll(roster);
    expect(row?.tap).toBeNull();
    const tap = { issuedAt: '2026-12-01T09:00:00.000Z', expiresAt: '2026-12-01T10:00:00.000Z', runId: 'cli-issue-tap-1', count: 1 };
    const recorded = await roster.recordTapIssued(row!, tap);
    expect(recorded.tap).toEqual(tap);
    await expect(roster.recordTapIssued(row!, { ...tap, count: 2 })).rejects.toMatchObject({ code: 'TABLE_CONFLICT' });
    await roster.writeProgress(recorded, { state: 'announced', waveId: 'w1', announcedAt: '2026-12-01T01:00:00.000Z' });
    await roster.upsertSnapshots([user('a', { department: 'IT' })], 'refresh-2');
    const [after] = await readAll(roster);
    expect([after?.tap, after?.user.progress.state, after?.user.directory.department]).toEqual([tap, 'announced', 'IT']);
    const entity = await tables.roster.getEntity<Record<string, unknown>>(rosterPartitionKey('r1', 'a'), 'a');
    expect([entity['tapIssuedAt'], entity['tapExpiresAt'], entity['tapRunId'], entity['tapCount']]).toEqual([tap.issuedAt, tap.expiresAt, tap.runId, 1]);
  });

  it('reports a row whose Temporary Access Pass fields are broken as corrupt, naming the field', async () => {
    const { roster, tables } = await rosterFor('tapcorrupt');
    await roster.upsertSnapshots([user('a')], 'refresh-1');
    await tables.roster.updateEntity({ partitionKey: rosterPartitionKey('r1', 'a'), rowKey: 'a', tapIssuedAt: '2026-12-01T09:00:00.000Z', tapCount: 0 }, 'Merge');
    const [row] = await (async () => { const all = []; for await (const entry of roster.rows()) all.push(entry); return all; })();
    expect(row !== undefined && isCorruptRow(row) ? row.corrupt.message : '').toMatch(/field 'tapExpiresAt'/);
  });
});
