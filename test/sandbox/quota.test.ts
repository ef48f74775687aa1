import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isBatchRoute } from '../../sandbox/batch/createBatchRoute.js';
import { GraphHttpError } from '../../sandbox/http/GraphHttpError.js';
import type { GraphRoute, RequestContext } from '../../sandbox/http/graphRoute.js';
import { createQuotaMeter } from '../../sandbox/quota/createQuotaMeter.js';
import { defaultQuotaConfig, resourceUnitsForTenantSize } from '../../sandbox/quota/quotaConfig.js';
import { requestCost } from '../../sandbox/quota/requestCost.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const throttleBody = {
  error: {
    code: 'TooManyRequests',
    message: 'Please retry again later.',
    innerError: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': expect.any(String), 'client-request-id': expect.any(String) },
  },
};
const seconds = /^\d+(\.\d{1,3})?$/;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('request costs (docs/graph-behaviour.md#throttling)', () => {
  const cost = (method: string, pattern: string, query = ''): number => requestCost(method, pattern, new URLSearchParams(query)).resourceUnits;

  it('charges GET users 2, members 3, transitiveMembers 5, other reads 1 and writes 1 plus a write', () => {
    expect(cost('GET', 'users')).toBe(2);
    expect(cost('GET', 'groups/{groupId}/members')).toBe(3);
    expect(cost('GET', 'groups/{groupId}/transitiveMembers')).toBe(5);
    expect(cost('GET', 'users/{userId}')).toBe(1);
    expect(requestCost('PATCH', 'users/{userId}/authentication/requirements', new URLSearchParams())).toEqual({ resourceUnits: 1, writes: 1 });
    expect(requestCost('GET', 'users', new URLSearchParams())).toEqual({ resourceUnits: 2, writes: 0 });
  });

  it('takes 1 off for $select and for $top below 20, adds 1 for $expand, and never goes below 1', () => {
    expect(cost('GET', 'users', '$select=id')).toBe(1);
    expect(cost('GET', 'users', '$top=5')).toBe(1);
    expect(cost('GET', 'users', '$top=20')).toBe(2);
    expect(cost('GET', 'groups/{groupId}/transitiveMembers', '$select=id&$top=999')).toBe(4);
    expect(cost('GET', 'groups/{groupId}/transitiveMembers', '$select=id&$top=10')).toBe(3);
    expect(cost('GET', 'users/{userId}', '$select=id&$top=1')).toBe(1);
    expect(cost('GET', 'users/{userId}', '$expand=manager')).toBe(2);
  });

  it('sizes the resource-unit quota by tenant: 3,500 below 50 users, 5,000 up to 500, 8,000 above', () => {
    expect([49, 50, 500, 501].map(resourceUnitsForTenantSize)).toEqual([3_500, 5_000, 5_000, 8_000]);
    expect(defaultQuotaConfig(60)).toEqual({
      enabled: true,
      writeModel: 'bucket',
      headers: true,
      authenticationMethodQuota: 'identity',
      resourceUnits: 5_000,
      resourceUnitWindowSeconds: 10,
      appWrites: 3_000,
      appWriteWindowSeconds: 150,
      tenantWrites: 18_000,
      tenantWriteWindowSeconds: 300,
      timeScale: 1,
    });
  });
});

