import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { caught, failureOf } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Listed {
  value: { '@odata.type': string; id: string; passkeyType?: string; aaGuid?: string; temporaryAccessPass?: unknown }[];
}

const fido2Type = '#microsoft.graph.fido2AuthenticationMethod';
const hardwareOathType = '#microsoft.graph.hardwareOathAuthenticationMethod';

describe('passkeys (fido2Methods), beta-only methods and registering a method', () => {
  let t: TestSandbox;
  const one = (category: UserCategory, index = 0): string => {
    const user = t.sandbox.manifest.users.filter((candidate) => candidate.category === category)[index];
    if (user === undefined) throw new Error(`no ${category} user`);
    return user.id;
  };
  const types = async (id: string, version: 'v1.0' | 'beta'): Promise<string[]> =>
    ((await t.client.api(`/users/${id}/authentication/methods`).version(version).get()) as Listed).value.map((method) => method['@odata.type']);

  beforeAll(async () => {
    t = await startTestSandbox({ users: 200, seed: 23, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists a user\'s passkeys in the v1.0 shape with passkeyType, and gets one by id', async () => {
    const id = one('passkeySynced');
    const listed = (await t.client.api(`/users/${id}/authentication/fido2Methods`).get()) as Listed & { '@odata.context': string };
    expect(listed['@odata.context']).toBe(`${t.sandbox.origin}/v1.0/$metadata#users('${id}')/authentication/fido2Methods`);
    expect(listed.value).toEqual([
      {
        '@odata.type': fido2Type,
        id: expect.any(String),
        displayName: expect.any(String),
        createdDateTime: expect.stringMatching(/^202[4-6]-\d\d-\d\dT\d\d:\d\d:00Z$/),
        aaGuid: expect.stringMatching(/^(fbfc3007-154e-4ecc-8c0b-6e020557d7bd|ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4)$/),
        model: expect.any(String),
        attestationCertificates: [],
        attestationLevel: 'notAttested',
        passkeyType: 'synced',
      },
    ]);
    const methodId = listed.value[0]?.id ?? '';
    expect(await t.client.api(`/users/${id}/authentication/fido2Methods/${methodId}`).version('beta').get()).toMatchObject({ id: methodId, passkeyType: 'synced' });
    expect((await caught(t.client.api(`/users/${id}/authentication/fido2Methods/00000000-0000-4000-8000-000000000001`).get())).statusCode).toBe(404);
    expect(((await t.client.api(`/users/${one('ready')}/authentication/fido2Methods`).get()) as Listed).value).toEqual([]);
  });

  it('shows passkeys in /authentication/methods as fido2AuthenticationMethod: security keys and Authenticator are device-bound', async () => {
    const deviceBound = t.sandbox.manifest.users.filter((user) => user.category === 'passkeyDeviceBound').map((user) => user.id);
    const passkeys = await Promise.all(
      deviceBound.map(async (id) => ((await t.client.api(`/users/${id}/authentication/methods`).get()) as Listed).value.filter((method) => method['@odata.type'] === fido2Type)),
    );
    expect(passkeys.every((list) => list.length === 1 && list[0]?.passkeyType === 'deviceBound')).toBe(true);
    const authenticatorAaGuids = ['90a3ccdf-635c-4729-a248-9b709135078f', 'de1e552d-db1d-4423-a619-566b625cdc84'];
    expect(new Set(passkeys.map((list) => authenticatorAaGuids.includes(list[0]?.aaGuid ?? '')))).toEqual(new Set([true, false]));
  });

  it('lists a hardware OATH token on beta only, as Graph lists only the methods its version supports', async () => {
    const id = one('hardwareOathOnly');
    expect(await types(id, 'v1.0')).toEqual(['#microsoft.graph.passwordAuthenticationMethod']);
    expect(await types(id, 'beta')).toEqual(['#microsoft.graph.passwordAuthenticationMethod', hardwareOathType]);
    const beta = (await t.client.api(`/users/${id}/authentication/methods`).version('beta').get()) as { value: Record<string, unknown>[] };
    expect(beta.value[1]).toEqual({ '@odata.type': hardwareOathType, id: expect.any(String), createdDateTime: expect.any(String) });
  });

  it('deletes a passkey (204, journaled with its type), then answers 404 for it', async () => {
    const id = one('passkeyDeviceBound', 1);
    const [passkey] = ((await t.client.api(`/users/${id}/authentication/fido2Methods`).get()) as Listed).value;
    const path = `/v1.0/users/${id}/authentication/fido2Methods/${passkey?.id ?? ''}`;
    const since = t.sandbox.journal.entries().at(-1)?.seq ?? 0;
    expect((await rawGraph(t, path, { method: 'DELETE' })).status).toBe(204);
    expect((await rawGraph(t, path, { method: 'DELETE' })).status).toBe(404);
    expect(t.sandbox.state.otherMethods(id)).toEqual([]);
    expect(t.sandbox.journal.entries(since).map((entry) => [entry.operation, entry.status, entry.userId, entry.detail])).toEqual([
      ['fido2Methods.delete', 204, id, { passkeyType: 'deviceBound' }],
      ['fido2Methods.delete', 404, id, { errorCode: 'Request_ResourceNotFound' }],
    ]);
  });

  it('reads passkeys with UserAuthMethod-Passkey.Read.All alone, and refuses a delete without a write permission', async () => {
    const id = one('passkeyDeviceBound', 2);
    try {
      t.sandbox.controls.setRoles(['UserAuthMethod-Passkey.Read.All']);
      await withFreshClient(t, async (client) => {
        const listed = (await client.api(`/users/${id}/authentication/fido2Methods`).get()) as Listed;
        expect(listed.value).toHaveLength(1);
        const denied = await failureOf(client.api(`/users/${id}/authentication/fido2Methods/${listed.value[0]?.id ?? ''}`).delete());
        expect(denied.slice(0, 2)).toEqual([403, 'Authorization_RequestDenied']);
        // the methods list needs the broader permission
        expect((await caught(client.api(`/users/${id}/authentication/methods`).get())).statusCode).toBe(403);
      });
      t.sandbox.controls.setRoles(['UserAuthMethod-Passkey.ReadWrite.All']);
      await withFreshClient(t, async (client) => {
        const [passkey] = ((await client.api(`/users/${id}/authentication/fido2Methods`).get()) as Listed).value;
        await client.api(`/users/${id}/authentication/fido2Methods/${passkey?.id ?? ''}`).delete();
      });
      expect(t.sandbox.state.otherMethods(id)).toEqual([]);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('lets a user register Authenticator or a passkey of any kind through the admin API, which Graph then lists', async () => {
    const id = one('ready', 3);
    const registered = await t.raw('/_sandbox/registerMethod', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: id, method: 'passkeyAuthenticator' }) });
    expect(registered.status).toBe(201);
    expect(registered.json).toMatchObject({ userId: id, method: { kind: 'fido2', passkeyType: 'deviceBound', aaGuid: expect.stringMatching(/^(90a3ccdf|de1e552d)-/) } });
    t.sandbox.controls.registerMethod(id, 'passkeySynced');
    t.sandbox.controls.registerMethod(id, 'microsoftAuthenticator');
    t.sandbox.controls.registerMethod(id, 'hardwareOath');
    expect(await types(id, 'v1.0')).toEqual(['#microsoft.graph.passwordAuthenticationMethod', fido2Type, fido2Type, '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod']);
    expect((await types(id, 'beta')).at(-1)).toBe(hardwareOathType);
    const passkeyTypes = ((await t.client.api(`/users/${id}/authentication/fido2Methods`).get()) as Listed).value.map((method) => method.passkeyType);
    expect(passkeyTypes).toEqual(['deviceBound', 'synced']);
    expect(t.sandbox.state.hasStrongMethod(id)).toBe(true);
    for (const body of [{ user: id, method: 'sms' }, { user: 'nobody@contoso.com', method: 'passkeySynced' }, { method: 'passkeySynced' }]) {
      const refused = await t.raw('/_sandbox/registerMethod', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(refused.status).toBe(400);
    }
  });
});
