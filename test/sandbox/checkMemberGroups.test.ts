import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('checkMemberGroups', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 19, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers which of the given groups the user is a member of, for /users and /directoryObjects alike', async () => {
    const { pilot, exclusion, campaign } = t.sandbox.manifest.groups;
    const member = t.sandbox.state.findGroup(pilot)?.memberIds[0] ?? '';
    const upn = t.sandbox.state.findUser(member)?.userPrincipalName ?? '';
    t.sandbox.state.addGroupMembers(campaign, [member]);
    const asked = [pilot.toUpperCase(), exclusion, campaign, guid(1)];
    const answer = await rawGraph(t, `/v1.0/users/${encodeURIComponent(upn)}/checkMemberGroups`, { body: { groupIds: asked } });
    expect([answer.status, answer.json]).toEqual([200, { '@odata.context': `${t.sandbox.origin}/v1.0/$metadata#Collection(Edm.String)`, value: [pilot, campaign] }]);
    const viaObjects = await rawGraph(t, `/v1.0/directoryObjects/${member}/checkMemberGroups`, { body: { groupIds: asked } });
    expect((viaObjects.json as { value: string[] }).value).toEqual([pilot, campaign]);
    expect(t.sandbox.journal.entries().slice(-2).map((entry) => [entry.operation, entry.userId, entry.detail])).toEqual([
      ['users.checkMemberGroups', member, { groups: 4 }],
      ['directoryObjects.checkMemberGroups', member, { groups: 4 }],
    ]);
  });

  it('takes at most 20 group ids, GUIDs only, and a user Graph knows', async () => {
    const user = t.sandbox.manifest.users[5]?.id ?? '';
    const path = `/v1.0/users/${user}/checkMemberGroups`;
    expect((await rawGraph(t, path, { body: { groupIds: Array.from({ length: 20 }, (_, n) => guid(n)) } })).status).toBe(200);
    const tooMany = await rawGraph(t, path, { body: { groupIds: Array.from({ length: 21 }, (_, n) => guid(n)) } });
    expect([tooMany.status, (tooMany.json as { error: { message: string } }).error.message]).toEqual([400, "Invalid value for parameter 'groupIds': at most 20 group ids can be checked in one request."]);
    expect((await rawGraph(t, path, { body: { groupIds: ['ring-it'] } })).status).toBe(400);
    expect((await rawGraph(t, path, { body: { groupIds: 'x' } })).status).toBe(400);
    expect((await rawGraph(t, `/v1.0/users/${guid(99)}/checkMemberGroups`, { body: { groupIds: [] } })).status).toBe(404);
  });

  it('needs User.Read.All and GroupMember.Read.All together (or Directory.Read.All), as documented for users', async () => {
    const user = t.sandbox.manifest.users[6]?.id ?? '';
    const ask = async (roles: readonly string[]): Promise<number> => {
      t.sandbox.controls.setRoles(roles);
      return withFreshClient(t, (client) =>
        client.api(`/users/${user}/checkMemberGroups`).post({ groupIds: [t.sandbox.manifest.groups.pilot] }).then(
          () => 200,
          (error: { statusCode: number }) => error.statusCode,
        ),
      );
    };
    try {
      expect(await ask(['User.Read.All'])).toBe(403);
      expect(await ask(['GroupMember.Read.All'])).toBe(403);
      expect(await ask(['User.Read.All', 'GroupMember.Read.All'])).toBe(200);
      expect(await ask(['Directory.Read.All'])).toBe(200);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
