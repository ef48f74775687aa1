import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { JournalEntry } from '../../sandbox/stats/journal.js';
import type { SandboxManifest } from '../../sandbox/tenant/tenantModel.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface BatchAnswer {
  responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[];
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const usersOf = (manifest: SandboxManifest, category: string, count: number): SandboxManifest['users'][number][] => {
  const users = manifest.users.filter((user) => user.category === category).slice(0, count);
  if (users.length < count) throw new Error(`not enough ${category} users`);
  return users;
};


describe('$batch', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 80, seed: 5, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers every item, in a shuffled order, correlated by id, with Content-Type and request-id per item', async () => {
    const users = t.sandbox.manifest.users.slice(0, 12);
    // SDK 3.0.7 strips only scheme, host and port from a step's URL (msgraph-sdk-javascript#1178): give it no version.
    const content = new BatchRequestContent(
      users.map((user, index) => ({ id: String(index + 1), request: new Request(`${t.sandbox.origin}/users/${user.id}?$select=id,userPrincipalName`) })),
    );
    const body = (await content.getContent()) as { requests: { url: string }[] };
    expect(body.requests[0]?.url).toBe(`/users/${users[0]?.id}?$select=id,userPrincipalName`);
    const answer = (await t.client.api('/$batch').post(body)) as BatchAnswer;
    const ids = answer.responses.map((item) => item.id);
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(users.map((_, index) => String(index + 1)));
    expect(ids).not.toEqual(users.map((_, index) => String(index + 1)));
    for (const item of answer.responses) {
      expect(item.status).toBe(200);
      expect(item.headers['Content-Type']).toBe('application/json');
      expect(item.headers['request-id']).toMatch(guid);
      expect(item.headers['x-ms-resource-unit']).toBe('1');
    }
    const parsed = new BatchResponseContent(answer);
    for (const [index, user] of users.entries()) {
      const response = parsed.getResponseById(String(index + 1));
      expect(await response.json()).toMatchObject({ id: user.id, userPrincipalName: user.upn });
    }
  });

  it('treats a version segment in an item url as Graph does: 400, "Resource not found for the segment \'v1.0\'"', async () => {
    const user = t.sandbox.manifest.users[0];
    const content = new BatchRequestContent([{ id: '1', request: new Request(`${t.sandbox.origin}/v1.0/users/${user?.id}`) }]);
    const body = (await content.getContent()) as { requests: { url: string }[] };
    expect(body.requests[0]?.url).toBe(`/v1.0/users/${user?.id}`);
    const answer = (await t.client.api('/$batch').post(body)) as BatchAnswer;
    expect(answer.responses[0]).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: "Resource not found for the segment 'v1.0'." } } });
  });

  it('takes item urls with or without the leading slash, relative to the version of the endpoint', async () => {
    const [user] = usersOf(t.sandbox.manifest, 'ready', 1);
    const answer = (await rawGraph(t, '/beta/$batch', {
      body: {
        requests: [
          { id: 'a', method: 'GET', url: `users/${user?.id}/authentication/requirements` },
          { id: 'b', method: 'GET', url: `/users/${user?.id}/authentication/requirements` },
        ],
      },
    })).json as BatchAnswer;
    expect(answer.responses.map((item) => [item.id, item.status, (item.body as { perUserMfaState?: string }).perUserMfaState]).sort()).toEqual([
      ['a', 200, 'disabled'],
      ['b', 200, 'disabled'],
    ]);
    const v1 = (await rawGraph(t, '/v1.0/$batch', { body: { requests: [{ id: '1', method: 'GET', url: `/users/${user?.id}/authentication/requirements` }] } })).json as BatchAnswer;
    expect(v1.responses[0]).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', message: "Resource not found for the segment 'requirements'." } } });
  });

  it('refuses the whole batch with 400 for more than 20 items, duplicate ids, a body without Content-Type, or a malformed body', async () => {
    const get = (id: string) => ({ id, method: 'GET', url: '/organization' });
    const tooMany = await rawGraph(t, '/v1.0/$batch', { body: { requests: Array.from({ length: 21 }, (_, index) => get(String(index + 1))) } });
    expect([tooMany.status, tooMany.json]).toMatchObject([400, { error: { code: 'BadRequest', message: 'Number of included requests exceeds the maximum of 20.', innerError: { 'request-id': expect.stringMatching(guid) } } }]);
    const twenty = await rawGraph(t, '/v1.0/$batch', { body: { requests: Array.from({ length: 20 }, (_, index) => get(String(index + 1))) } });
    expect(twenty.status).toBe(200);

    const duplicate = await rawGraph(t, '/v1.0/$batch', { body: { requests: [get('Item'), get('item')] } });
    expect([duplicate.status, (duplicate.json as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);

    const noContentType = await rawGraph(t, '/v1.0/$batch', {
      body: { requests: [{ id: '1', method: 'POST', url: '/users/x/authentication/phoneMethods', body: { phoneType: 'mobile', phoneNumber: '+46 701234567' } }] },
    });
    expect(noContentType.status).toBe(400);

    for (const body of ['{"requests":', '{"requests":{}}', '[]', '{"requests":[{"method":"GET","url":"/users"}]}', '{"requests":[]}']) {
      const answer = await rawGraph(t, '/v1.0/$batch', { body });
      expect([body, answer.status, (answer.json as { error: { code: string } }).error.code]).toEqual([body, 400, 'BadRequest']);
    }
  });

  it('needs a token for the envelope and authorizes each item with it', async () => {
    const unauthenticated = await t.raw('/v1.0/$batch', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/organization' }] }) });
    expect([unauthenticated.status, (unauthenticated.json as { error: { code: string } }).error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    const [user] = usersOf(t.sandbox.manifest, 'ready', 1);
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'Policy.ReadWrite.AuthenticationMethod'));
      const token = await t.token();
      const answer = (await rawGraph(t, '/beta/$batch', {
        token,
        body: {
          requests: [
            { id: '1', method: 'GET', url: '/organization' },
            { id: '2', method: 'PATCH', url: `/users/${user?.id}/authentication/requirements`, headers: { 'Content-Type': 'application/json' }, body: { perUserMfaState: 'enforced' } },
          ],
        },
      })).json as BatchAnswer;
      const byId = Object.fromEntries(answer.responses.map((item) => [item.id, item]));
      expect(byId['1']?.status).toBe(200);
      expect(byId['2']).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
      expect(t.sandbox.state.perUserMfaState(user?.id ?? '')).toBe('disabled');
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('refuses a batch with dependsOn, which it does not model, and runs none of its items', async () => {
    const [first, second] = usersOf(t.sandbox.manifest, 'ready', 3).slice(1);
    const json = { 'Content-Type': 'application/json' };
    const journalBefore = t.sandbox.journal.entries().length;
    const answer = await rawGraph(t, '/beta/$batch', {
      body: {
        requests: [
          { id: '1', method: 'PATCH', url: `/users/${first?.id}/authentication/requirements`, headers: json, body: { perUserMfaState: 'enforced' } },
          { id: '2', method: 'PATCH', url: `/users/${second?.id}/authentication/requirements`, headers: json, body: { perUserMfaState: 'enforced' }, dependsOn: ['1'] },
        ],
      },
    });
    expect([answer.status, (answer.json as { error: { code: string; message: string } }).error]).toEqual([
      400,
      expect.objectContaining({ code: 'SandboxNotModelled', message: expect.stringContaining("does not model 'dependsOn' in a $batch request (request '2')") }),
    ]);
    const empty = await rawGraph(t, '/v1.0/$batch', { body: { requests: [{ id: '1', method: 'GET', url: '/organization', dependsOn: [] }] } });
    expect([empty.status, (empty.json as { error: { code: string } }).error.code]).toEqual([400, 'SandboxNotModelled']);
    expect(t.sandbox.journal.entries().length).toBe(journalBefore);
    expect([t.sandbox.state.perUserMfaState(first?.id ?? ''), t.sandbox.state.perUserMfaState(second?.id ?? '')]).toEqual(['disabled', 'disabled']);
  });

  it('journals each batched write like a direct one, marked viaBatch, and never the envelope', async () => {
    const before = t.sandbox.journal.entries().at(-1)?.seq ?? 0;
    const countersBefore = t.sandbox.journal.counters();
    const [user] = usersOf(t.sandbox.manifest, 'readyNational', 1);
    const envelope = await rawGraph(t, '/beta/$batch', {
      body: {
        requests: [
          { id: 'r', method: 'GET', url: `/users/${user?.id}/authentication/requirements` },
          { id: 'w', method: 'PATCH', url: `/users/${user?.upn}/authentication/requirements`, headers: { 'Content-Type': 'application/json' }, body: { perUserMfaState: 'enforced' } },
          { id: 'x', method: 'PATCH', url: '/users/nobody@contoso.com/authentication/requirements', headers: { 'Content-Type': 'application/json' }, body: { perUserMfaState: 'enforced' } },
        ],
      },
    });
    const answer = envelope.json as BatchAnswer;
    const entries = (await t.raw(`/_sandbox/journal?since=${before}`)).json as { entries: JournalEntry[] };
    const items = Object.fromEntries(answer.responses.map((item) => [item.id, item]));
    expect(entries.entries.map((entry) => [entry.operation, entry.status, entry.userId, entry.viaBatch]).sort()).toEqual([
      ['requirements.update', 204, user?.id, true],
      ['requirements.update', 404, null, true],
    ]);
    for (const entry of entries.entries) {
      expect(entry.batchRequestId).toBe(envelope.headers.get('request-id'));
      expect(entry.path).toMatch(/^\/beta\/users\/[^/]+\/authentication\/requirements$/);
    }
    expect(entries.entries.find((entry) => entry.status === 204)?.requestId).toBe(items.w?.headers['request-id']);
    const after = t.sandbox.journal.counters();
    expect(after.total - countersBefore.total).toBe(1);
    expect((after.byRoute['POST /beta/$batch'] ?? 0) - (countersBefore.byRoute['POST /beta/$batch'] ?? 0)).toBe(1);
    expect(after.batchItems.total - countersBefore.batchItems.total).toBe(3);
    expect((after.batchItems.byRoute['PATCH /beta/users/{userId}/authentication/requirements'] ?? 0) - (countersBefore.batchItems.byRoute['PATCH /beta/users/{userId}/authentication/requirements'] ?? 0)).toBe(2);
  });

  it('refuses nested batches and absolute item urls item by item', async () => {
    const answer = (await rawGraph(t, '/v1.0/$batch', {
      body: {
        requests: [
          { id: '1', method: 'POST', url: '/$batch', headers: { 'Content-Type': 'application/json' }, body: { requests: [] } },
          { id: '2', method: 'GET', url: 'https://graph.microsoft.com/v1.0/organization' },
          { id: '3', method: 'GET', url: '/organization' },
        ],
      },
    })).json as BatchAnswer;
    expect(Object.fromEntries(answer.responses.map((item) => [item.id, item.status]))).toEqual({ '1': 400, '2': 400, '3': 200 });
  });
});

describe('$batch under a write quota', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 80, seed: 6, faults: { latency: false }, quota: { appWrites: 3, timeScale: 300 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('meters each item on its own: throttled items get 429 with their own Retry-After while the others succeed', async () => {
    const users = usersOf(t.sandbox.manifest, 'ready', 5);
    // group member adds: directory writes, whose answers carry the identity throttling headers
    const answer = await rawGraph(t, '/v1.0/$batch', {
      body: {
        requests: [
          ...users.map((user, index) => ({
            id: `w${index}`,
            method: 'POST',
            url: `/groups/${t.sandbox.manifest.groups.mfaRequired}/members/$ref`,
            headers: { 'Content-Type': 'application/json' },
            body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` },
          })),
          { id: 'read', method: 'GET', url: '/organization' },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ms-resource-unit')).toBeNull();
    const items = (answer.json as BatchAnswer).responses;
    const throttled = items.filter((item) => item.status === 429);
    expect(items.filter((item) => item.status === 204)).toHaveLength(3);
    expect(throttled).toHaveLength(2);
    expect(items.find((item) => item.id === 'read')?.status).toBe(200);
    for (const item of throttled) {
      expect(item.headers).toMatchObject({
        'Content-Type': 'application/json',
        'x-ms-throttle-scope': `Tenant_Application/Write/${t.sandbox.clientId}/${t.sandbox.tenantId}`,
        'x-ms-throttle-information': 'WriteLimitExceeded',
      });
      expect(item.headers['Retry-After']).toMatch(/^\d+(\.\d{1,3})?$/);
      expect(Number(item.headers['Retry-After'])).toBeGreaterThan(0);
      expect(Number(item.headers['Retry-After'])).toBeLessThanOrEqual(1.5);
      expect(item.body).toMatchObject({ error: { code: 'TooManyRequests', message: 'Please retry again later.' } });
    }
    const stats = t.sandbox.traffic.stats();
    expect(stats.throttled).toMatchObject({ batchItems: 2, requests: 0 });
  });

  it('lets a client finish every write by sending the throttled items again after the largest Retry-After', async () => {
    t.sandbox.traffic.setQuota({ reset: true });
    const users = usersOf(t.sandbox.manifest, 'ready', 11).slice(5);
    const request = (user: { id: string }) => ({
      id: user.id,
      method: 'PATCH',
      url: `/users/${user.id}/authentication/requirements`,
      headers: { 'Content-Type': 'application/json' },
      body: { perUserMfaState: 'enforced' },
    });
    let pending = users;
    for (let round = 0; pending.length > 0; round += 1) {
      expect(round).toBeLessThan(5);
      const answer = (await rawGraph(t, '/beta/$batch', { body: { requests: pending.map(request) } })).json as BatchAnswer;
      const throttled = answer.responses.filter((item) => item.status === 429);
      expect(answer.responses.filter((item) => item.status !== 429).every((item) => item.status === 204)).toBe(true);
      const wait = Math.max(0, ...throttled.map((item) => Number(item.headers['Retry-After'])));
      pending = users.filter((user) => throttled.some((item) => item.id === user.id));
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    for (const user of users) expect(t.sandbox.state.perUserMfaState(user.id)).toBe('enforced');
    const batched = t.sandbox.journal.entries().filter((entry) => entry.viaBatch === true && entry.status === 204);
    expect(batched.length).toBe(3 + users.length);
  });
});
