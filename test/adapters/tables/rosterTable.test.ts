import { describe, expect, it } from '@jest/globals';
import { createRolloutTables, ensureRolloutTables } from '../../../shared/adapters/tables/tableClients.js';
import { RosterTable, isCorruptRow, rosterPartitionKey, type RosterRow } from '../../../shared/adapters/tables/rosterTable.js';
import type { DirectoryUser } from '../../../shared/core/rosterUser.js';
import { isRolloutError } from '../../../shared/errors/RolloutError.js';
import { uniqueTablePrefix, useAzurite } from '../../helpers/azurite.js';
import { testConfig } from '../../helpers/testConfig.js';
import { beginJourney, completeWrite, failStep, recordIntent } from '../../../shared/core/journey/journeyTransitions.js';

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
    const journey = beginJourney(announced, 'w2', new Date('2026-11-29T01:00:00.000Z'));
    const writing = recordIntent(journey, 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w2', new Date('2026-11-29T01:00:00.000Z'), 'disabled');
    const inFlight = await roster.writeProgress(told, writing);
    expect((await readAll(roster)).find((row) => row.user.directory.id === 'a')?.user.progress).toEqual(writing);
    await roster.writeProgress(inFlight, failStep(writing, { step: 'enforceMfa', waveId: 'w2', errorCode: 'GRAPH_UNAVAILABLE', requestId: null }, { maxAttempts: 3 }, new Date('2026-11-29T01:05:00.000Z')));
    await roster.writeProgress(b!, { state: 'announced', waveId: 'w1', announcedAt: '2026-11-25T01:00:00.000Z' });
    const rows = new Map((await readAll(roster)).map((row) => [row.user.directory.id, row.user.progress]));
    expect(rows.get('a')).toMatchObject({ state: 'failed', journey: { enforceFrom: '2026-11-29T01:00:00.000Z', attempts: 1 }, failure: { errorCode: 'GRAPH_UNAVAILABLE' } });
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
    const at = new Date('2026-11-25T01:00:00.000Z');
    const writing = recordIntent(beginJourney({ state: 'new' }, 'w1', at), 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w1', at, 'disabled');
    row = await roster.writeProgress(row!, failStep(writing, { step: 'enforceMfa', waveId: 'w1', errorCode: 'GRAPH_THROTTLED', requestId: 'req-1' }, { maxAttempts: 3 }, at));
    expect((await tables.roster.getEntity<Record<string, unknown>>(rosterPartitionKey('r1', 'a'), 'a'))['failure']).toContain('GRAPH_THROTTLED');
    await roster.writeProgress(row, completeWrite(recordIntent(beginJourney({ state: 'new' }, 'w2', at), 'enforceMfa', { kind: 'setPerUserMfaState', state: 'enforced' }, 'w2', at, 'disabled'), at));
    const entity = await tables.roster.getEntity<Record<string, unknown>>(rosterPartitionKey('r1', 'a'), 'a');
    expect(entity['failure']).toBeUndefined();
    expect(entity['pending']).toBeUndefined();
    expect(JSON.parse(String(entity['journey']))).toMatchObject({ steps: { enforceMfa: { waveId: 'w2', previousMfaState: 'disabled' } } });
    const [after] = await readAll(roster);
    expect(after?.user.progress.state).toBe('active');
    expect(after?.seenBy).toBe('refresh-1');
  });

  it('a row the rollout wrote before the journey reads as journey progress: its steps stay the wave\'s, for a rollback', async () => {
    const { roster, tables } = await rosterFor('legacy');
    await roster.upsertSnapshots([user('old'), user('stuck')], 'refresh-1');
    await tables.roster.updateEntity({
      partitionKey: rosterPartitionKey('r1', 'old'), rowKey: 'old', state: 'enforced', waveId: 'w7', enforcedAt: '2026-11-20T01:10:00.000Z', attempts: 1,
      previousMfaState: 'enabled', phoneMethodCreated: true, alreadyDone: false, phoneConflict: false, registration: 'registered', verifiedAt: '2026-11-22T01:00:00.000Z',
    }, 'Merge');
    await tables.roster.updateEntity({
      partitionKey: rosterPartitionKey('r1', 'stuck'), rowKey: 'stuck', state: 'inFlight', waveId: 'w8', step: 'enforce', since: '2026-11-21T01:10:00.000Z', attempts: 2,
      announcedAt: null, intent: JSON.stringify({ previousMfaState: 'disabled', createsPhoneMethod: false, phoneConflict: false, alreadyDone: false }),
    }, 'Merge');
    const rows = new Map((await readAll(roster)).map((row) => [row.user.directory.id, row.user.progress]));
    const old = rows.get('old');
    if (old?.state !== 'active') throw new Error(`expected the enforced row active, got ${old?.state}`);
    expect(old.journey.steps).toEqual({
      phoneMethod: { waveId: 'w7', at: '2026-11-20T01:10:00.000Z', wrote: true, action: 'create' },
      enforceMfa: { waveId: 'w7', at: '2026-11-20T01:10:00.000Z', wrote: true, via: 'perUserMfa', previousMfaState: 'enabled' },
    });
    expect(old.journey.registration).toBeNull(); // 'registered' meant any method, not the passkey: the next check looks
    expect(rows.get('stuck')).toMatchObject({ state: 'failed', journey: { attempts: 2 }, failure: { step: 'enforceMfa', waveId: 'w8', errorCode: 'RUN_INTERRUPTED' } });
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
