import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { caught, failureOf } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const alreadyMember = "One or more added object references already exist for the following modified properties: 'members'.";
const reference = (id: string): string => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
const unknownId = '00000000-0000-4000-8000-00000000abcd';

interface Page {
  value: { '@odata.type': string; id: string }[];
}

describe('group membership writes', () => {
  let t: TestSandbox;
  let groupId = '';
  const ids = (category: UserCategory): string[] => t.sandbox.manifest.users.filter((user) => user.category === category).map((user) => user.id);
  const memberIds = (): string[] => [...(t.sandbox.state.findGroup(groupId)?.memberIds ?? [])];
  const nonMembers = (count: number): string[] => {
    const found = t.sandbox.manifest.users.filter((user) => user.category !== 'breakGlass' && !t.sandbox.state.isGroupMember(groupId, user.id)).slice(0, count);
    if (found.length < count) throw new Error('not enough users outside the group');
    return found.map((user) => user.id);
  };
  const journalSince = (seq: number) => t.sandbox.journal.entries(seq);
  const lastSeq = (): number => t.sandbox.journal.entries().at(-1)?.seq ?? 0;

  beforeAll(async () => {
    t = await startTestSandbox({ users: 200, seed: 21, faults: { latency: false } });
    groupId = t.sandbox.manifest.groups.mfaRequired;
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts with an empty "MFA Required" group, named in the manifest', async () => {
    const group = (await t.client.api(`/groups/${groupId}`).select(['id', 'displayName']).get()) as Record<string, unknown>;
    expect(group).toMatchObject({ id: groupId, displayName: 'MFA Required' });
    const members = (await t.client.api(`/groups/${groupId}/members`).get()) as Page;
    expect(members.value).toEqual([]);
  });

  it('adds one member with POST members/$ref (204), and refuses a second add with the exact already-member error', async () => {
    const [userId = ''] = ids('ready');
    const before = lastSeq();
    const added = await rawGraph(t, `/v1.0/groups/${groupId}/members/$ref`, { body: { '@odata.id': reference(userId) } });
    expect([added.status, added.text]).toEqual([204, '']);
    const members = (await t.client.api(`/groups/${groupId}/members`).select(['id']).get()) as Page;
    expect(members.value).toEqual([{ '@odata.type': '#microsoft.graph.user', id: userId }]);

    const again = await caught(t.client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(userId) }));
    expect([again.statusCode, again.code, again.message]).toEqual([400, 'Request_BadRequest', alreadyMember]);
    expect(journalSince(before).map((entry) => [entry.operation, entry.status, entry.userId, entry.detail])).toEqual([
      ['groups.addMember', 204, userId, { groupId, userId }],
      ['groups.addMember', 400, userId, { groupId, userId, errorCode: 'Request_BadRequest' }],
    ]);
  });

  it('answers 404 for an unknown object or group, and 400 for a malformed reference', async () => {
    const [userId = ''] = ids('ready').slice(1);
    expect(await failureOf(t.client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(unknownId) }))).toEqual([
      404,
      'Request_ResourceNotFound',
      `Resource '${unknownId}' does not exist or one of its queried reference-property objects are not present.`,
    ]);
    const noGroup = await caught(t.client.api(`/groups/${unknownId}/members/$ref`).post({ '@odata.id': reference(userId) }));
    expect([noGroup.statusCode, noGroup.code]).toEqual([404, 'Request_ResourceNotFound']);
    for (const bad of [userId, `https://graph.microsoft.com/v1.0/groups/${userId}`, 42]) {
      const malformed = await caught(t.client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': bad }));
      expect([malformed.statusCode, malformed.code, malformed.message]).toEqual([400, 'Request_BadRequest', 'Invalid URL format specified in @odata.id for members.']);
    }
    expect(t.sandbox.state.isGroupMember(groupId, userId)).toBe(false);
  });

  it('refuses PATCH groups/{id} with members@odata.bind, which it does not model: 400, nobody added, journaled as groups.update', async () => {
    const candidates = nonMembers(2);
    const before = memberIds();
    const seq = lastSeq();
    expect(await failureOf(t.client.api(`/groups/${groupId}`).patch({ 'members@odata.bind': candidates.map(reference) }))).toEqual([
      400,
      'SandboxNotModelled',
      'The sandbox tenant does not model PATCH groups/{id} (members@odata.bind); add members one by one with POST groups/{id}/members/$ref.',
    ]);
    const other = await caught(t.client.api(`/groups/${groupId}`).patch({ displayName: 'Renamed' }));
    expect([other.statusCode, other.code]).toEqual([400, 'SandboxNotModelled']);
    expect(memberIds()).toEqual(before);
    expect(journalSince(seq).map((entry) => [entry.method, entry.operation, entry.status, entry.userId])).toEqual([
      ['PATCH', 'groups.update', 400, null],
      ['PATCH', 'groups.update', 400, null],
    ]);
  });

  it('removes a member with DELETE members/{id}/$ref (204), then answers 404 because they are no longer a member', async () => {
    const [member = ''] = memberIds();
    const before = lastSeq();
    const removed = await rawGraph(t, `/v1.0/groups/${groupId}/members/${member}/$ref`, { method: 'DELETE' });
    expect([removed.status, removed.text]).toEqual([204, '']);
    expect(t.sandbox.state.isGroupMember(groupId, member)).toBe(false);
    expect(await failureOf(t.client.api(`/groups/${groupId}/members/${member}/$ref`).delete())).toEqual([
      404,
      'Request_ResourceNotFound',
      `Resource '${member}' does not exist or one of its queried reference-property objects are not present.`,
    ]);
    expect(journalSince(before).map((entry) => [entry.operation, entry.status, entry.userId, entry.detail.groupId])).toEqual([
      ['groups.removeMember', 204, member, groupId],
      ['groups.removeMember', 404, member, groupId],
    ]);
  });

  it('never changes a per-user MFA state', async () => {
    const [enforced = ''] = ids('alreadyEnforced');
    const [plain = ''] = ids('cloudOnly');
    for (const userId of [enforced, plain]) await t.client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(userId) });
    await t.client.api(`/groups/${groupId}/members/${enforced}/$ref`).delete();
    expect([t.sandbox.state.perUserMfaState(enforced), t.sandbox.state.perUserMfaState(plain)]).toEqual(['enforced', 'disabled']);
  });

  it('needs GroupMember.ReadWrite.All (or Group.ReadWrite.All / Directory.ReadWrite.All) in the token', async () => {
    const [userId = ''] = ids('serviceAccount');
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'GroupMember.ReadWrite.All'));
      await withFreshClient(t, async (client) => {
        const denied = await caught(client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(userId) }));
        expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied']);
        const patch = await caught(client.api(`/groups/${groupId}`).patch({ 'members@odata.bind': [reference(userId)] }));
        expect(patch.statusCode).toBe(403);
      });
      t.sandbox.controls.setRoles(['Group.ReadWrite.All']);
      await withFreshClient(t, (client) => client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(userId) }));
      expect(t.sandbox.state.isGroupMember(groupId, userId)).toBe(true);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
