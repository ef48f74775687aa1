import { describe, expect, it } from '@jest/globals';
import { createTemporaryAccessPass } from '../../shared/adapters/graph/createTemporaryAccessPass.js';
import { graphPermissions } from '../../shared/adapters/graph/graphPermissions.js';
import type { RolloutError } from '../../shared/errors/RolloutError.js';
import { listAuthenticationMethods } from '../../shared/adapters/graph/listAuthenticationMethods.js';
import {
  createMobileMethod, deleteMobileMethod, mobileMethodId, readMethods, readPerUserMfaState, setPerUserMfaState,
} from '../../shared/adapters/graph/userAuthentication.js';
import { expectShape, get, refusal, refusedWith, writesAllowed } from './fidelityChecks.js';
import { useFidelityTarget } from './fidelityTarget.js';

const target = useFidelityTarget();
/** A number of the 555 fiction range: Graph's `+{country code} {number}` form. */
const testNumber = '+1 2065550147';

describe('fidelity: a user\'s authentication, read (docs/graph-behaviour.md)', () => {
  it('per-user MFA state: one of disabled, enabled, enforced, on beta (#per-user-mfa-state)', async () => {
    const { gateway, fixtures } = target();
    expect(['disabled', 'enabled', 'enforced']).toContain(await readPerUserMfaState(gateway, fixtures.readUserId));
  });

  it('methods list: each method typed by @odata.type with an id; phone methods by number and type (#authentication-methods-list, #phone-methods)', async () => {
    const { gateway, fixtures } = target();
    const answer = await gateway.send(get('methods.list', `/users/${fixtures.readUserId}/authentication/methods`, graphPermissions.readAuthMethods));
    for (const method of (answer.body as { value: unknown[] }).value) {
      expectShape(method, { '@odata.type': 'string', id: 'string' });
      expect((method as Record<string, string>)['@odata.type']).toMatch(/^#microsoft\.graph\.[A-Za-z0-9]+AuthenticationMethod$/);
    }
    const phones = await gateway.send(get('phoneMethods.list', `/users/${fixtures.readUserId}/authentication/phoneMethods`, graphPermissions.readAuthMethods));
    for (const phone of (phones.body as { value: unknown[] }).value) {
      expectShape(phone, { id: 'string', phoneNumber: 'string', phoneType: 'string' });
      expect(['mobile', 'alternateMobile', 'office']).toContain((phone as { phoneType: string }).phoneType);
    }
    await expect(listAuthenticationMethods(gateway, fixtures.readUserId)).resolves.toEqual(expect.any(Array));
  });

  it('an unknown user: 404 (#errors)', async () => {
    const { gateway } = target();
    const error = await refusal(readPerUserMfaState(gateway, '00000000-0000-0000-0000-000000000001'));
    expect(error.httpStatus).toBe(404);
  });
});

// Writing checks change the throwaway user: on a real tenant only with FIDELITY_WRITES=true (docs/fidelity.md)
if (writesAllowed) {
  describe('fidelity: a user\'s authentication, written (throwaway user; docs/graph-behaviour.md)', () => {
    it('phone methods: create answers 201 and lists as the mobile; a second mobile and a malformed number are 400; delete 204, then 404 (#phone-methods)', async () => {
      const { gateway, fixtures } = target();
      const user = fixtures.writeUserId;
      await createMobileMethod(gateway, user, testNumber);
      const methods = await readMethods(gateway, user);
      expect(methods.phoneMethods).toEqual([{ id: mobileMethodId, phoneNumber: testNumber, phoneType: 'mobile' }]);
      expect(methods.strongMethods).toContain('#microsoft.graph.phoneAuthenticationMethod');

      // one phone of each type: a second mobile is refused
      expect((await refusal(createMobileMethod(gateway, user, '+1 2065550148'))).httpStatus).toBe(400);
      // a number not in the +{country code} {number} form is refused
      const malformed = { operation: 'phoneMethods.create', method: 'POST' as const, version: 'v1.0' as const, path: `/users/${user}/authentication/phoneMethods`, body: { phoneNumber: '2065550149', phoneType: 'alternateMobile' }, permission: graphPermissions.writePhoneMethods };
      expect((await refusedWith(gateway.send(malformed))).httpStatus).toBe(400);

      // Graph refuses to delete the mobile that is the user's default MFA method; whether the only method a user has
      // counts as their default is not documented (#phone-methods): either answer is Graph's, each checked for what it means
      const deleted = await deleteMobileMethod(gateway, user).then(() => null, (error: unknown) => error as RolloutError);
      if (deleted === null) {
        expect((await readMethods(gateway, user)).phoneMethods).toEqual([]);
        expect((await refusal(deleteMobileMethod(gateway, user))).httpStatus).toBe(404);
      } else {
        expect(deleted.httpStatus).toBe(400);
        expect((await readMethods(gateway, user)).phoneMethods).toEqual([{ id: mobileMethodId, phoneNumber: testNumber, phoneType: 'mobile' }]);
      }
    });

    it('per-user MFA state: PATCH answers 204 and the state reads back (#per-user-mfa-state)', async () => {
      const { gateway, fixtures } = target();
      const user = fixtures.writeUserId;
      const before = await readPerUserMfaState(gateway, user);
      try {
        await setPerUserMfaState(gateway, user, 'enforced');
        expect(await readPerUserMfaState(gateway, user)).toBe('enforced');
        // a state outside the three is refused
        const bad = { operation: 'requirements.update', method: 'PATCH' as const, version: 'beta' as const, path: `/users/${user}/authentication/requirements`, body: { perUserMfaState: 'sometimes' }, permission: graphPermissions.writePerUserMfa };
        expect((await refusedWith(gateway.send(bad))).httpStatus).toBe(400);
      } finally {
        await setPerUserMfaState(gateway, user, before);
      }
      expect(await readPerUserMfaState(gateway, user)).toBe(before);
    });

    it('Temporary Access Pass: created with the pass in the answer only, a start, a lifetime and whether it is one-time (#temporary-access-pass)', async () => {
      const { gateway, fixtures } = target();
      const created = await createTemporaryAccessPass(gateway, fixtures.writeUserId, { lifetimeMinutes: 60 });
      expect(created.pass.length).toBeGreaterThanOrEqual(8);
      expect(created.lifetimeMinutes).toBe(60);
      expect(Date.parse(created.expiresAt) - Date.parse(created.startsAt)).toBe(60 * 60_000);
      // the list shows the pass's record, never the pass itself
      const listed = await gateway.send(get('temporaryAccessPassMethods.list', `/users/${fixtures.writeUserId}/authentication/temporaryAccessPassMethods`, graphPermissions.writeTemporaryAccessPass));
      const passes = (listed.body as { value: Record<string, unknown>[] }).value;
      expect(passes.map((pass) => pass['id'])).toEqual([created.methodId]);
      expect(passes[0]?.['temporaryAccessPass'] ?? null).toBeNull();
      const removed = { operation: 'temporaryAccessPassMethods.delete', method: 'DELETE' as const, version: 'v1.0' as const, path: `/users/${fixtures.writeUserId}/authentication/temporaryAccessPassMethods/${created.methodId}`, permission: graphPermissions.writeTemporaryAccessPass };
      await expect(gateway.send(removed)).resolves.toMatchObject({ status: 204 });
    });
  });
}
