import { describe, expect, it } from '@jest/globals';
import type { GraphCall } from '../../../shared/adapters/graph/graphGateway.js';
import { createTemporaryAccessPass } from '../../../shared/adapters/graph/createTemporaryAccessPass.js';
import { addGroupMember } from '../../../shared/adapters/graph/groupMembership.js';
import { readJourneyMemberships } from '../../../shared/adapters/graph/readJourneyMemberships.js';
import { sendNotice } from '../../../shared/adapters/graph/sendNotice.js';
import { readMethods } from '../../../shared/adapters/graph/userAuthentication.js';
import { defaultAppRoles } from '../../../sandbox/auth/graphPermissions.js';
import { enforce, expectOneRetryLayer, failureOf, readOrganization, readUser, userPool } from './helpers/graphCalls.js';
import { landedPerUser, requestIdPattern, useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 120, seed: 5 });
const pool = userPool(() => harness().users('ready'));
const freshUsers = pool.fresh;
const someUsers = pool.some;

describe('graphGateway: transient failures', () => {
  it('survives a 503 burst with Retry-After and a 504 burst without it', async () => {
    const gateway = harness().gateway({ graphUseBatch: false });
    harness().addFault({ kind: 'unavailable', status: 503, operations: ['organization.read'], count: 3, retryAfterSeconds: 0.1 });
    let since = harness().mark();
    await expect(gateway.send(readOrganization)).resolves.toMatchObject({ status: 200 });
    expect(since().operations).toBe(4);

    harness().addFault({ kind: 'unavailable', status: 504, operations: ['organization.read'], count: 2, retryAfterSeconds: null });
    since = harness().mark();
    await expect(gateway.send(readOrganization)).resolves.toMatchObject({ status: 200 });
    expect(since().operations).toBe(3);
    expect(gateway.stats).toMatchObject({ calls: 2, retries: 5, failures: 0 });
  });

  it('survives a 503 burst inside $batch answers: the failed items alone are sent again', async () => {
    const gateway = harness().gateway({ graphConcurrency: 1 });
    const users = freshUsers(12);
    harness().addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], count: 4, retryAfterSeconds: 0.1 });
    harness().addFault({ kind: 'unavailable', status: 504, operations: ['requirements.update'], count: 2, retryAfterSeconds: null });
    const since = harness().mark();
    await Promise.all(users.map((id) => gateway.send(enforce(id))));
    const seen = since();
    expect([...landedPerUser(seen.journal, 'requirements.update').values()]).toEqual(Array(12).fill(1));
    expect(gateway.stats).toMatchObject({ retries: 6, failures: 0 });
    expectOneRetryLayer(gateway, seen.operations);
  });

  it('ends a hung request with the client timeout and retries it, alone or as a whole $batch', async () => {
    const hung = () => harness().sandbox.traffic.stats().injected.hung;
    // each gateway fetches its token first, so the timed exchanges are Graph calls only
    const alone = harness().gateway({ graphTimeoutSeconds: 1, graphUseBatch: false });
    await alone.send(readOrganization);
    let hungBefore = hung();
    harness().addFault({ kind: 'hang', operations: ['organization.read'], count: 1 });
    await expect(alone.send(readOrganization)).resolves.toMatchObject({ status: 200 });
    expect(hung() - hungBefore).toBe(1);
    expect(alone.stats.retries).toBeGreaterThanOrEqual(1); // more only if a loaded machine also misses the second second
    expect(alone.stats).toMatchObject({ calls: 2, attempts: 2 + alone.stats.retries, failures: 0 });

    const batched = harness().gateway({ graphTimeoutSeconds: 1 });
    await batched.send(readOrganization);
    const users = someUsers(3);
    hungBefore = hung();
    harness().addFault({ kind: 'hang', operations: ['users.read'], userIds: [users[0] ?? ''], count: 1 });
    const answers = await Promise.all(users.map((id) => batched.send(readUser(id))));
    expect(answers.map((answer) => (answer.body as { id: string }).id)).toEqual(users);
    expect(hung() - hungBefore).toBe(1);
    expect(batched.stats.retries).toBeGreaterThanOrEqual(3); // the whole batch timed out: each of its items retries
    expect(batched.stats).toMatchObject({ calls: 4, attempts: 4 + batched.stats.retries, failures: 0 });
  });

  it('never sends again a write whose answer was lost (alone, or in a $batch left unanswered): GRAPH_TIMEOUT, to be read back', async () => {
    const [alone, ...inBatch] = freshUsers(4) as [string, string, string, string];
    const lostBefore = harness().sandbox.traffic.stats().injected.answersLost;
    const since = harness().mark();
    const plain = harness().gateway({ graphTimeoutSeconds: 1, graphUseBatch: false });
    harness().addFault({ kind: 'loseAnswer', operations: ['requirements.update'], userIds: [alone], count: 1 });
    const error = await failureOf(plain.send(enforce(alone)));
    expect(error).toMatchObject({ code: 'GRAPH_TIMEOUT', retryable: true });
    expect(error.message).toMatch(/^requirements\.update: no answer within MFA_GRAPH_TIMEOUT_SECONDS \(client-request-id [0-9a-f-]{36}\); the write may have landed, so it is not sent again before Graph is read back$/);
    expect(plain.stats).toMatchObject({ calls: 1, attempts: 1, retries: 0, failures: 1 });

    // one item's lost answer leaves the whole $batch unanswered, after all three writes were applied
    const batched = harness().gateway({ graphTimeoutSeconds: 1, graphConcurrency: 1 });
    harness().addFault({ kind: 'loseAnswer', operations: ['requirements.update'], userIds: [inBatch[0]], count: 1 });
    const outcomes = await Promise.allSettled(inBatch.map((id) => batched.send(enforce(id))));
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'answered'))).toEqual(['GRAPH_TIMEOUT', 'GRAPH_TIMEOUT', 'GRAPH_TIMEOUT']);
    expect(batched.stats).toMatchObject({ batches: 1, retries: 0 });

    const seen = since();
    // each write reached Graph once and landed: nothing was sent blind a second time
    expect(Object.fromEntries(landedPerUser(seen.journal, 'requirements.update'))).toEqual(Object.fromEntries([alone, ...inBatch].map((id) => [id, 1])));
    expect(seen.journal.filter((entry) => entry.operation === 'requirements.update')).toHaveLength(4);
    for (const id of [alone, ...inBatch]) expect(harness().sandbox.state.perUserMfaState(id)).toBe('enforced');
    expect(harness().sandbox.traffic.stats().injected.answersLost - lostBefore).toBe(2);

    // a read whose answer was lost is still retried: reading twice changes nothing; so is a POST that only reads
    harness().addFault({ kind: 'loseAnswer', operations: ['organization.read'], count: 1 });
    await expect(plain.send(readOrganization)).resolves.toMatchObject({ status: 200 });
    expect(plain.stats.retries).toBe(1);
    harness().addFault({ kind: 'loseAnswer', operations: ['users.checkMemberGroups'], userIds: [alone], count: 1 });
    await expect(readJourneyMemberships(plain, alone, [harness().manifest.groups.pilot])).resolves.toEqual(expect.any(Set));
    expect(plain.stats.retries).toBe(2);
  });

  it('nor a notice mail, a Temporary Access Pass or a group add whose answer was lost: each reaches Graph once', async () => {
    const [sender, passUser, member] = freshUsers(3) as [string, string, string];
    const upnOf = (id: string) => harness().manifest.users.find((user) => user.id === id)?.upn ?? id;
    const gateway = harness().gateway({ graphTimeoutSeconds: 1, graphUseBatch: false });
    const since = harness().mark();
    harness().addFault({ kind: 'loseAnswer', operations: ['mail.send'], userIds: [sender], count: 1 });
    harness().addFault({ kind: 'loseAnswer', operations: ['temporaryAccessPassMethods.create'], userIds: [passUser], count: 1 });
    harness().addFault({ kind: 'loseAnswer', operations: ['groups.addMember'], count: 1 });
    const outcomes = await Promise.allSettled([
      sendNotice(gateway, { mailbox: upnOf(sender), recipientAddress: upnOf(member), enforceFrom: '2026-12-24T00:00:00Z' }),
      createTemporaryAccessPass(gateway, passUser),
      addGroupMember(gateway, harness().manifest.groups.campaign, member),
    ]);
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as { code: string }).code : 'answered'))).toEqual(['GRAPH_TIMEOUT', 'GRAPH_TIMEOUT', 'GRAPH_TIMEOUT']);
    const sent = since().journal.map((entry) => `${entry.operation} ${entry.status}`).sort();
    expect(sent).toEqual(['groups.addMember 204', 'mail.send 202', 'temporaryAccessPassMethods.create 201']);
    expect(gateway.stats.retries).toBe(0);
  });

  it('gives up after MFA_GRAPH_MAX_ATTEMPTS with GRAPH_TIMEOUT, naming the client-request-id Graph never answered', async () => {
    const gateway = harness().gateway({ graphTimeoutSeconds: 1, graphMaxAttempts: 2, graphUseBatch: false });
    harness().addFault({ kind: 'hang', operations: ['organization.read'], count: 2 });
    const error = await failureOf(gateway.send(readOrganization));
    expect(error).toMatchObject({ code: 'GRAPH_TIMEOUT', httpStatus: undefined, requestId: undefined, retryable: true });
    expect(error.message).toMatch(/MFA_GRAPH_TIMEOUT_SECONDS \(client-request-id [0-9a-f-]{36}\) \(after 2 attempts, MFA_GRAPH_MAX_ATTEMPTS\)$/);
  });
});

