import { describe, expect, it } from '@jest/globals';
import { enforce, expectOneRetryLayer, failureOf, readOrganization, readUser, userPool } from './helpers/graphCalls.js';
import { landedPerUser, requestIdPattern, useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 240, seed: 5 });
const pool = userPool(() => harness().users('ready'));
const freshUsers = pool.fresh;
const someUsers = pool.some;

describe('graphGateway: batching and concurrency', () => {
  it('groups concurrent calls into $batch requests of at most 20, one item per call, and every write lands once', async () => {
    const gateway = harness().gateway({ graphConcurrency: 2 });
    const users = freshUsers(25);
    const since = harness().mark();
    const answers = await Promise.all([...users.map((id) => gateway.send(enforce(id))), ...users.map((id) => gateway.send(readUser(id)))]);
    const seen = since();

    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(25).fill(200), ...Array(25).fill(204)]);
    expect(seen.envelopes).toBeGreaterThanOrEqual(3); // 50 calls, at most 20 per batch
    expect(gateway.stats.batches).toBe(seen.envelopes);
    expect(gateway.stats.batchedAttempts).toBe(seen.batchItems);
    expect(seen.journal.every((entry) => entry.viaBatch === true)).toBe(true);
    expect([...landedPerUser(seen.journal, 'requirements.update').values()]).toEqual(Array(25).fill(1));
    expectOneRetryLayer(gateway, seen.operations);
    for (const id of users) expect(harness().sandbox.state.perUserMfaState(id)).toBe('enforced');
  });

  it('sends a call that would travel alone as a plain request, and never batches when MFA_GRAPH_USE_BATCH is false', async () => {
    const alone = harness().gateway();
    let since = harness().mark();
    await alone.send(readOrganization);
    expect(since()).toMatchObject({ operations: 1, envelopes: 0 });

    const unbatched = harness().gateway({ graphUseBatch: false });
    since = harness().mark();
    await Promise.all(someUsers(10).map((id) => unbatched.send(readUser(id))));
    expect(since()).toMatchObject({ operations: 10, envelopes: 0, batchItems: 0 });
  });
});

describe('graphGateway: throttling', () => {
  it('rides out a 429 storm (quota and "under load" 429s): every write lands exactly once, no call is retried twice over', async () => {
    const { sandbox } = harness();
    // 30 writes, refilled at 10 per second; the pacer starts far too fast; one read in three is refused besides
    sandbox.traffic.setQuota({ appWrites: 30, appWriteWindowSeconds: 150, timeScale: 50, reset: true });
    const underLoad = harness().addFault({ kind: 'throttle', operations: ['users.read'], probability: 0.3, retryAfterSeconds: 0.05 });
    try {
      const gateway = harness().gateway({ graphWritesPerSecond: 200, graphMaxAttempts: 10 });
      const users = freshUsers(70);
      const since = harness().mark();
      await Promise.all(users.flatMap((id) => [gateway.send(enforce(id)), gateway.send(readUser(id))]));
      const seen = since();

      expect(seen.throttled).toBeGreaterThan(0);
      expect(gateway.stats.throttled).toBe(seen.throttled);
      expect(gateway.stats.failures).toBe(0);
      const landed = landedPerUser(seen.journal, 'requirements.update');
      expect(users.filter((id) => landed.get(id) !== 1)).toEqual([]);
      expect(seen.duplicateWrites).toBe(0);
      // every 429'd write is in the journal too: per user, the attempts the sandbox saw are the attempts the gateway made
      expect(seen.journal.filter((entry) => entry.status === 429).length + users.length).toBe(seen.journal.length);
      expectOneRetryLayer(gateway, seen.operations);
    } finally {
      sandbox.traffic.removeFault(underLoad);
      sandbox.traffic.setQuota({ appWrites: 3_000, appWriteWindowSeconds: 150, timeScale: 1, reset: true });
    }
  });

  it('retries the items of a $batch answered 429 inside a 200 envelope, after their own Retry-After', async () => {
    const gateway = harness().gateway({ graphConcurrency: 1 });
    const users = freshUsers(20);
    harness().addFault({ kind: 'throttle', operations: ['requirements.update'], count: 6, retryAfterSeconds: 0.2 });
    const since = harness().mark();
    await Promise.all(users.map((id) => gateway.send(enforce(id))));
    const seen = since();

    expect(seen.throttled).toBe(6);
    expect(seen.throttledBatchItems).toBeGreaterThanOrEqual(5); // the pacer may let the very first write go alone
    expect(gateway.stats).toMatchObject({ throttled: 6, retries: 6, failures: 0 });
    expect([...landedPerUser(seen.journal, 'requirements.update').values()]).toEqual(Array(20).fill(1));
    expectOneRetryLayer(gateway, seen.operations);
  });

  it('fails a call whose Retry-After is longer than MFA_GRAPH_MAX_RETRY_AFTER_SECONDS at once, naming the setting', async () => {
    const gateway = harness().gateway({ graphMaxRetryAfterSeconds: 30 });
    harness().addFault({ kind: 'throttle', operations: ['organization.read'], count: 1, retryAfterSeconds: 600 });
    const error = await failureOf(gateway.send(readOrganization));
    expect(error).toMatchObject({ code: 'GRAPH_THROTTLED', httpStatus: 429, graphCode: 'TooManyRequests', retryable: true });
    expect(error.requestId).toMatch(requestIdPattern);
    expect(error.message).toContain('MFA_GRAPH_MAX_RETRY_AFTER_SECONDS');
    expect(gateway.stats).toMatchObject({ attempts: 1, retries: 0 });
  });

  it('stops a storm with GRAPH_RETRY_BUDGET_EXHAUSTED once the run spent MFA_GRAPH_RETRY_BUDGET', async () => {
    const gateway = harness().gateway({ graphRetryBudget: 4, graphMaxAttempts: 10, graphUseBatch: false });
    const storm = harness().addFault({ kind: 'unavailable', status: 503, operations: ['users.read'], retryAfterSeconds: 0.05 });
    try {
      const since = harness().mark();
      const errors = await Promise.all(someUsers(5).map((id) => failureOf(gateway.send(readUser(id)))));
      const seen = since();

      expect(errors.map((error) => error.code)).toEqual(Array(5).fill('GRAPH_RETRY_BUDGET_EXHAUSTED'));
      expect(errors.every((error) => error.httpStatus === 503 && requestIdPattern.test(error.requestId ?? ''))).toBe(true);
      expect(errors[0]?.message).toContain('MFA_GRAPH_RETRY_BUDGET');
      expect(gateway.stats).toMatchObject({ calls: 5, retries: 4, failures: 5, retryBudgetLeft: 0 });
      expect(seen.operations).toBe(5 + 4);
    } finally {
      harness().sandbox.traffic.removeFault(storm);
    }
  });
});

