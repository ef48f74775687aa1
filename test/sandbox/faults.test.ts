import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent, fetch } from 'undici';
import { createGraphGateway, type GatewayConfig } from '../../shared/adapters/graph/graphGateway.js';
import { rawGraph, rawGraphText } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Page {
  value?: unknown;
  '@odata.nextLink'?: string;
}

const gatewayConfig: GatewayConfig = {
  graphConcurrency: 4,
  graphMaxAttempts: 3,
  graphRetryBudget: 100,
  graphTimeoutSeconds: 1,
  graphMaxRetryAfterSeconds: 30,
  graphUseBatch: false,
  graphWritesPerSecond: 1000,
  graphWriteQuota: 100_000,
};

describe('fault injection', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 4, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });
  const addFault = async (rule: Record<string, unknown>): Promise<{ id: string }> => {
    const answer = await t.raw('/_sandbox/faults', { method: 'POST', body: JSON.stringify(rule) });
    expect(answer.status).toBe(201);
    return answer.json as { id: string };
  };
  const clear = () => t.raw('/_sandbox/faults', { method: 'DELETE' });

  it('answers a 503 burst for the next N matching requests, with Retry-After when asked, and leaves other operations alone', async () => {
    await addFault({ kind: 'unavailable', operations: ['users.list'], count: 2, retryAfterSeconds: 2 });
    for (let i = 0; i < 2; i += 1) {
      const answer = await rawGraph(t, '/v1.0/users?$top=1');
      expect([answer.status, answer.headers.get('retry-after')]).toEqual([503, '2']);
      expect(answer.json).toMatchObject({ error: { code: 'serviceNotAvailable', innerError: { 'request-id': answer.headers.get('request-id') } } });
      expect((await rawGraph(t, '/v1.0/organization')).status).toBe(200);
    }
    expect((await rawGraph(t, '/v1.0/users?$top=1')).status).toBe(200);
    expect(((await t.raw('/_sandbox/faults')).json as { faults: unknown[] }).faults).toEqual([]);
  });

  it('answers 503 and 504 without Retry-After, through the Graph client too', async () => {
    await addFault({ kind: 'unavailable', status: 504, operations: ['organization.read'], count: 1 });
    const answer = await rawGraph(t, '/v1.0/organization');
    expect([answer.status, answer.headers.get('retry-after'), (answer.json as { error: { code: string } }).error.code]).toEqual([504, null, 'UnknownError']);
    await addFault({ kind: 'unavailable', count: 1 });
    await expect(t.client.api('/organization').get()).rejects.toMatchObject({ statusCode: 503, code: 'serviceNotAvailable' });
    await expect(t.client.api('/organization').get()).resolves.toMatchObject({ value: [expect.any(Object)] });
  });

  it('keeps a fault for a time window', async () => {
    await addFault({ kind: 'unavailable', durationMs: 800, operations: ['organization.read'] });
    expect((await rawGraph(t, '/v1.0/organization')).status).toBe(503);
    expect((await rawGraph(t, '/v1.0/organization')).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 850));
    expect((await rawGraph(t, '/v1.0/organization')).status).toBe(200);
  });

  it('targets users by object id or UPN', async () => {
    const [first, second] = t.sandbox.manifest.users;
    await addFault({ kind: 'unavailable', userIds: [first?.id], operations: ['users.read', 'phoneMethods.list'] });
    expect((await rawGraph(t, `/v1.0/users/${first?.id}`)).status).toBe(503);
    expect((await rawGraph(t, `/v1.0/users/${encodeURIComponent(first?.upn ?? '')}`)).status).toBe(503);
    expect((await rawGraph(t, `/v1.0/users/${first?.id}/authentication/phoneMethods`)).status).toBe(503);
    expect((await rawGraph(t, `/v1.0/users/${second?.id}`)).status).toBe(200);
    expect((await rawGraph(t, `/v1.0/users/${first?.id}/authentication/methods`)).status).toBe(200);
    await clear();
  });

  it('answers 429 below the quota with probability p, seeded, with Retry-After 1 or none', async () => {
    const run = async (seed: number, retryAfterSeconds?: number | null): Promise<{ statuses: number[]; retryAfter: (string | null)[] }> => {
      const sandbox = await startTestSandbox({ users: 20, seed: 9, faults: { seed, latency: false, rules: [{ kind: 'throttle', probability: 0.3, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) }] } });
      try {
        const answers = [];
        for (let i = 0; i < 40; i += 1) answers.push(await rawGraph(sandbox, '/v1.0/organization'));
        expect(sandbox.sandbox.traffic.stats().injected.throttled429).toBe(answers.filter((answer) => answer.status === 429).length);
        return { statuses: answers.map((answer) => answer.status), retryAfter: answers.filter((answer) => answer.status === 429).map((answer) => answer.headers.get('retry-after')) };
      } finally {
        await sandbox.close();
      }
    };
    const first = await run(11);
    const again = await run(11);
    const other = await run(12, null);
    expect(again.statuses).toEqual(first.statuses);
    expect(other.statuses).not.toEqual(first.statuses);
    const throttled = first.statuses.filter((status) => status === 429).length;
    expect(throttled).toBeGreaterThanOrEqual(4);
    expect(throttled).toBeLessThanOrEqual(22);
    expect(new Set(first.retryAfter)).toEqual(new Set(['1']));
    expect(new Set(other.retryAfter)).toEqual(new Set([null]));
  });

  it('breaks answers: invalid JSON, a missing field, a field of the wrong type', async () => {
    const user = t.sandbox.manifest.users[0];
    await addFault({ kind: 'malformed', shape: 'invalidJson', operations: ['users.list'], count: 1 });
    const invalid = await rawGraphText(t, '/v1.0/users?$top=2');
    expect(invalid.status).toBe(200);
    expect(invalid.headers.get('content-type')).toBe('application/json');
    expect(() => JSON.parse(invalid.text) as unknown).toThrow();

    await addFault({ kind: 'malformed', shape: 'missingField', operations: ['users.list', 'users.read'], count: 2 });
    const noValue = (await rawGraph(t, '/v1.0/users?$top=2')).json as Page;
    expect(noValue).not.toHaveProperty('value');
    const noId = (await rawGraph(t, `/v1.0/users/${user?.id}`)).json as Record<string, unknown>;
    expect(noId).not.toHaveProperty('id');
    expect(noId.userPrincipalName).toBe(user?.upn);

    await addFault({ kind: 'malformed', shape: 'wrongType', operations: ['users.list', 'requirements.read'], count: 2 });
    expect(typeof ((await rawGraph(t, '/v1.0/users?$top=2')).json as Page).value).toBe('number');
    const requirements = (await rawGraph(t, `/beta/users/${user?.id}/authentication/requirements`)).json as Record<string, unknown>;
    expect(typeof requirements.perUserMfaState).toBe('number');
    expect(((await rawGraph(t, '/v1.0/users?$top=2')).json as { value: unknown[] }).value).toHaveLength(2);

    const stats = t.sandbox.traffic.stats();
    expect(stats.injected.malformed).toMatchObject({ invalidJson: 1, missingField: 2, wrongType: 2 });
  });

  it('leaves a write without a body alone: a malformed fault waits for an answer it can break', async () => {
    const user = t.sandbox.manifest.users.find((candidate) => candidate.category === 'ready');
    await addFault({ kind: 'malformed', shape: 'invalidJson', count: 1 });
    const patched = await rawGraph(t, `/beta/users/${user?.id}/authentication/requirements`, { method: 'PATCH', body: { perUserMfaState: 'disabled' } });
    expect(patched.status).toBe(204);
    expect(((await t.raw('/_sandbox/faults')).json as { faults: { remaining: number }[] }).faults).toMatchObject([{ remaining: 1 }]);
    await clear();
  });

  it('sends an empty page that still has a next link, which the product gateway pages through without losing a user', async () => {
    await addFault({ kind: 'malformed', shape: 'emptyPageWithNextLink', operations: ['users.list'], count: 3 });
    const empty = (await rawGraph(t, '/v1.0/users?$select=id&$top=25')).json as Page;
    expect(empty.value).toEqual([]);
    expect(empty['@odata.nextLink']).toBe(`${t.sandbox.origin}/v1.0/users?$select=id&$top=25`);
    const gateway = createGraphGateway(t.connection, gatewayConfig);
    const ids: string[] = [];
    for await (const page of gateway.pages({ operation: 'users.list', method: 'GET', version: 'v1.0', path: '/users?$select=id&$top=25', permission: 'User.Read.All' })) {
      ids.push(...(page as { id: string }[]).map((entry) => entry.id));
    }
    expect(ids).toEqual(t.sandbox.manifest.users.map((entry) => entry.id));
    expect(t.sandbox.traffic.stats().injected.malformed.emptyPageWithNextLink).toBe(3);
  });

  it('hangs the next N requests: the client gives up on its timeout, later requests are answered', async () => {
    await addFault({ kind: 'hang', operations: ['organization.read'], count: 1 });
    // never answered: only the client's own timeout ends it
    await expect(t.client.api('/organization').option('signal', AbortSignal.timeout(300)).get()).rejects.toThrow();
    await expect(t.client.api('/organization').get()).resolves.toMatchObject({ value: [expect.any(Object)] });

    await addFault({ kind: 'hang', operations: ['organization.read'], count: 1 });
    const gateway = createGraphGateway(t.connection, gatewayConfig);
    const answer = await gateway.send({ operation: 'organization.read', method: 'GET', version: 'v1.0', path: '/organization', permission: 'Organization.Read.All' });
    expect(answer.status).toBe(200);
    expect(gateway.stats.retries).toBe(1);
    expect(t.sandbox.traffic.stats().injected.hung).toBe(2);
    expect(t.sandbox.journal.counters().byStatus['0']).toBe(2);
  });

  it('loses the answer of a write it applied: the tenant and the journal have the write, the client no answer', async () => {
    const user = t.sandbox.manifest.users.find((candidate) => candidate.category === 'ready' && t.sandbox.state.perUserMfaState(candidate.id) === 'disabled');
    const userId = user?.id ?? '';
    await addFault({ kind: 'loseAnswer', operations: ['requirements.update'], userIds: [userId], count: 1 });
    const lostBefore = t.sandbox.traffic.stats().injected.answersLost;
    const journalBefore = t.sandbox.journal.entries().length;
    await expect(
      t.client.api(`/users/${userId}/authentication/requirements`).version('beta').option('signal', AbortSignal.timeout(300)).patch({ perUserMfaState: 'enforced' }),
    ).rejects.toThrow();
    expect(t.sandbox.state.perUserMfaState(userId)).toBe('enforced');
    const landed = t.sandbox.journal.entries().slice(journalBefore).filter((entry) => entry.operation === 'requirements.update' && entry.userId === userId);
    expect(landed.map((entry) => entry.status)).toEqual([204]);
    expect(t.sandbox.traffic.stats().injected.answersLost - lostBefore).toBe(1);
    // the rule is spent: the next write is answered
    expect((await rawGraph(t, `/beta/users/${userId}/authentication/requirements`, { method: 'PATCH', body: { perUserMfaState: 'disabled' } })).status).toBe(204);
  });

  it('adds latency per rule, and a base latency with its own range for writes', async () => {
    const user = t.sandbox.manifest.users.find((candidate) => candidate.category === 'ready');
    await addFault({ kind: 'latency', minMs: 150, maxMs: 150, operations: ['users.read'], count: 1 });
    let started = performance.now();
    await rawGraph(t, `/v1.0/users/${user?.id}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(t.sandbox.traffic.stats().injected.slowed).toBe(1);
    await rawGraph(t, `/v1.0/users/${user?.id}`);
    expect(t.sandbox.traffic.stats().injected.slowed).toBe(1);

    const latency = await t.raw('/_sandbox/latency', { method: 'POST', body: JSON.stringify({ minMs: 0, maxMs: 0, writes: { minMs: 120, maxMs: 130 } }) });
    expect(latency.json).toEqual({ minMs: 0, maxMs: 0, writes: { minMs: 120, maxMs: 130 } });
    started = performance.now();
    expect((await rawGraph(t, `/beta/users/${user?.id}/authentication/requirements`, { method: 'PATCH', body: { perUserMfaState: 'disabled' } })).status).toBe(204);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    await t.raw('/_sandbox/latency', { method: 'POST', body: JSON.stringify({ off: true }) });
  });

  it('injects into batch items one by one, and into the envelope when aimed at `batch`', async () => {
    const users = t.sandbox.manifest.users.filter((candidate) => candidate.category === 'ready').slice(0, 3);
    await addFault({ kind: 'unavailable', operations: ['requirements.update'], count: 1, retryAfterSeconds: 1 });
    const requests = users.map((entry, index) => ({
      id: String(index),
      method: 'PATCH',
      url: `/users/${entry.id}/authentication/requirements`,
      headers: { 'Content-Type': 'application/json' },
      body: { perUserMfaState: 'disabled' },
    }));
    const answer = (await rawGraph(t, '/beta/$batch', { body: { requests } })).json as { responses: { status: number; headers: Record<string, string> }[] };
    expect(answer.responses.map((item) => item.status).sort()).toEqual([204, 204, 503]);
    expect(answer.responses.find((item) => item.status === 503)?.headers['Retry-After']).toBe('1');

    await addFault({ kind: 'throttle', operations: ['batch.send'], count: 1 });
    const envelope = await rawGraph(t, '/beta/$batch', { body: { requests } });
    expect([envelope.status, envelope.headers.get('retry-after')]).toEqual([429, '1']);
    expect(t.sandbox.traffic.stats().throttled.requests).toBeGreaterThanOrEqual(1);

    await addFault({ kind: 'hang', operations: ['requirements.read'], count: 1 });
    await expect(
      t.client
        .api('/$batch')
        .version('beta')
        .option('signal', AbortSignal.timeout(300))
        .post({ requests: [{ id: '1', method: 'GET', url: `/users/${users[0]?.id}/authentication/requirements` }] }),
    ).rejects.toThrow();
  });

  it('manages faults over the admin API only, validating every field', async () => {
    const bad = await t.raw('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ kind: 'unavailable', status: 500 }) });
    expect([bad.status, (bad.json as { error: { message: string } }).error.message]).toEqual([400, "fault: expected 'status' to be 503 or 504"]);
    expect((await t.raw('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ kind: 'explode' }) })).status).toBe(400);
    expect((await t.raw('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ kind: 'hang', probability: 2 }) })).status).toBe(400);
    expect((await t.raw('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ kind: 'hang', shape: 'invalidJson' }) })).status).toBe(400);
    const added = await addFault({ kind: 'throttle', probability: 0.5, operations: ['phoneMethods.create'] });
    const listed = (await t.raw('/_sandbox/faults')).json as { seed: number; faults: { id: string; rule: unknown; remaining: null }[] };
    expect(listed).toMatchObject({ seed: 4, faults: [{ id: added.id, rule: { kind: 'throttle', probability: 0.5, retryAfterSeconds: 1, operations: ['phoneMethods.create'] }, remaining: null }] });
    expect((await t.raw(`/_sandbox/faults/${added.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await t.raw(`/_sandbox/faults/${added.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await rawGraph(t, '/v1.0/_sandbox/faults')).status).toBe(400);
  });
});

describe('stop() with a hung connection', () => {
  it('closes connections the sandbox never answered and returns promptly', async () => {
    const t = await startTestSandbox({ users: 10, faults: { latency: false, rules: [{ kind: 'hang', operations: ['organization.read'] }] } });
    const agent = new Agent({ connect: { ca: t.sandbox.caPem } });
    try {
      const token = await t.token();
      const pending = fetch(`${t.sandbox.origin}/v1.0/organization`, { headers: { Authorization: `Bearer ${token}` }, dispatcher: agent }).then(
        (response) => response.status,
        (error: unknown) => (error instanceof Error ? error.name : 'error'),
      );
      for (let i = 0; i < 100 && t.sandbox.traffic.stats().injected.hung === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(t.sandbox.traffic.stats().injected.hung).toBe(1);
      // stop() closes the hung connection instead of waiting for it (if it waited, this would never resolve)
      await t.sandbox.stop();
      expect(await pending).toBe('TypeError');
    } finally {
      await t.close();
      await agent.close();
    }
  });
});