describe('graphGateway: failures an operator can act on', () => {
  it('surfaces a body that is not JSON as GRAPH_MALFORMED_RESPONSE with the request-id, alone and inside a $batch', async () => {
    const [alone, inBatch, other] = someUsers(3) as [string, string, string];
    const fault = harness().addFault({ kind: 'malformed', shape: 'invalidJson', operations: ['users.read'], userIds: [alone, inBatch] });
    try {
      const plain = harness().gateway({ graphUseBatch: false, graphMaxAttempts: 2 });
      const error = await failureOf(plain.send(readUser(alone)));
      expect(error).toMatchObject({ code: 'GRAPH_MALFORMED_RESPONSE', httpStatus: 200, retryable: true });
      expect(error.requestId).toMatch(requestIdPattern);
      expect(plain.stats.attempts).toBe(2);

      const batched = harness().gateway({ graphMaxAttempts: 2 });
      const [broken, fine] = await Promise.allSettled([batched.send(readUser(inBatch)), batched.send(readUser(other))]);
      expect(fine).toMatchObject({ status: 'fulfilled', value: { status: 200 } });
      expect(broken).toMatchObject({ status: 'rejected', reason: { code: 'GRAPH_MALFORMED_RESPONSE', httpStatus: 200 } });
      expect((broken as PromiseRejectedResult).reason.requestId).toMatch(requestIdPattern);
    } finally {
      harness().sandbox.traffic.removeFault(fault);
    }
  });

  it('takes a write answered 2xx with an unreadable body as done: it landed, so it is not sent again, alone or inside a $batch', async () => {
    const users = freshUsers(3) as [string, string, string];
    const createPhone = (userId: string): GraphCall => ({
      operation: 'phoneMethods.create', method: 'POST', version: 'v1.0', path: `/users/${userId}/authentication/phoneMethods`,
      body: { phoneNumber: '+46 701234567', phoneType: 'mobile' }, permission: 'UserAuthenticationMethod.ReadWrite.All',
    });
    const fault = harness().addFault({ kind: 'malformed', shape: 'invalidJson', operations: ['phoneMethods.create'], userIds: users });
    const brokenBefore = harness().sandbox.traffic.stats().injected.malformed.invalidJson;
    try {
      const since = harness().mark();
      const plain = harness().gateway({ graphUseBatch: false });
      await expect(plain.send(createPhone(users[0]))).resolves.toMatchObject({ status: 201, body: null });
      const batched = harness().gateway();
      const answers = await Promise.all([batched.send(createPhone(users[1])), batched.send(createPhone(users[2]))]);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      const seen = since();
      expect(seen.journal.filter((entry) => entry.operation === 'phoneMethods.create').map((entry) => [entry.userId, entry.status])).toEqual(users.map((user) => [user, 201]));
      expect({ plain: plain.stats.retries, batched: batched.stats.retries, batches: batched.stats.batches }).toEqual({ plain: 0, batched: 0, batches: 1 });
      expect(harness().sandbox.traffic.stats().injected.malformed.invalidJson - brokenBefore).toBe(3); // every answer was unreadable
    } finally {
      harness().sandbox.traffic.removeFault(fault);
    }
  });

  it('surfaces an answer of the wrong shape as GRAPH_MALFORMED_RESPONSE naming the field, with the request-id', async () => {
    const [user] = someUsers(1) as [string];
    harness().addFault({ kind: 'malformed', shape: 'wrongType', operations: ['methods.list'], userIds: [user], count: 1 });
    const error = await failureOf(readMethods(harness().gateway(), user));
    expect(error).toMatchObject({ code: 'GRAPH_MALFORMED_RESPONSE' });
    expect(error.message).toMatch(/^methods\.list: Graph's answer has an unexpected 'value'/);
    expect(error.requestId).toMatch(requestIdPattern);
  });

  it('names the missing application permission on 403, with status and request-id, and does not retry it', async () => {
    const { sandbox } = harness();
    sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'Policy.ReadWrite.AuthenticationMethod'));
    try {
      const gateway = harness().gateway(); // a new credential: the roles are fixed in the token
      const since = harness().mark();
      const error = await failureOf(gateway.send(enforce(freshUsers(1)[0] ?? '')));
      expect(error).toMatchObject({ code: 'GRAPH_PERMISSION_MISSING', httpStatus: 403, graphCode: 'Authorization_RequestDenied', retryable: false });
      expect(error.message).toMatch(/^requirements\.update needs the Graph application permission Policy\.ReadWrite\.AuthenticationMethod \(Graph answered 403 Authorization_RequestDenied/);
      expect(error.requestId).toMatch(requestIdPattern);
      expect(since().operations).toBe(1);
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });

  it('reports a credential Graph never sees as GRAPH_AUTH_FAILED, without retrying', async () => {
    const gateway = harness().gateway({}, { clientSecret: 'not-the-secret' });
    const since = harness().mark();
    const error = await failureOf(gateway.send(readOrganization));
    expect(error).toMatchObject({ code: 'GRAPH_AUTH_FAILED', retryable: false });
    expect(gateway.stats).toMatchObject({ attempts: 1, retries: 0, failures: 1 });
    expect(since().operations).toBe(0);
  });
});