describe('createQuotaMeter on a fake clock', () => {
  const route = (method: GraphRoute['method'], pattern: string): GraphRoute => ({ method, pattern, operation: 'x.y', versions: ['v1.0'], permissions: [], handle: () => ({ status: 200 }) });
  const context = (method: GraphRoute['method'] = 'GET', pattern = 'users/{userId}'): RequestContext =>
    ({
      request: { method, url: new URL('https://localhost/v1.0/x'), headers: {}, bodyText: '', requestId: 'r', clientRequestId: 'c' },
      version: 'v1.0',
      segments: pattern.split('/'),
      query: new URLSearchParams(),
      route: route(method, pattern),
      caller: { appId: 'app', roles: [] },
      params: {},
      audit: { userId: null, detail: {} },
    }) as unknown as RequestContext;
  const next = async () => ({ status: 200 });
  const answer = (meter: ReturnType<typeof createQuotaMeter>, method?: GraphRoute['method'], pattern?: string) =>
    meter.stage(context(method, pattern), next).then(
      (reply) => ({ status: reply.status, headers: reply.headers ?? {} }),
      (error: unknown) => ({ status: (error as GraphHttpError).status, headers: (error as GraphHttpError).headers ?? {} }),
    );

  it('answers the time until enough tokens are back, to the millisecond, and refills continuously', async () => {
    let now = 0;
    const meter = createQuotaMeter({ tenantId: 'tenant', config: { ...defaultQuotaConfig(10), resourceUnits: 10 }, isUnmetered: isBatchRoute, nowMs: () => now });
    for (let i = 0; i < 10; i += 1) await meter.stage(context(), next);
    now = 872; // 0.872 RU back at 1 RU/s: 0.128 s short of one
    const error = await meter.stage(context(), next).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphHttpError);
    // the throttled request is booked too: one more unit short, 1.128 s
    expect((error as GraphHttpError).headers).toMatchObject({ 'Retry-After': '1.128', 'x-ms-throttle-scope': 'Tenant_Application/ReadWrite/app/tenant', 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' });
    now = 2_000;
    await expect(meter.stage(context(), next)).resolves.toMatchObject({ status: 200, headers: { 'x-ms-resource-unit': '1', 'x-ms-throttle-limit-percentage': '1' } });
    expect(meter.usage().throttled).toEqual({ total: 1, resourceUnits: 1, appWrites: 0, tenantWrites: 0 });
    expect(meter.usage().consumed).toEqual({ requests: 11, resourceUnits: 11, writes: 0 });
  });

  it('counts every request, throttled or not: a client that keeps sending while throttled waits longer for each', async () => {
    const now = 0;
    const meter = createQuotaMeter({ tenantId: 'tenant', config: { ...defaultQuotaConfig(10), appWrites: 10, appWriteWindowSeconds: 10 }, isUnmetered: isBatchRoute, nowMs: () => now });
    for (let i = 0; i < 10; i += 1) expect((await answer(meter, 'POST', 'groups/{groupId}/members/$ref')).status).toBe(200);
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) waits.push(Number((await answer(meter, 'POST', 'groups/{groupId}/members/$ref')).headers['Retry-After']));
    expect(waits).toEqual([2, 3, 4]);
  });

  it("as a sliding window gives no credit for idle time: after a burst of the capacity, nothing fits until the burst's oldest write leaves", async () => {
    let now = 0;
    const config = { ...defaultQuotaConfig(10), appWrites: 10, appWriteWindowSeconds: 10 };
    const bucket = createQuotaMeter({ tenantId: 'tenant', config, isUnmetered: isBatchRoute, nowMs: () => now });
    const window = createQuotaMeter({ tenantId: 'tenant', config: { ...config, writeModel: 'window' }, isUnmetered: isBatchRoute, nowMs: () => now });
    for (const meter of [bucket, window]) for (let i = 0; i < 10; i += 1) expect((await answer(meter, 'POST', 'groups/{groupId}/members/$ref')).status).toBe(200);
    now = 5_000; // half the window: the bucket has 5 writes back, the window none
    expect((await answer(bucket, 'POST', 'groups/{groupId}/members/$ref')).status).toBe(200);
    const refused = await answer(window, 'POST', 'groups/{groupId}/members/$ref');
    expect([refused.status, refused.headers['Retry-After'], refused.headers['x-ms-throttle-information']]).toEqual([429, '5', 'WriteLimitExceeded']);
    expect(window.usage().buckets.find((limit) => limit.limit === 'appWrites')).toMatchObject({ model: 'window', capacity: 10, available: -1, usedShare: 1.1 });
    now = 10_001; // the burst has left; the refused write is still in the window
    expect((await answer(window, 'POST', 'groups/{groupId}/members/$ref')).status).toBe(200);
  });

  it('meters authentication-method writes as its reading says, and never sends them the identity headers', async () => {
    const now = 0;
    const phoneWrite = (meter: ReturnType<typeof createQuotaMeter>) => answer(meter, 'POST', 'users/{userId}/authentication/phoneMethods');
    const small = { ...defaultQuotaConfig(10), appWrites: 2, tenantWrites: 3 };
    const identity = createQuotaMeter({ tenantId: 't', config: small, isUnmetered: isBatchRoute, nowMs: () => now });
    const statuses = async (meter: ReturnType<typeof createQuotaMeter>) => {
      const seen: number[] = [];
      for (let i = 0; i < 4; i += 1) seen.push((await phoneWrite(meter)).status);
      return seen;
    };
    const first = await phoneWrite(identity);
    expect(first).toEqual({ status: 200, headers: {} });
    expect([(await phoneWrite(identity)).status, await phoneWrite(identity)]).toEqual([200, { status: 429, headers: { 'Retry-After': expect.stringMatching(seconds) } }]);
    expect(await statuses(createQuotaMeter({ tenantId: 't', config: { ...small, authenticationMethodQuota: 'tenantWrites' }, isUnmetered: isBatchRoute, nowMs: () => now }))).toEqual([200, 200, 200, 429]);
    expect(await statuses(createQuotaMeter({ tenantId: 't', config: { ...small, authenticationMethodQuota: 'none' }, isUnmetered: isBatchRoute, nowMs: () => now }))).toEqual([200, 200, 200, 200]);
    // reads of the methods carry no header either, and the other families are not metered here at all
    expect((await answer(identity, 'GET', 'users/{userId}/authentication/methods')).headers).toEqual({});
    expect((await answer(identity, 'GET', 'reports/authenticationMethods/userRegistrationDetails')).headers).toEqual({});
    expect((await answer(identity, 'GET', 'identity/conditionalAccess/policies')).headers).toEqual({});
    expect((await answer(identity, 'POST', 'users/{userId}/sendMail')).status).toBe(200);
    expect((await answer(identity, 'GET', 'users/{userId}')).headers).toMatchObject({ 'x-ms-resource-unit': '1' });
  });

  it('sends no identity header at all when headers are switched off, not even on a 429', async () => {
    const now = 0;
    const meter = createQuotaMeter({ tenantId: 't', config: { ...defaultQuotaConfig(10), headers: false, appWrites: 1 }, isUnmetered: isBatchRoute, nowMs: () => now });
    expect(await answer(meter, 'GET', 'users')).toEqual({ status: 200, headers: {} });
    expect((await answer(meter, 'POST', 'groups/{groupId}/members/$ref')).headers).toEqual({});
    const throttled = await answer(meter, 'POST', 'groups/{groupId}/members/$ref');
    expect([throttled.status, Object.keys(throttled.headers)]).toEqual([429, ['Retry-After']]);
  });
});

