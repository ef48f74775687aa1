import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@microsoft/microsoft-graph-client';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { createSlidingWindowLimit } from '../../sandbox/quota/slidingWindowLimit.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { caught, failureOf } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Entry {
  id: string;
  userPrincipalName: string;
  userType: string;
  isAdmin: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  methodsRegistered: string[];
  lastUpdatedDateTime: string;
}
interface Page {
  value: Entry[];
  '@odata.nextLink'?: string;
}

const report = '/reports/authenticationMethods/userRegistrationDetails';
const start = '2026-05-04T10:00:00.000Z';
const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function allPages(client: Client, path: string): Promise<{ entries: Entry[]; pages: number }> {
  let page = (await client.api(path).get()) as Page;
  const entries = [...page.value];
  let pages = 1;
  while (page['@odata.nextLink'] !== undefined) {
    page = (await client.api(page['@odata.nextLink']).get()) as Page;
    entries.push(...page.value);
    pages += 1;
  }
  return { entries, pages };
}

describe('userRegistrationDetails report', () => {
  let t: TestSandbox;
  const one = (category: UserCategory, index = 0): string => {
    const user = t.sandbox.manifest.users.filter((candidate) => candidate.category === category)[index];
    if (user === undefined) throw new Error(`no ${category} user`);
    return user.id;
  };
  const entry = async (id: string): Promise<Entry> => (await t.client.api(`${report}/${id}`).get()) as Entry;
  const settings = async (change: Record<string, unknown>): Promise<void> => {
    expect((await t.raw('/_sandbox/registrationReport', json(change))).status).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestSandbox({ users: 200, seed: 41, clock: () => new Date(start), faults: { latency: false } });
    await settings({ throttled: false });
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages the report with absolute @odata.nextLink, 100 entries a page, and leaves disabled accounts out', async () => {
    const first = (await t.client.api(report).get()) as Page & { '@odata.context': string };
    expect(first['@odata.context']).toBe(`${t.sandbox.origin}/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails`);
    expect(first.value).toHaveLength(100);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${t.sandbox.origin}/v1\\.0/reports/authenticationMethods/userRegistrationDetails\\?\\$skiptoken=`));
    const { entries, pages } = await allPages(t.client, report);
    const enabled = t.sandbox.state.users.filter((user) => user.accountEnabled).map((user) => user.id);
    expect(pages).toBe(Math.ceil(enabled.length / 100));
    expect(entries.map((row) => row.id)).toEqual(enabled);
    expect(entries.some((row) => row.id === one('disabled'))).toBe(false);
    await settings({ pageSize: 30 });
    expect((await allPages(t.client, report)).pages).toBe(Math.ceil(enabled.length / 30));
    await settings({ pageSize: 100 });
  });

  it('holds the entries computed at generation, dated a day before the start', async () => {
    expect(await entry(one('ready'))).toMatchObject({ isMfaRegistered: false, isMfaCapable: false, methodsRegistered: [], userType: 'member', isAdmin: false });
    expect(await entry(one('hasPhoneMethod'))).toMatchObject({ isMfaRegistered: true, isMfaCapable: true, methodsRegistered: ['mobilePhone'] });
    expect((await entry(one('authenticatorOnly'))).methodsRegistered).toEqual(['microsoftAuthenticatorPush', 'softwareOneTimePasscode']);
    expect(await entry(one('breakGlass'))).toMatchObject({ isAdmin: true, isPasswordlessCapable: true, methodsRegistered: ['passKeyDeviceBound'] });
    expect((await entry(one('guest'))).userType).toBe('guest');
    const full = (await t.client.api(`${report}/${one('ready', 1)}`).get()) as Record<string, unknown>;
    expect(Object.keys(full).filter((key) => !key.startsWith('@')).sort()).toEqual(
      [
        'id',
        'userPrincipalName',
        'userDisplayName',
        'userType',
        'isAdmin',
        'isSsprRegistered',
        'isSsprEnabled',
        'isSsprCapable',
        'isMfaRegistered',
        'isMfaCapable',
        'isPasswordlessCapable',
        'lastUpdatedDateTime',
        'methodsRegistered',
        'isSystemPreferredAuthenticationMethodEnabled',
        'systemPreferredAuthenticationMethods',
        'userPreferredMethodForSecondaryAuthentication',
      ].sort(),
    );
    expect(full.lastUpdatedDateTime).toBe('2026-05-03T10:00:00.000Z');
    for (const id of [one('disabled'), '00000000-0000-4000-8000-000000000002', 'someone@contoso.com']) {
      const missing = await caught(t.client.api(`${report}/${encodeURIComponent(id)}`).get());
      expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
    }
  });

  it('is not live: a phone the rollout registers shows only after the user signs in and the lag has passed', async () => {
    const id = one('ready', 2);
    await t.client.api(`/users/${id}/authentication/phoneMethods`).post({ phoneNumber: '+46 701234567', phoneType: 'mobile' });
    expect(await entry(id)).toMatchObject({ isMfaRegistered: false, lastUpdatedDateTime: '2026-05-03T10:00:00.000Z' });
    const signIn = (await t.raw('/_sandbox/signIn', json({ user: id }))).json as Record<string, unknown>;
    expect(signIn).toMatchObject({ userId: id, mfaRequired: false, registeredAuthenticator: false, reportVisibleAt: '2026-05-04T11:00:00.000Z' });
    expect((await entry(id)).isMfaRegistered).toBe(false);
    t.sandbox.controls.setNow('2026-05-04T10:59:00Z');
    expect((await entry(id)).isMfaRegistered).toBe(false);
    t.sandbox.controls.setNow('2026-05-04T11:00:00Z');
    expect(await entry(id)).toMatchObject({ isMfaRegistered: true, methodsRegistered: ['mobilePhone'], lastUpdatedDateTime: start });

    await settings({ lagMinutes: 0 });
    await t.client.api(`/users/${id}/authentication/phoneMethods`).post({ phoneNumber: '+46 701234568', phoneType: 'office' });
    t.sandbox.controls.signIn(id);
    expect((await entry(id)).methodsRegistered).toEqual(['mobilePhone', 'officePhone']);
    expect((await t.raw('/_sandbox/registrationReport')).json).toEqual({ lagMinutes: 0, licensed: true, throttled: false, pageSize: 100 });
    expect((await t.raw('/_sandbox/registrationReport', json({ lagMinutes: -1 }))).status).toBe(400);
    await settings({ lagMinutes: 60 });
  });

  it('names passkeys and hardware tokens as Graph does: passKeyDeviceBound, passKeyDeviceBoundAuthenticator, passKeySynced, hardwareOneTimePasscode', async () => {
    const strings = async (category: UserCategory): Promise<Set<string>> => {
      const ids = t.sandbox.manifest.users.filter((user) => user.category === category).map((user) => user.id);
      return new Set((await Promise.all(ids.map((id) => entry(id)))).flatMap((row) => row.methodsRegistered));
    };
    expect(await strings('passkeyDeviceBound')).toEqual(new Set(['passKeyDeviceBound', 'passKeyDeviceBoundAuthenticator']));
    expect(await strings('passkeySynced')).toEqual(new Set(['passKeySynced']));
    expect(await strings('hardwareOathOnly')).toEqual(new Set(['hardwareOneTimePasscode']));
    expect(await entry(one('passkeySynced'))).toMatchObject({ isMfaRegistered: true, isMfaCapable: true, isPasswordlessCapable: true });
    expect(await entry(one('hardwareOathOnly'))).toMatchObject({ isMfaRegistered: true, isMfaCapable: true, isPasswordlessCapable: false });
  });

  it('is policy-aware: capable only when the methods policy allows a registered method for the user, computed when the entry is', async () => {
    await settings({ lagMinutes: 0 });
    const phoneUser = one('hasPhoneMethod', 1); // no alternate mobile (every third one has)
    const passkeyUser = one('passkeySynced', 1);
    try {
      t.sandbox.controls.setMethodsPolicy({ scenario: 'smsDisabled' });
      // the entry is a report: it keeps what it computed until the next refresh (here, a sign-in)
      expect((await entry(phoneUser)).isMfaCapable).toBe(true);
      t.sandbox.controls.signIn(phoneUser);
      expect(await entry(phoneUser)).toMatchObject({ isMfaRegistered: true, isMfaCapable: false, methodsRegistered: ['mobilePhone'] });
      t.sandbox.controls.setMethodsPolicy({ scenario: 'fido2Disabled' });
      t.sandbox.controls.signIn(passkeyUser);
      t.sandbox.controls.signIn(phoneUser);
      expect(await entry(passkeyUser)).toMatchObject({ isMfaRegistered: true, isMfaCapable: false, isPasswordlessCapable: false, methodsRegistered: ['passKeySynced'] });
      expect((await entry(phoneUser)).isMfaCapable).toBe(true);
    } finally {
      t.sandbox.controls.setMethodsPolicy({ scenario: 'default' });
      await settings({ lagMinutes: 60 });
    }
  });

  it('filters with eq on the booleans and on userPrincipalName, methodsRegistered/any, joined by and', async () => {
    const notRegistered = (await allPages(t.client, `${report}?$filter=${encodeURIComponent('isMfaRegistered eq false')}`)).entries;
    const expected = t.sandbox.state.users.filter((user) => user.accountEnabled && t.sandbox.state.registrationEntry(user.id)?.isMfaRegistered === false);
    expect(notRegistered.map((row) => row.id)).toEqual(expected.map((user) => user.id));
    expect(notRegistered.length).toBeGreaterThan(100);

    const onSecurityKeys = t.sandbox.state.users
      .filter((user) => t.sandbox.state.otherMethods(user.id).some((method) => method.kind === 'fido2' && method.passkeyType === 'deviceBound' && !method.model.startsWith('Microsoft Authenticator')))
      .map((user) => user.id);
    expect(onSecurityKeys).toEqual(expect.arrayContaining(t.sandbox.manifest.breakGlass.map((account) => account.id)));
    const fido = (await t.client.api(report).filter("isMfaRegistered eq true and methodsRegistered/any(m:m eq 'passKeyDeviceBound')").get()) as Page;
    expect(fido.value.map((row) => row.id).sort()).toEqual(onSecurityKeys.sort());
    const [first] = t.sandbox.manifest.breakGlass;
    const byName = (await t.client.api(report).filter(`userPrincipalName eq '${first?.upn.toUpperCase()}' and isAdmin eq true`).get()) as Page;
    expect(byName.value.map((row) => row.id)).toEqual([first?.id]);
  });

  it('refuses startsWith and $orderby, which it does not model, naming them', async () => {
    expect(await failureOf(t.client.api(report).filter("startsWith(userPrincipalName,'BREAKGLASS') and isAdmin eq true").get())).toEqual([
      400,
      'SandboxNotModelled',
      'The sandbox tenant does not model startsWith in the $filter of userRegistrationDetails.',
    ]);
    expect(await failureOf(t.client.api(report).filter("isAdmin eq true and startswith(userDisplayName,'Break')").get())).toEqual([
      400,
      'SandboxNotModelled',
      'The sandbox tenant does not model startsWith in the $filter of userRegistrationDetails.',
    ]);
    for (const orderBy of ['userPrincipalName desc', 'isMfaRegistered']) {
      expect(await failureOf(t.client.api(report).orderby(orderBy).get())).toEqual([400, 'SandboxNotModelled', 'The sandbox tenant does not model $orderby.']);
    }
  });

  it('refuses what the report does not document: id in (…), ne, or, other properties, $top and $select', async () => {
    const ids = t.sandbox.manifest.users.slice(0, 2).map((user) => `'${user.id}'`);
    for (const [filter, property] of [
      [`id in (${ids.join(',')})`, 'id'],
      ['isMfaRegistered ne true', 'isMfaRegistered'],
      ['isMfaRegistered eq true or isAdmin eq true', 'or'],
      ["userType eq 'guest'", 'userType'],
      ['isMfaRegistered eq maybe', 'isMfaRegistered'],
    ] as const) {
      expect(await failureOf(t.client.api(report).filter(filter).get())).toEqual([
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${property}' of resource 'userRegistrationDetails'.`,
      ]);
    }
    for (const call of [t.client.api(report).top(5).get(), t.client.api(report).select(['id']).get()]) {
      const refused = await caught(call);
      expect([refused.statusCode, refused.code]).toEqual([400, 'Request_UnsupportedQuery']);
    }
  });

  it('limits each app to 5 requests per 10 s: 429 TooManyRequests with a whole-second Retry-After', async () => {
    await settings({ throttled: true });
    t.sandbox.state.limits.registrationReport.reset();
    const id = one('ready', 3);
    for (let request = 0; request < 5; request += 1) expect((await rawGraph(t, `/v1.0${report}/${id}`)).status).toBe(200);
    const throttled = await rawGraph(t, `/v1.0${report}?$filter=isMfaRegistered%20eq%20false`);
    expect([throttled.status, (throttled.json as { error: { code: string } }).error.code]).toEqual([429, 'TooManyRequests']);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    await settings({ throttled: false });
  });

  it('counts the window on real time: Retry-After is how long until the oldest request leaves it', () => {
    let now = 0;
    const limit = createSlidingWindowLimit({ limit: 5, windowMs: 10_000, now: () => now });
    for (const at of [0, 1_000, 2_000, 3_000, 4_000]) {
      now = at;
      expect(limit.take('app').ok).toBe(true);
    }
    now = 6_500;
    expect(limit.take('app')).toEqual({ ok: false, retryAfterMs: 3_500 });
    expect(limit.take('other app').ok).toBe(true);
    now = 10_000;
    expect(limit.take('app').ok).toBe(true);
  });

  it('answers 403 when the tenant has no P1/P2 licence, and without AuditLog.Read.All', async () => {
    await settings({ licensed: false });
    expect(await failureOf(t.client.api(report).get())).toEqual([403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license"]);
    await settings({ licensed: true });
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'AuditLog.Read.All'));
      const denied = await withFreshClient(t, (client) => caught(client.api(report).get()));
      expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied']);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
