import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxStats } from '../../sandbox/admin/trafficControls.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const mobileId = '3179e48a-750b-4051-897c-87b9720928f7';

describe('traffic statistics', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 8, faults: { latency: false }, quota: { timeScale: 10 } });
  });
  afterAll(async () => {
    await t.close();
  });
  const stats = async (query = ''): Promise<SandboxStats> => (await t.raw(`/_sandbox/stats${query}`)).json as SandboxStats;
  const ready = (offset: number) => {
    const user = t.sandbox.manifest.users.filter((candidate) => candidate.category === 'ready')[offset];
    if (user === undefined) throw new Error('not enough ready users');
    return user;
  };

  it('detects the same effective write landing twice, and never keeps the phone number', async () => {
    const user = ready(0);
    const phones = `/users/${user.id}/authentication/phoneMethods`;
    await t.client.api(phones).post({ phoneType: 'mobile', phoneNumber: '+46 701234571' });
    await t.client.api(`${phones}/${mobileId}`).patch({ phoneNumber: '+46 701234571' });
    // the mobile is the user's default MFA method until they choose another (Graph refuses to delete it before)
    t.sandbox.state.setDefaultMfaMethod(user.id, t.sandbox.state.addAuthenticatorMethod(user.id).id);
    await t.client.api(`${phones}/${mobileId}`).delete();
    await t.client.api(phones).post({ phoneType: 'mobile', phoneNumber: '+46 701234571' });
    await t.client.api(`${phones}/${mobileId}`).patch({ phoneNumber: '+46 701234572' });

    const other = ready(1);
    const requirements = `/users/${other.id}/authentication/requirements`;
    await t.client.api(requirements).version('beta').patch({ perUserMfaState: 'enforced' });
    await t.client.api(requirements).version('beta').patch({ perUserMfaState: 'enforced' });
    const enforced = t.sandbox.manifest.users.find((candidate) => candidate.category === 'alreadyEnforced');
    // `enabled` on a user with a method is stored as `enforced`: the state the user already had
    await t.client.api(`/users/${enforced?.id}/authentication/requirements`).version('beta').patch({ perUserMfaState: 'enabled' });

    const group = t.sandbox.manifest.groups.mfaRequired;
    const member = ready(2);
    const reference = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${member.id}` };
    await t.client.api(`/groups/${group}/members/$ref`).post(reference);
    await expect(t.client.api(`/groups/${group}/members/$ref`).post(reference)).rejects.toMatchObject({ statusCode: 400 });

    const answer = await stats();
    expect(answer.duplicateWrites).toMatchObject({
      total: 5,
      byReason: { samePhoneNumber: 2, sameMfaState: 2, alreadyMember: 1 },
      byOperation: {
        'phoneMethods.update': 1,
        'phoneMethods.create': 1,
        'requirements.update': 2,
        'groups.addMember': 1,
      },
    });
    expect(answer.duplicateWrites.recent.map((entry) => [entry.reason, entry.userId, entry.status])).toEqual([
      ['samePhoneNumber', user.id, 204],
      ['samePhoneNumber', user.id, 201],
      ['sameMfaState', other.id, 204],
      ['sameMfaState', enforced?.id, 204],
      ['alreadyMember', member.id, 400],
    ]);
    expect(JSON.stringify(answer)).not.toMatch(/70123457/);
    const journal = t.sandbox.journal.entries();
    for (const entry of answer.duplicateWrites.recent) expect(journal.some((written) => written.requestId === entry.requestId)).toBe(true);
  });

  it('counts writes per user, requests per second, and answers the full per-user table only when asked', async () => {
    const user = ready(3);
    for (const state of ['enforced', 'disabled', 'enforced'] as const) {
      await t.client.api(`/users/${user.id}/authentication/requirements`).version('beta').patch({ perUserMfaState: state });
    }
    await expect(t.client.api('/users/nobody@contoso.com/authentication/requirements').version('beta').patch({ perUserMfaState: 'enforced' })).rejects.toMatchObject({ statusCode: 404 });
    const brief = await stats();
    expect(brief.writes.perUser).toBeUndefined();
    const full = await stats('?perUser=true');
    expect(full.writes.perUser?.[user.id]).toBe(3);
    expect(full.writes.attempted - full.writes.succeeded).toBeGreaterThanOrEqual(2);
    expect(full.writes.users).toBe(Object.keys(full.writes.perUser ?? {}).length);
    expect(full.writes.maxPerUser).toBeGreaterThanOrEqual(4);
    expect(Object.entries(full.writes.perUserHistogram).reduce((sum, [, users]) => sum + users, 0)).toBe(full.writes.users);

    const series = full.requests.perSecond;
    expect(series.length).toBeGreaterThanOrEqual(1);
    expect(series.reduce((sum, point) => sum + point.requests, 0)).toBe(full.requests.total);
    expect(series.every((point, index) => index === 0 || Date.parse(point.at) > Date.parse(series[index - 1]?.at ?? ''))).toBe(true);
    expect(full.requests.peakRequestsPerSecond).toBe(Math.max(...series.map((point) => point.requests)));
    expect(full.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('counts 429s of whole requests and of batch items, and the 503/504 it injected', async () => {
    const before = await stats();
    t.sandbox.traffic.setQuota({ appWrites: 1, reset: true });
    const users = [ready(4), ready(5), ready(6)];
    // group member adds: directory writes, whose 429s carry x-ms-throttle-scope
    const add = (user: { id: string } | undefined) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user?.id}` });
    const members = `/groups/${t.sandbox.manifest.groups.mfaRequired}/members/$ref`;
    const batch = await rawGraph(t, '/v1.0/$batch', {
      body: { requests: users.map((user, index) => ({ id: String(index), method: 'POST', url: members, headers: { 'Content-Type': 'application/json' }, body: add(user) })) },
    });
    expect(batch.status).toBe(200);
    expect((await rawGraph(t, `/v1.0${members}`, { body: add(users[1]) })).status).toBe(429);
    t.sandbox.traffic.setQuota({ appWrites: 3_000, reset: true });
    t.sandbox.traffic.addFault({ kind: 'unavailable', status: 503, count: 2 });
    t.sandbox.traffic.addFault({ kind: 'unavailable', status: 504, count: 1 });
    for (let i = 0; i < 4; i += 1) await rawGraph(t, '/v1.0/organization');

    const after = await stats();
    expect(after.throttled.batchItems - before.throttled.batchItems).toBe(2);
    expect(after.throttled.requests - before.throttled.requests).toBe(1);
    expect(after.throttled.byScope[`Tenant_Application/Write/${t.sandbox.clientId}/${t.sandbox.tenantId}`]).toBe(3);
    expect(after.injected).toMatchObject({ serviceUnavailable503: 2, gatewayTimeout504: 1 });
    expect(after.requests.batchEnvelopes - before.requests.batchEnvelopes).toBe(1);
    expect(after.requests.batchItems - before.requests.batchItems).toBe(3);
    expect(after.quota.config).toMatchObject({ timeScale: 10, appWrites: 3_000 });
    expect(after.quota.usage.timeScale).toBe(10);
    expect(after.quota.usage.buckets.map((bucket) => bucket.limit).sort()).toEqual(['appWrites', 'resourceUnits', 'tenantWrites']);
    expect(t.sandbox.traffic.stats()).toMatchObject({ throttled: after.throttled });
    expect(((await t.raw('/_sandbox/counters')).json as { quotaTimeScale: number }).quotaTimeScale).toBe(10);
  });
});
