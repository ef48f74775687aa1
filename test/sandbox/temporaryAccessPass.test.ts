import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Pass {
  id: string;
  temporaryAccessPass: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string;
  startDateTime: string;
}

const start = '2026-12-01T09:00:00.000Z';
const tapConfig = '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
const tapType = '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration';

describe('Temporary Access Pass methods', () => {
  let t: TestSandbox;
  const one = (category: UserCategory, index = 0): string => {
    const user = t.sandbox.manifest.users.filter((candidate) => candidate.category === category)[index];
    if (user === undefined) throw new Error(`no ${category} user`);
    return user.id;
  };
  const passes = (id: string) => `/v1.0/users/${id}/authentication/temporaryAccessPassMethods`;
  const create = (id: string, body?: unknown) => rawGraph(t, passes(id), { method: 'POST', ...(body === undefined ? {} : { body }) });
  const refusal = (answer: { status: number; json: unknown }) => [answer.status, ...Object.values((answer.json as { error: { code: string; message: string } }).error).slice(0, 2)];

  beforeAll(async () => {
    t = await startTestSandbox({ users: 80, seed: 31, clock: () => new Date(start), faults: { latency: false } });
  });
  afterEach(() => {
    t.sandbox.controls.setNow(start);
    t.sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    t.sandbox.controls.setTemporaryAccessPassIssuance('policyScoped');
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a pass (201): the pass is in this answer only; the list, the methods list and the journal show it never', async () => {
    const id = one('ready');
    const since = t.sandbox.journal.entries().at(-1)?.seq ?? 0;
    const created = await create(id);
    expect(created.status).toBe(201);
    const pass = created.json as Pass & Record<string, unknown>;
    expect(pass).toEqual({
      '@odata.context': `${t.sandbox.origin}/v1.0/$metadata#users('${id}')/authentication/temporaryAccessPassMethods/$entity`,
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      id: expect.any(String),
      temporaryAccessPass: expect.stringMatching(/^\S{8}$/),
      createdDateTime: start,
      startDateTime: '2026-12-01T09:00:00Z',
      lifetimeInMinutes: 60,
      isUsableOnce: false,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    });
    expect(created.headers.get('location')).toBe(`${t.sandbox.origin}/v1.0/users/${id}/authentication/temporaryAccessPassMethods/${pass.id}`);
    const secret = pass.temporaryAccessPass ?? '';

    const listed = (await rawGraph(t, passes(id))).json as { value: Pass[] };
    expect(listed.value).toEqual([{ ...pass, '@odata.context': undefined, temporaryAccessPass: null }].map(({ '@odata.context': _context, ...rest }) => rest));
    const methods = (await rawGraph(t, `/v1.0/users/${id}/authentication/methods`)).json as { value: Record<string, unknown>[] };
    expect(methods.value.at(-1)).toMatchObject({ '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod', id: pass.id, temporaryAccessPass: null });

    expect(t.sandbox.controls.temporaryAccessPass(id)).toEqual({ userId: id, issued: true, id: pass.id, createdDateTime: start, startDateTime: pass.startDateTime, lifetimeInMinutes: 60, isUsableOnce: false, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    expect(t.sandbox.controls.checkTemporaryAccessPass(id, secret)).toBe(true);
    expect(t.sandbox.controls.checkTemporaryAccessPass(id, `${secret}x`)).toBe(false);
    const journal = t.sandbox.journal.entries(since);
    expect(journal.map((entry) => [entry.operation, entry.status, entry.userId, entry.detail])).toEqual([
      ['temporaryAccessPassMethods.create', 201, id, { lifetimeInMinutes: 60, isUsableOnce: false, replaced: false, replacedUsable: false }],
    ]);
    expect(JSON.stringify(t.sandbox.journal.entries())).not.toContain(secret);
    expect(JSON.stringify(t.sandbox.state.temporaryAccessPasses.get(id))).not.toContain(secret);
  });

  it('replaces the pass a user has with a new one (no error); the old pass stops working', async () => {
    const id = one('ready', 1);
    const first = (await create(id)).json as Pass;
    const second = await create(id, { lifetimeInMinutes: 120, isUsableOnce: true });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ lifetimeInMinutes: 120, isUsableOnce: true });
    expect(((await rawGraph(t, passes(id))).json as { value: Pass[] }).value.map((pass) => pass.id)).toEqual([(second.json as Pass).id]);
    expect(t.sandbox.controls.checkTemporaryAccessPass(id, first.temporaryAccessPass ?? '')).toBe(false);
    expect(t.sandbox.controls.checkTemporaryAccessPass(id, (second.json as Pass).temporaryAccessPass ?? '')).toBe(true);
    expect(t.sandbox.journal.entries().at(-1)?.detail).toEqual({ lifetimeInMinutes: 120, isUsableOnce: true, replaced: true, replacedUsable: true });
  });

  it('keeps the lifetime within 10–43,200 minutes and within the policy, and lets the policy force one-time passes', async () => {
    const id = one('ready', 2);
    const since = t.sandbox.journal.entries().at(-1)?.seq ?? 0;
    expect(refusal(await create(id, { lifetimeInMinutes: 5 }))).toEqual([400, 'badRequest', "Invalid value for property 'lifetimeInMinutes': it must be between 10 and 43200 minutes."]);
    expect(refusal(await create(id, { lifetimeInMinutes: 30 }))).toEqual([400, 'badRequest', "Invalid value for property 'lifetimeInMinutes': the Temporary Access Pass policy allows between 60 and 480 minutes."]);
    expect(refusal(await create(id, { lifetimeInMinutes: 481 }))[2]).toMatch(/between 60 and 480 minutes/);
    expect(refusal(await create(id, { lifetimeInMinutes: '60' }))[0]).toBe(400);
    expect(refusal(await create(id, { temporaryAccessPass: 'mine123!' }))[2]).toMatch(/property 'temporaryAccessPass' does not exist/);
    expect(t.sandbox.state.temporaryAccessPasses.get(id)).toBeUndefined();
    expect(t.sandbox.journal.entries(since).map((entry) => entry.detail.refusal)).toEqual(['lifetimeOutOfRange', 'lifetimeOutOfPolicy', 'lifetimeOutOfPolicy', undefined, undefined]);

    expect((await rawGraph(t, tapConfig, { method: 'PATCH', body: { '@odata.type': tapType, isUsableOnce: true, defaultLength: 12 } })).status).toBe(204);
    const forced = (await create(id, { isUsableOnce: false, lifetimeInMinutes: 480 })).json as Pass;
    expect(forced).toMatchObject({ isUsableOnce: true, lifetimeInMinutes: 480 });
    expect(forced.temporaryAccessPass).toHaveLength(12);
  });

  it('refuses an external guest with Microsoft\'s words', async () => {
    const id = one('guest');
    expect(refusal(await create(id))).toEqual([400, 'badRequest', 'Temporary Access Pass cannot be added to an external guest user.']);
  });

  it('refuses a user the TAP policy leaves out as real tenants answer; with issuance `anyone` creates a pass the user cannot use', async () => {
    const id = one('ready', 3);
    t.sandbox.controls.setMethodsPolicy({ scenario: 'tapDisabled' });
    const converged = 'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].';
    expect(refusal(await create(id))).toEqual([400, 'badRequest', converged]);
    t.sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    const pilot = t.sandbox.manifest.groups.pilot;
    expect((await rawGraph(t, tapConfig, { method: 'PATCH', body: { '@odata.type': tapType, includeTargets: [{ id: pilot, targetType: 'group', isRegistrationRequired: false }] } })).status).toBe(204);
    const outsider = t.sandbox.manifest.users.find((user) => user.category === 'ready' && !t.sandbox.state.isGroupMember(pilot, user.id))?.id ?? '';
    const member = t.sandbox.state.findGroup(pilot)?.memberIds[0] ?? '';
    expect(refusal(await create(outsider))[2]).toBe(converged);
    expect((await create(member)).status).toBe(201);

    const view = await t.raw('/_sandbox/temporaryAccessPassIssuance', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ issuance: 'anyone' }) });
    expect(view.json).toEqual({ issuance: 'anyone' });
    expect((await create(outsider)).json).toMatchObject({ isUsable: false, methodUsabilityReason: 'DisabledByPolicy' });
    expect((await t.raw('/_sandbox/temporaryAccessPassIssuance', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ issuance: 'sometimes' }) })).status).toBe(400);
  });

  it('computes usability on the sandbox clock: not yet valid, usable, expired', async () => {
    const id = one('ready', 4);
    const later = (await create(id, { startDateTime: '2026-12-02T08:00:00Z', lifetimeInMinutes: 60 })).json as Pass;
    expect(later).toMatchObject({ startDateTime: '2026-12-02T08:00:00Z', isUsable: false, methodUsabilityReason: 'NotYetValid' });
    t.sandbox.controls.setNow('2026-12-02T08:30:00Z');
    expect(t.sandbox.controls.temporaryAccessPass(id)).toMatchObject({ isUsable: true, methodUsabilityReason: 'EnabledByPolicy' });
    t.sandbox.controls.setNow('2026-12-02T09:00:00Z');
    expect(((await rawGraph(t, passes(id))).json as { value: Pass[] }).value[0]).toMatchObject({ isUsable: false, methodUsabilityReason: 'Expired' });
    // a pass created now replaces one that could no longer sign in: the journal says so
    expect((await create(id)).status).toBe(201);
    expect(t.sandbox.journal.entries().at(-1)?.detail).toEqual({ lifetimeInMinutes: 60, isUsableOnce: false, replaced: true, replacedUsable: false });
  });

  it('deletes a pass (204); then it is gone (a second delete is 404) and the user has none', async () => {
    const id = one('ready', 5);
    const pass = (await create(id)).json as Pass;
    expect((await rawGraph(t, `${passes(id)}/${pass.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await rawGraph(t, `${passes(id)}/${pass.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(((await rawGraph(t, passes(id))).json as { value: Pass[] }).value).toEqual([]);
    expect(t.sandbox.controls.temporaryAccessPass(id)).toEqual({ userId: id, issued: false });
    expect((await t.raw(`/_sandbox/temporaryAccessPass?user=${encodeURIComponent(id)}`)).json).toEqual({ userId: id, issued: false });
  });

  it('reads passes with UserAuthMethod-TAP.Read.All, creates them only with a write permission', async () => {
    const id = one('ready', 6);
    try {
      t.sandbox.controls.setRoles(['UserAuthMethod-TAP.Read.All']);
      await withFreshClient(t, async (client) => {
        expect(await client.api(`/users/${id}/authentication/temporaryAccessPassMethods`).get()).toMatchObject({ value: [] });
        await expect(client.api(`/users/${id}/authentication/temporaryAccessPassMethods`).post({})).rejects.toMatchObject({ statusCode: 403 });
      });
      t.sandbox.controls.setRoles(['UserAuthMethod-TAP.ReadWrite.All']);
      await withFreshClient(t, async (client) => {
        expect(await client.api(`/users/${id}/authentication/temporaryAccessPassMethods`).post({})).toMatchObject({ temporaryAccessPass: expect.any(String) });
      });
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
