import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { createSandboxControls } from '../../sandbox/admin/sandboxControls.js';
import { seedTenant } from '../../sandbox/tenant/seedTenant.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { createTenantState } from '../../sandbox/tenant/tenantState.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const reference = (id: string): string => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

function inProcessTenant() {
  const tenant = createTenantState({ seeded: seedTenant({ seed: 5, size: 300, homeCountry: 'SE' }), clock: () => new Date('2026-05-04T22:00:00Z'), clientSecret: 's', roles: defaultAppRoles });
  return { tenant, scenarios: createSandboxControls(tenant) };
}

describe('sign-in night', () => {
  let t: TestSandbox;
  const ids = (category: UserCategory): string[] => t.sandbox.manifest.users.filter((user) => user.category === category).map((user) => user.id);
  const state = () => t.sandbox.state;
  const registered = async (id: string): Promise<boolean> =>
    ((await t.client.api(`/reports/authenticationMethods/userRegistrationDetails/${id}`).get()) as { isMfaRegistered: boolean }).isMfaRegistered;

  beforeAll(async () => {
    t = await startTestSandbox({ users: 200, seed: 51, clock: () => new Date('2026-05-04T22:00:00Z'), faults: { latency: false } });
    await t.raw('/_sandbox/registrationReport', json({ throttled: false }));
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in nobody at share 0, and only users who must do MFA at share 1', async () => {
    const nobody = (await t.raw('/_sandbox/signInNight', json({ share: 0, seed: 1 }))).json as Record<string, number>;
    expect(nobody).toMatchObject({ signedIn: 0, registeredAuthenticator: 0, enforced: 0 });
    // Generated per-user `enforced` users are the only ones who must do MFA so far (the MFA Required group is empty).
    const enforced = ids('alreadyEnforced');
    expect(nobody.candidates).toBe(enforced.length);
    const all = (await t.raw('/_sandbox/signInNight', json({ share: 1 }))).json as Record<string, unknown>;
    expect(all).toMatchObject({ candidates: enforced.length, signedIn: enforced.length, registeredAuthenticator: 0, enforced: 0, reportVisibleAt: '2026-05-04T23:00:00.000Z' });
    expect(state().otherMethods(ids('ready')[0] ?? '')).toEqual([]);
  });

  it('turns enabled into enforced, registers Authenticator for users without a strong method, and refreshes the report after the lag, sign-in or not', async () => {
    const [phoneFirst = '', noMethod = '', stuck = '', groupOnly = ''] = ids('ready');
    const beta = (id: string) => t.client.api(`/users/${id}/authentication/requirements`).version('beta');
    const addPhone = (id: string, phoneNumber: string) => t.client.api(`/users/${id}/authentication/phoneMethods`).post({ phoneNumber, phoneType: 'mobile' });
    const later = (minutes: number) => t.sandbox.controls.setNow(new Date(state().now().getTime() + minutes * 60_000));
    // Phone first, then per-user `enabled`: stored as `enforced` at once (Graph's rule). Enabled before any method: stays `enabled`.
    await addPhone(phoneFirst, '+46 701230001');
    await beta(phoneFirst).patch({ perUserMfaState: 'enabled' });
    await beta(noMethod).patch({ perUserMfaState: 'enabled' });
    // The rollout pre-registers a phone and adds the user to the CA group; membership changes no per-user state.
    await addPhone(stuck, '+46 701230002');
    const groupId = t.sandbox.manifest.groups.mfaRequired;
    for (const userId of [stuck, groupOnly]) await t.client.api(`/groups/${groupId}/members/$ref`).post({ '@odata.id': reference(userId) });
    expect([phoneFirst, noMethod, stuck, groupOnly].map((id) => state().perUserMfaState(id))).toEqual(['enforced', 'enabled', 'disabled', 'disabled']);

    // A night nobody signs in: the report still shows the phone the rollout registered once its lag has passed, as
    // Entra's does (docs/graph-behaviour.md#registration-report): "registered" proves nothing about MFA being done.
    expect(((await t.raw('/_sandbox/signInNight', json({ share: 0 }))).json as { signedIn: number }).signedIn).toBe(0);
    later(59);
    expect([state().hasStrongMethod(stuck), await registered(stuck)]).toEqual([true, false]);
    later(1);
    expect(await registered(stuck)).toBe(true);

    const night = (await t.raw('/_sandbox/signInNight', json({ share: 1 }))).json as Record<string, number>;
    const mustDoMfa = ids('alreadyEnforced').length + 4;
    expect(night).toMatchObject({ candidates: mustDoMfa, signedIn: mustDoMfa, registeredAuthenticator: 2, enforced: 1 });
    expect([noMethod, groupOnly, stuck, phoneFirst].map((id) => state().otherMethods(id).map((method) => method.kind))).toEqual([
      ['microsoftAuthenticator'],
      ['microsoftAuthenticator'],
      [],
      [],
    ]);
    expect([phoneFirst, noMethod, stuck, groupOnly].map((id) => state().perUserMfaState(id))).toEqual(['enforced', 'enforced', 'disabled', 'disabled']);

    // the Authenticator registered at the sign-in shows after the lag
    expect([await registered(stuck), await registered(noMethod), await registered(groupOnly)]).toEqual([true, false, false]);
    later(59);
    expect(await registered(noMethod)).toBe(false);
    later(1);
    expect([await registered(stuck), await registered(noMethod), await registered(groupOnly), await registered(phoneFirst)]).toEqual([true, true, true, true]);
  });

  it('is deterministic under the seed, and picks about the share asked for', () => {
    const night = (seed: number) => {
      const { tenant, scenarios } = inProcessTenant();
      const groupId = tenant.manifest.groups.mfaRequired;
      const members = tenant.users.filter((user) => user.category === 'ready' || user.category === 'missingMobile').map((user) => user.id);
      expect(tenant.addGroupMembers(groupId, members).ok).toBe(true);
      const result = scenarios.signInNight({ share: 0.5, seed });
      const withAuthenticator = tenant.users.filter((user) => tenant.otherMethods(user.id).some((method) => method.kind === 'microsoftAuthenticator') && user.category !== 'authenticatorOnly');
      return { result, registered: withAuthenticator.map((user) => user.id), members: members.length };
    };
    const first = night(7);
    const again = night(7);
    const other = night(8);
    expect(again).toEqual(first);
    expect(other.registered).not.toEqual(first.registered);
    expect(first.result.signedIn).toBe(Math.round(0.5 * first.result.candidates));
    expect(first.result.registeredAuthenticator).toBe(first.registered.length);
    expect(first.result.candidates).toBeGreaterThanOrEqual(first.members);
  });

  it('leaves out disabled accounts and follows the Conditional Access scenario', async () => {
    const { tenant, scenarios } = inProcessTenant();
    const groupId = tenant.manifest.groups.mfaRequired;
    const disabled = tenant.users.filter((user) => user.category === 'disabled').map((user) => user.id);
    const ready = tenant.users.filter((user) => user.category === 'ready').map((user) => user.id);
    tenant.addGroupMembers(groupId, [...disabled, ...ready]);
    tenant.setConditionalAccess({ scenario: 'reportOnly' });
    const reportOnly = scenarios.signInNight({ share: 1, seed: 1 });
    expect(reportOnly.registeredAuthenticator).toBe(0);
    tenant.setConditionalAccess({ scenario: 'default' });
    const enforcedNight = scenarios.signInNight({ share: 1, seed: 1 });
    expect(enforcedNight.registeredAuthenticator).toBe(ready.length);
    for (const id of disabled) expect(tenant.otherMethods(id)).toEqual([]);
  });

  it('validates the admin request', async () => {
    for (const body of [{ share: 2 }, { share: -0.1 }, {}, { share: 0.5, seed: 1.5 }]) {
      const answer = await t.raw('/_sandbox/signInNight', json(body));
      expect([answer.status, (answer.json as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);
    }
    const unknown = await t.raw('/_sandbox/signIn', json({ user: 'nobody@contoso.com' }));
    expect(unknown.status).toBe(400);
  });
});