describe('quotas over HTTPS', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 3, faults: { latency: false }, quota: { resourceUnits: 10 } });
  });
  afterAll(async () => {
    await t.close();
  });
  const scope = (kind: string): string => `${kind}/${t.sandbox.clientId}/${t.sandbox.tenantId}`;

  it('throttles reads at the resource-unit figure with Graph headers and a fractional Retry-After; a throttled request is booked too', async () => {
    // 10 RU per 100 s: nothing comes back while the test runs
    t.sandbox.traffic.setQuota({ resourceUnits: 10, resourceUnitWindowSeconds: 100, reset: true });
    const costs: (string | null)[] = [];
    for (let i = 0; i < 5; i += 1) costs.push((await rawGraph(t, '/v1.0/users')).headers.get('x-ms-resource-unit'));
    expect(costs).toEqual(['2', '2', '2', '2', '2']);
    const throttled = await rawGraph(t, '/v1.0/users');
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject(throttleBody);
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(scope('Tenant_Application/ReadWrite'));
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    const retryAfter = throttled.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(seconds);
    // 2 units short once the refused read is booked too, at 0.1 unit per second
    expect(Number(retryAfter)).toBeGreaterThan(35);
    expect(Number(retryAfter)).toBeLessThanOrEqual(40);
    const again = await rawGraph(t, '/v1.0/users');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(Number(retryAfter));
    expect(t.sandbox.traffic.quota().usage.throttled.resourceUnits).toBe(2);
  });

  it('throttles through the Graph client with the same answer', async () => {
    t.sandbox.traffic.setQuota({ resourceUnits: 2, reset: true });
    await t.client.api('/users').get();
    await expect(t.client.api('/users').get()).rejects.toMatchObject({ statusCode: 429, code: 'TooManyRequests', message: 'Please retry again later.' });
  });

  it('sends x-ms-throttle-limit-percentage once a bucket is more than 80 % used', async () => {
    t.sandbox.traffic.setQuota({ resourceUnits: 10, resourceUnitWindowSeconds: 1_000, reset: true });
    const shares: (string | null)[] = [];
    for (let i = 0; i < 10; i += 1) shares.push((await rawGraph(t, '/v1.0/organization')).headers.get('x-ms-throttle-limit-percentage'));
    expect(shares.slice(0, 8)).toEqual([null, null, null, null, null, null, null, null]);
    expect(Number(shares[8])).toBeGreaterThan(0.8);
    expect(Number(shares[8])).toBeLessThanOrEqual(0.91);
    expect(Number(shares[9])).toBeGreaterThan(0.9);
    expect(Number(shares[9])).toBeLessThanOrEqual(1.8);
  });

  it('throttles writes per app and tenant (WriteLimitExceeded, Tenant_Application/Write) while reads go on', async () => {
    t.sandbox.traffic.setQuota({ resourceUnits: 1_000, resourceUnitWindowSeconds: 10, appWrites: 2, tenantWrites: 100, reset: true });
    const [first, second, third] = t.sandbox.manifest.users.filter((candidate) => candidate.category === 'ready');
    const groupId = t.sandbox.manifest.groups.mfaRequired;
    const add = (userId: string | undefined) => rawGraph(t, `/v1.0/groups/${groupId}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` } });
    const ok = await add(first?.id);
    expect([ok.status, ok.headers.get('x-ms-resource-unit')]).toEqual([204, '1']);
    expect((await add(second?.id)).status).toBe(204);
    const throttled = await add(third?.id);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(scope('Tenant_Application/Write'));
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
    // 2 writes per 150 s, the refused one booked too: two writes back in 150 s at most
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(140);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(150);
    expect((await rawGraph(t, `/v1.0/groups/${groupId}/members?$select=id`)).status).toBe(200);
    // the per-user MFA write draws on the same quota (reading `identity`) but carries no identity header
    const patch = await rawGraph(t, `/beta/users/${first?.id}/authentication/requirements`, { method: 'PATCH', body: { perUserMfaState: 'enforced' } });
    expect([patch.status, patch.headers.get('x-ms-throttle-scope'), patch.headers.get('x-ms-resource-unit')]).toEqual([429, null, null]);
    expect(patch.headers.get('retry-after')).toMatch(seconds);
    t.sandbox.traffic.setQuota({ appWrites: 3_000, reset: true });
    for (const userId of [first?.id, second?.id]) expect((await rawGraph(t, `/v1.0/groups/${groupId}/members/${userId}/$ref`, { method: 'DELETE' })).status).toBe(204);
  });

  it('throttles writes per tenant across apps (Tenant/Write)', async () => {
    t.sandbox.traffic.setQuota({ appWrites: 100, tenantWrites: 1, reset: true });
    const [first, second] = t.sandbox.manifest.users.filter((candidate) => candidate.category === 'ready');
    const groupId = t.sandbox.manifest.groups.mfaRequired;
    const add = (userId: string | undefined) => rawGraph(t, `/v1.0/groups/${groupId}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` } });
    expect((await add(first?.id)).status).toBe(204);
    const throttled = await add(second?.id);
    expect([throttled.status, throttled.headers.get('x-ms-throttle-scope'), throttled.headers.get('x-ms-throttle-information')]).toEqual([429, scope('Tenant/Write'), 'WriteLimitExceeded']);
    t.sandbox.traffic.setQuota({ tenantWrites: 18_000, reset: true });
    expect((await rawGraph(t, `/v1.0/groups/${groupId}/members/${first?.id}/$ref`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refills over scaled time: timeScale 50 runs a 10 s window in 0.2 s with the same capacity', async () => {
    t.sandbox.traffic.setQuota({ resourceUnits: 4, appWrites: 3_000, tenantWrites: 18_000, timeScale: 50, reset: true });
    // ten reads at once (one batch): four fit, the others are throttled (and booked, down to a debt of one capacity)
    const burst = (await rawGraph(t, '/v1.0/$batch', { body: { requests: Array.from({ length: 10 }, (_, index) => ({ id: String(index), method: 'GET', url: '/organization' })) } }))
      .json as { responses: { status: number; headers: Record<string, string> }[] };
    const throttled = burst.responses.filter((item) => item.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(5);
    const wait = Math.max(...throttled.map((item) => Number(item.headers['Retry-After'])));
    expect(wait).toBeGreaterThan(0.2);
    expect(wait).toBeLessThanOrEqual(0.25);
    await sleep(wait * 1000 + 5);
    expect((await rawGraph(t, '/v1.0/organization')).status).toBe(200);
    await sleep(220);
    const refilled = (await rawGraph(t, '/v1.0/$batch', { body: { requests: Array.from({ length: 4 }, (_, index) => ({ id: String(index), method: 'GET', url: '/organization' })) } }))
      .json as { responses: { status: number }[] };
    expect(refilled.responses.map((item) => item.status)).toEqual([200, 200, 200, 200]);
    const quota = (await t.raw('/_sandbox/quota')).json as { config: { timeScale: number; resourceUnits: number }; usage: { timeScale: number; buckets: { limit: string; effectiveWindowSeconds: number }[] } };
    expect(quota.config).toMatchObject({ timeScale: 50, resourceUnits: 4 });
    expect(quota.usage.buckets.find((bucket) => bucket.limit === 'resourceUnits')?.effectiveWindowSeconds).toBe(0.2);
    expect(t.sandbox.traffic.stats().quota.config.timeScale).toBe(50);
  });

  it('meters batch items and not the envelope', async () => {
    t.sandbox.traffic.setQuota({ resourceUnits: 1_000, timeScale: 1, reset: true });
    const before = t.sandbox.traffic.quota().usage.consumed;
    const answer = await rawGraph(t, '/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'GET', url: '/users' }, { id: '2', method: 'GET', url: '/users?$select=id' }, { id: '3', method: 'GET', url: '/organization' }] },
    });
    expect(answer.status).toBe(200);
    const after = t.sandbox.traffic.quota().usage.consumed;
    expect([after.requests - before.requests, after.resourceUnits - before.resourceUnits]).toEqual([3, 4]);
  });

  it('changes figures over the admin API, rejects bad ones, and can be switched off', async () => {
    const bad = await t.raw('/_sandbox/quota', { method: 'POST', body: JSON.stringify({ appWrites: -1 }) });
    expect([bad.status, (bad.json as { error: { message: string } }).error.message]).toEqual([400, "quota: expected 'appWrites' to be a number above 0"]);
    const unknown = await t.raw('/_sandbox/quota', { method: 'POST', body: JSON.stringify({ writes: 5 }) });
    expect(unknown.status).toBe(400);
    const model = await t.raw('/_sandbox/quota', { method: 'POST', body: JSON.stringify({ writeModel: 'leakyBucket' }) });
    expect([model.status, (model.json as { error: { message: string } }).error.message]).toEqual([400, "quota: expected 'writeModel' to be one of bucket, window"]);
    const off = await t.raw('/_sandbox/quota', { method: 'POST', body: JSON.stringify({ enabled: false, resourceUnits: 1, reset: true }) });
    expect((off.json as { config: { enabled: boolean } }).config.enabled).toBe(false);
    for (let i = 0; i < 3; i += 1) {
      const answer = await rawGraph(t, '/v1.0/users');
      expect([answer.status, answer.headers.get('x-ms-resource-unit')]).toEqual([200, null]);
    }
    await t.raw('/_sandbox/quota', { method: 'POST', body: JSON.stringify({ enabled: true, resourceUnits: 5_000, reset: true }) });
  });
});
