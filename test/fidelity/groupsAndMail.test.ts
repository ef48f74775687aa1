import { describe, expect, it } from '@jest/globals';
import { readGroupMemberIds } from '../../shared/adapters/graph/directoryReads.js';
import { graphPermissions } from '../../shared/adapters/graph/graphPermissions.js';
import { addGroupMember, readGroup, removeGroupMember } from '../../shared/adapters/graph/groupMembership.js';
import { readJourneyMemberships } from '../../shared/adapters/graph/readJourneyMemberships.js';
import { sendNotice } from '../../shared/adapters/graph/sendNotice.js';
import { eventually, refusedWith, writesAllowed } from './fidelityChecks.js';
import { useFidelityTarget } from './fidelityTarget.js';

const target = useFidelityTarget();

// Every check here writes (a membership, a mail): on a real tenant only with FIDELITY_WRITES=true (docs/fidelity.md)
if (writesAllowed) {
  describe('fidelity: groups and mail (throwaway group and mailbox; docs/graph-behaviour.md)', () => {
    it('membership: add 204, again 400 Request_BadRequest (taken as done), checkMemberGroups sees it; remove 204, again 404 (#groups-and-membership)', async () => {
      const { gateway, fixtures } = target();
      const { groupId, writeUserId: user } = fixtures;
      expect((await readGroup(gateway, groupId)).id.toLowerCase()).toBe(groupId.toLowerCase());
      const add = { operation: 'groups.addMember', method: 'POST' as const, version: 'v1.0' as const, path: `/groups/${groupId}/members/$ref`, body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` }, permission: graphPermissions.writeGroupMembers };
      try {
        expect(await addGroupMember(gateway, groupId, user)).toBe('added');
        expect(await refusedWith(gateway.send(add))).toEqual({ httpStatus: 400, graphCode: 'Request_BadRequest' });
        expect(await addGroupMember(gateway, groupId, user)).toBe('alreadyMember');
        await eventually(async () => {
          expect([...(await readJourneyMemberships(gateway, user, [groupId]))].map((id) => id.toLowerCase())).toEqual([groupId.toLowerCase()]);
          expect([...(await readGroupMemberIds(gateway, groupId))].map((id) => id.toLowerCase())).toContain(user.toLowerCase());
        });
      } finally {
        await removeGroupMember(gateway, groupId, user);
      }
      const remove = { operation: 'groups.removeMember', method: 'DELETE' as const, version: 'v1.0' as const, path: `/groups/${groupId}/members/${user}/$ref`, permission: graphPermissions.writeGroupMembers };
      expect((await refusedWith(gateway.send(remove))).httpStatus).toBe(404);
      expect(await removeGroupMember(gateway, groupId, user)).toBe('notMember');
      await eventually(async () => {
        expect([...(await readJourneyMemberships(gateway, user, [groupId]))]).toEqual([]);
      });
    });

    it('sendMail: 202 with no body; a message without recipients is 400 (#mail)', async () => {
      const { gateway, fixtures } = target();
      await expect(sendNotice(gateway, { mailbox: fixtures.mailbox, recipientAddress: fixtures.mailRecipient, enforceFrom: new Date().toISOString() })).resolves.toBeUndefined();
      const noRecipients = {
        operation: 'mail.send', method: 'POST' as const, version: 'v1.0' as const, path: `/users/${encodeURIComponent(fixtures.mailbox)}/sendMail`,
        body: { message: { subject: 'mfa-rollout fidelity check', body: { contentType: 'Text', content: 'no recipients' } }, saveToSentItems: false }, permission: graphPermissions.sendMail,
      };
      expect((await refusedWith(gateway.send(noRecipients))).httpStatus).toBe(400);
      // an unknown sender: 404 ErrorInvalidUser
      const unknownSender = { ...noRecipients, path: '/users/nobody-fidelity@invalid.example/sendMail', body: { message: { toRecipients: [{ emailAddress: { address: fixtures.mailRecipient } }] } } };
      expect(await refusedWith(gateway.send(unknownSender))).toEqual({ httpStatus: 404, graphCode: 'ErrorInvalidUser' });
    });
  });
}
