import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface SignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  isInteractive: boolean;
  status: { errorCode: number };
  authenticationRequirement?: string;
  authenticationDetails?: { authenticationMethod: string; succeeded: boolean; authenticationStepRequirement: string }[];
  signInEventTypes?: string[];
}
interface Page {
  value: SignIn[];
  '@odata.nextLink'?: string;
}

const start = '2026-06-01T08:00:00.000Z';
const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the sign-in log (beta auditLogs/signIns)', () => {
  let t: TestSandbox;
  const later = (minutes: number) => t.sandbox.controls.setNow(new Date(t.sandbox.state.now().getTime() + minutes * 60_000));
  const ready = (index: number) => t.sandbox.manifest.users.filter((user) => user.category === 'ready')[index]?.id ?? '';
  const list = async (query: string, version = 'beta') => (await rawGraph(t, `/${version}/auditLogs/signIns${query}`));

  beforeAll(async () => {
    t = await startTestSandbox({ users: 80, seed: 61, clock: () => new Date(start), faults: { latency: false } });
    await t.raw('/_sandbox/registrationReport', json({ throttled: false }));
    // two sign-ins without MFA demanded, then per-user MFA for the second user, who signs in again (and registers Authenticator)
    t.sandbox.controls.signIn(ready(0));
    later(10);
    t.sandbox.controls.signIn(ready(1));
    await t.client.api(`/users/${ready(1)}/authentication/requirements`).version('beta').patch({ perUserMfaState: 'enforced' });
    later(10);
    t.sandbox.controls.signIn(ready(1));
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps every interactive sign-in on the sandbox clock, newest first, with the beta fields that say whether MFA was done', async () => {
    const page = (await list('')).json as Page;
    expect(page.value.map((signIn) => [signIn.userId, signIn.createdDateTime, signIn.authenticationRequirement])).toEqual([
      [ready(1), '2026-06-01T08:20:00Z', 'multiFactorAuthentication'],
      [ready(1), '2026-06-01T08:10:00Z', 'singleFactorAuthentication'],
      [ready(0), '2026-06-01T08:00:00Z', 'singleFactorAuthentication'],
    ]);
    const mfa = page.value[0];
    expect(mfa).toMatchObject({ isInteractive: true, status: { errorCode: 0 }, signInEventTypes: ['interactiveUser'] });
    expect(mfa?.authenticationDetails?.map((step) => [step.authenticationMethod, step.succeeded, step.authenticationStepRequirement])).toEqual([
      ['Password', true, 'Primary authentication'],
      ['Authenticator App', true, 'Secondary authentication'],
    ]);
    // v1.0 has no authenticationRequirement, authenticationDetails or signInEventTypes
    const v1 = ((await list('', 'v1.0')).json as Page).value[0];
    expect(v1).toMatchObject({ userId: ready(1), isInteractive: true });
    expect(Object.keys(v1 ?? {})).not.toEqual(expect.arrayContaining(['authenticationRequirement']));
    expect(v1).not.toHaveProperty('authenticationDetails');
  });

  it('filters on createdDateTime, authenticationRequirement, status/errorCode and userId, joined by and; pages by $top', async () => {
    const filter = encodeURIComponent("createdDateTime ge 2026-06-01T08:05:00Z and authenticationRequirement eq 'multiFactorAuthentication' and status/errorCode eq 0");
    expect(((await list(`?$filter=${filter}`)).json as Page).value.map((signIn) => signIn.createdDateTime)).toEqual(['2026-06-01T08:20:00Z']);
    const byUser = encodeURIComponent(`userId eq '${ready(1)}' and createdDateTime le 2026-06-01T08:15:00Z`);
    expect(((await list(`?$filter=${byUser}`)).json as Page).value.map((signIn) => signIn.createdDateTime)).toEqual(['2026-06-01T08:10:00Z']);
    const first = (await list('?$top=2')).json as Page;
    expect(first.value).toHaveLength(2);
    expect(first['@odata.nextLink']).toMatch(/\/beta\/auditLogs\/signIns\?\$top=2&\$skiptoken=/);
    const rest = (await t.client.api(first['@odata.nextLink'] ?? '').get()) as Page;
    expect(rest.value.map((signIn) => signIn.userId)).toEqual([ready(0)]);
  });

  it("refuses what Graph does not document as filterable (isInteractive), a $top over 1,000, and startsWith as not modelled", async () => {
    const interactive = await list(`?$filter=${encodeURIComponent('isInteractive eq true')}`);
    expect([interactive.status, (interactive.json as { error: { code: string } }).error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    const top = await list('?$top=1001');
    expect([top.status, (top.json as { error: { code: string } }).error.code]).toEqual([400, 'Request_UnsupportedQuery']);
    const starts = await list(`?$filter=${encodeURIComponent("startsWith(appDisplayName,'Office')")}`);
    expect([starts.status, (starts.json as { error: { code: string } }).error.code]).toEqual([400, 'SandboxNotModelled']);
  });

  it('needs AuditLog.Read.All and Entra ID P1, and shares the reports limit (5 per 10 s) with the registration report', async () => {
    try {
      await t.raw('/_sandbox/registrationReport', json({ licensed: false }));
      const unlicensed = await list('');
      expect([unlicensed.status, (unlicensed.json as { error: { code: string } }).error.code]).toEqual([403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant']);
    } finally {
      await t.raw('/_sandbox/registrationReport', json({ licensed: true }));
    }
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'AuditLog.Read.All'));
      await withFreshClient(t, async (client) => {
        await expect(client.api('/auditLogs/signIns').version('beta').get()).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
      });
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
    try {
      await t.raw('/_sandbox/registrationReport', json({ throttled: true }));
      for (let i = 0; i < 5; i += 1) expect((await rawGraph(t, '/v1.0/reports/authenticationMethods/userRegistrationDetails')).status).toBe(200);
      const throttled = await list('');
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await t.raw('/_sandbox/registrationReport', json({ throttled: false }));
    }
  });
});
