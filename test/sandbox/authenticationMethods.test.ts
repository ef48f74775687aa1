import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const mobileId = '3179e48a-750b-4051-897c-87b9720928f7';
const alternateMobileId = 'b6332ec1-7057-4abe-9331-3d72feddfe41';

async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected the call to fail');
}

describe('authentication methods and per-user MFA', () => {
  let t: TestSandbox;
  const usersOf = (category: UserCategory) => t.sandbox.manifest.users.filter((user) => user.category === category);
  const one = (category: UserCategory, index = 0) => {
    const user = usersOf(category)[index];
    if (user === undefined) throw new Error(`no ${category} user`);
    return user;
  };

  beforeAll(async () => {
    t = await startTestSandbox({ users: 200, seed: 11 });
  });
  afterAll(async () => {
    await t.close();
  });

  it('registers a mobile phone: 201 with the fixed id, then lists it', async () => {
    const user = one('ready', 0);
    const created = (await t.client.api(`/users/${user.id}/authentication/phoneMethods`).post({ phoneNumber: '+46 701112233', phoneType: 'mobile' })) as Record<string, unknown>;
    expect(created).toMatchObject({ id: mobileId, phoneNumber: '+46 701112233', phoneType: 'mobile', smsSignInState: expect.any(String) });
    const listed = (await t.client.api(`/users/${user.id}/authentication/phoneMethods`).get()) as { value: unknown[] };
    expect(listed.value).toEqual([{ id: mobileId, phoneNumber: '+46 701112233', phoneType: 'mobile', smsSignInState: 'notAllowedByPolicy' }]);
    const status = await t.raw(`/v1.0/users/${user.id}/authentication/phoneMethods`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await t.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '+46 701112233', phoneType: 'office' }),
    });
    expect(status.status).toBe(201);
  });

  it('refuses a second mobile, a bad format, an unknown type and alternateMobile before mobile', async () => {
    const user = one('ready', 1);
    const path = `/users/${user.id}/authentication/phoneMethods`;
    const alternateFirst = await caught(t.client.api(path).post({ phoneNumber: '+46 701112234', phoneType: 'alternateMobile' }));
    expect([alternateFirst.statusCode, alternateFirst.code, alternateFirst.message]).toEqual([
      400,
      'invalidRequest',
      'A mobile phone method must be registered before an alternateMobile phone method can be added.',
    ]);
    await t.client.api(path).post({ phoneNumber: '+46 701112234', phoneType: 'mobile' });
    const duplicate = await caught(t.client.api(path).post({ phoneNumber: '+46 701112235', phoneType: 'mobile' }));
    // Graph documents no answer for it: the sandbox's own message, which no product branch on text can match
    expect([duplicate.statusCode, duplicate.code]).toEqual([400, 'invalidRequest']);
    expect(duplicate.message).not.toMatch(/already exists/i);
    for (const phoneNumber of ['+46701112236', '070-111 22 36', '+46 70 111 22 36', '+46 0046701112236x', 'n/a']) {
      const bad = await caught(t.client.api(path).post({ phoneNumber, phoneType: 'office' }));
      expect([bad.statusCode, bad.code]).toEqual([400, 'invalidRequest']);
      expect(bad.message).toMatch(/^Invalid phone number format\./);
    }
    const unknownType = await caught(t.client.api(path).post({ phoneNumber: '+46 701112237', phoneType: 'pager' }));
    expect([unknownType.statusCode, unknownType.code]).toEqual([400, 'invalidRequest']);
    const alternate = (await t.client.api(path).post({ phoneNumber: '+46 701112238x12', phoneType: 'alternateMobile' })) as Record<string, unknown>;
    expect(alternate.id).toBe(alternateMobileId);
  });

  it('gets, updates and deletes one phone method (204), and answers 404 when it is absent', async () => {
    const user = one('hasPhoneMethod');
    const item = `/users/${user.id}/authentication/phoneMethods/${mobileId}`;
    const before = (await t.client.api(item).get()) as Record<string, unknown>;
    expect(before).toMatchObject({ id: mobileId, phoneType: 'mobile' });
    const token = await t.token();
    const patch = await t.raw(`/v1.0${item}`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"phoneNumber":"+46 709998877"}' });
    expect([patch.status, patch.text]).toEqual([204, '']);
    expect(t.sandbox.state.phoneMethods(user.id)[0]?.phoneNumber).toBe('+46 709998877');
    // the mobile is the user's only strong method, so their default: the user registers Authenticator and makes it the default first
    const authenticator = t.sandbox.state.addAuthenticatorMethod(user.id);
    t.sandbox.state.setDefaultMfaMethod(user.id, authenticator.id);
    const removed = await t.raw(`/v1.0${item}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(removed.status).toBe(204);
    const again = await t.raw(`/v1.0${item}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect([again.status, (again.json as { error: { code: string } }).error.code]).toEqual([404, 'Request_ResourceNotFound']);
    const missing = await caught(t.client.api(item).get());
    expect(missing.statusCode).toBe(404);
  });

  it("refuses, as Graph does, to delete the user's default MFA method and a mobile beside an alternate mobile, and journals why", async () => {
    const token = await t.token();
    const remove = (userId: string, methodId = mobileId) => t.raw(`/v1.0/users/${userId}/authentication/phoneMethods/${methodId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    // a mobile the rollout registered for a user who had nothing: the first (only) strong method is the default
    const fresh = one('ready', 3);
    await t.client.api(`/users/${fresh.id}/authentication/phoneMethods`).post({ phoneNumber: '+46 701112299', phoneType: 'mobile' });
    expect(t.sandbox.state.defaultMfaMethodId(fresh.id)).toBe(mobileId);
    const refused = await remove(fresh.id);
    expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([400, 'invalidRequest']);
    expect(t.sandbox.state.phoneMethods(fresh.id).map((method) => method.phoneType)).toEqual(['mobile']);
    expect(t.sandbox.journal.entries().at(-1)).toMatchObject({ operation: 'phoneMethods.delete', status: 400, detail: { refused: 'defaultMethod' } });
    // generated: every third user with a mobile also has an alternate mobile; the mobile stays while it does
    const withAlternate = usersOf('hasPhoneMethod').find((user) => t.sandbox.state.phoneMethods(user.id).some((method) => method.phoneType === 'alternateMobile'));
    if (withAlternate === undefined) throw new Error('no generated user with an alternate mobile');
    t.sandbox.state.setDefaultMfaMethod(withAlternate.id, alternateMobileId);
    expect((await remove(withAlternate.id)).status).toBe(400);
    expect(t.sandbox.journal.entries().at(-1)).toMatchObject({ detail: { refused: 'alternateMobilePresent' } });
    // the alternate is the default now: it stays too
    expect((await remove(withAlternate.id, alternateMobileId)).status).toBe(400);
    expect(t.sandbox.journal.entries().at(-1)).toMatchObject({ detail: { refused: 'defaultMethod' } });
    // with the default elsewhere, the alternate can go, and then the mobile
    t.sandbox.state.setDefaultMfaMethod(withAlternate.id, t.sandbox.state.addAuthenticatorMethod(withAlternate.id).id);
    expect((await remove(withAlternate.id, alternateMobileId)).status).toBe(204);
    expect((await remove(withAlternate.id)).status).toBe(204);
  });

  it('lists every method polymorphically: password always, phones, Authenticator and FIDO2', async () => {
    type Methods = { value: { '@odata.type': string }[] };
    const types = async (id: string) => ((await t.client.api(`/users/${id}/authentication/methods`).get()) as Methods).value.map((method) => method['@odata.type']);
    expect(await types(one('missingMobile').id)).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
    expect(await types(one('alreadyEnforced').id)).toEqual(['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.phoneAuthenticationMethod']);
    expect(await types(one('authenticatorOnly').id)).toEqual(['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod']);
    expect(await types(one('breakGlass').id)).toEqual(['#microsoft.graph.passwordAuthenticationMethod', '#microsoft.graph.fido2AuthenticationMethod']);
  });

  it('serves per-user MFA state on beta only, and turns enabled into enforced for users with a strong method', async () => {
    const plain = one('ready', 2);
    const withPhone = one('hasPhoneMethod', 1);
    const path = (id: string) => `/users/${id}/authentication/requirements`;
    expect(await t.client.api(path(plain.id)).version('beta').get()).toMatchObject({ perUserMfaState: 'disabled', '@odata.context': expect.stringContaining('/beta/$metadata#') });
    expect(await t.client.api(path(one('alreadyEnforced').id)).version('beta').get()).toMatchObject({ perUserMfaState: 'enforced' });

    await t.client.api(path(plain.id)).version('beta').patch({ perUserMfaState: 'enabled' });
    expect(t.sandbox.state.perUserMfaState(plain.id)).toBe('enabled');
    await t.client.api(path(withPhone.id)).version('beta').patch({ perUserMfaState: 'enabled' });
    expect(await t.client.api(path(withPhone.id)).version('beta').get()).toMatchObject({ perUserMfaState: 'enforced' });

    const v1 = await caught(t.client.api(path(plain.id)).get());
    expect([v1.statusCode, v1.code, v1.message]).toEqual([400, 'BadRequest', "Resource not found for the segment 'requirements'."]);
    const v1Patch = await caught(t.client.api(path(plain.id)).patch({ perUserMfaState: 'enforced' }));
    expect([v1Patch.statusCode, v1Patch.code]).toEqual([400, 'BadRequest']);
    expect(t.sandbox.state.perUserMfaState(plain.id)).toBe('enabled');
    const badValue = await caught(t.client.api(path(plain.id)).version('beta').patch({ perUserMfaState: 'mandatory' }));
    expect([badValue.statusCode, badValue.code]).toEqual([400, 'BadRequest']);
    const unknownUser = await caught(t.client.api(path('nobody@contoso.com')).version('beta').get());
    expect([unknownUser.statusCode, unknownUser.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('answers a malformed JSON body with 400 BadRequest', async () => {
    const answer = await t.raw(`/v1.0/users/${one('ready', 3).id}/authentication/phoneMethods`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await t.token()}`, 'Content-Type': 'application/json' },
      body: '{"phoneNumber": "+46 70',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'BadRequest', innerError: { 'request-id': answer.headers.get('request-id') } } });
  });
});
