import { fileURLToPath } from 'node:url';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startQueueWorkers, type QueueWorkers, type QueueWorkersOptions } from '../../queuehost/startQueueWorkers.js';
import type { WorkerEvent } from '../../queuehost/workerMessages.js';
import { startAzurite, type AzuriteHandle } from '../../rehearsal/startAzurite.js';

/**
 * The local queue host against real Azurite (Queue and Table services): worker processes run the fixture
 * recordingHandler.ts, which records each run in a table; the assertions read that table, the queues and the workers'
 * events. Timeouts are shortened through the `queues` overrides (a lease of 2 s instead of the host's 10 minutes).
 */

const handlerModule = fileURLToPath(new URL('./recordingHandler.ts', import.meta.url));
const runsTable = `queuehostruns${process.pid}`;
let azurite: AzuriteHandle;
let service: QueueServiceClient;
let runs: TableClient;
let running: QueueWorkers | undefined;
let queueCounter = 0;

interface Run {
  readonly rowKey: string;
  readonly pid: number;
  readonly functionName: string;
  readonly inputType: string;
  readonly input: string;
  readonly triggerMetadata: string;
  readonly trigger: string;
  readonly startedAt: string;
  readonly endedAt?: string;
}

beforeAll(async () => {
  azurite = await startAzurite({ queue: true });
  service = QueueServiceClient.fromConnectionString(azurite.connectionString);
  runs = TableClient.fromConnectionString(azurite.connectionString, runsTable, { allowInsecureConnection: true });
  await runs.createTable();
}, 60_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await azurite?.stop();
});

async function newQueue(): Promise<QueueClient> {
  queueCounter += 1;
  const queue = service.getQueueClient(`qh${process.pid}-${queueCounter}`);
  await queue.create();
  return queue;
}

async function workers(queue: QueueClient, count: number, queues: QueueWorkersOptions['queues'] = {}): Promise<QueueWorkers> {
  running = await startQueueWorkers({
    connectionString: azurite.connectionString,
    queueName: queue.name,
    handlerModule,
    handlerExport: 'recordingHandler',
    workers: count,
    env: { QUEUEHOST_RUNS_TABLE: runsTable, QUEUEHOST_QUEUE: queue.name },
    // the repository's host.json is tuned for tenant nights (one at a time, a 6-minute visibility timeout): these tests
    // pin the values they are about, so that tuning it never changes what they prove
    queues: { batchSize: 16, newBatchThreshold: 8, visibilityTimeoutMs: 0, maxPollingIntervalMs: 500, messageLeaseMs: 2_000, minimumRenewalIntervalMs: 500, ...queues },
    stopTimeoutMs: 20_000,
  });
  return running;
}

/** The body as the Functions host expects it on the wire: base64 of the text. */
function encoded(body: unknown): string {
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8').toString('base64');
}

async function runsOf(key: string): Promise<Run[]> {
  const found: Run[] = [];
  for await (const entity of runs.listEntities<Run>({ queryOptions: { filter: `PartitionKey eq '${key}'` } })) found.push(entity);
  return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function settledOf(host: QueueWorkers, messageId: string): Extract<WorkerEvent, { type: 'settled' }>[] {
  return host.events.filter((event): event is Extract<WorkerEvent, { type: 'settled' }> => event.type === 'settled' && event.messageId === messageId);
}

const settled = (messageId: string, outcome: string) => (event: WorkerEvent) => event.type === 'settled' && event.messageId === messageId && event.outcome === outcome;

/** Waits until the handler has recorded `count` runs of `key` (a worker killed before its run is recorded proves nothing). */
async function recorded(key: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await runsOf(key)).length < count) {
    if (Date.now() > deadline) throw new Error(`${key}: ${count} runs were not recorded within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function messagesIn(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? -1;
}

describe('startQueueWorkers: a local stand-in for the Functions host queue listener', () => {
  it('runs a message once with the decoded object, a real InvocationContext and the host trigger metadata, then deletes it', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 1);
    const body = { key: `ok-${queue.name}`, behave: 'succeed', tenantId: '00000000-0000-4000-8000-000000000001', night: '2026-12-02', enqueuedAt: '2026-12-02T00:00:00.000Z' };
    const sent = await queue.sendMessage(encoded(body));

    const done = await host.waitFor(settled(sent.messageId, 'deleted'));
    const [run, ...others] = await runsOf(body.key);
    expect(others).toEqual([]);
    expect(run?.inputType).toBe('object');
    expect(JSON.parse(run?.input ?? '')).toEqual(body);
    expect(run?.functionName).toBe('recordingHandler');
    expect(run?.rowKey).toBe(done.type === 'settled' ? done.invocationId : '');
    expect(run?.rowKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(JSON.parse(run?.trigger ?? '')).toEqual(expect.objectContaining({ type: 'queueTrigger', queueName: '%QUEUEHOST_QUEUE%', connection: 'AzureWebJobsStorage' }));

    const metadata = JSON.parse(run?.triggerMetadata ?? '') as Record<string, unknown>;
    expect(metadata).toEqual(expect.objectContaining({ id: sent.messageId, dequeueCount: 1, queueTrigger: JSON.stringify(body), popReceipt: expect.any(String) }));
    for (const name of ['insertionTime', 'expirationTime', 'nextVisibleTime']) expect(metadata[name]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(Date.parse(String(metadata['insertionTime']))).toBe(Math.floor(sent.insertedOn.getTime() / 1000) * 1000);
    expect(Date.parse(String(metadata['expirationTime']))).toBe(Math.floor(sent.expiresOn.getTime() / 1000) * 1000);
    expect(Date.parse(String(metadata['nextVisibleTime']))).toBeGreaterThan(Date.parse(String(metadata['insertionTime'])));
    expect(metadata['sys']).toEqual(expect.objectContaining({ methodName: 'recordingHandler' }));

    expect(await messagesIn(queue)).toBe(0);
    expect(host.logs.map((line) => line.entry)).toContainEqual(expect.objectContaining({ category: 'Function.recordingHandler.User', level: 'information', invocationId: run?.rowKey, message: `recordingHandler ran ${body.key}` }));
  });

  it('decodes as the host and the Node.js worker do: base64 to text, then JSON when it parses; an undecodable body goes to poison unrun', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 1);
    const text = await queue.sendMessage(encoded('plain words, not JSON'));
    const number = await queue.sendMessage(encoded('42'));
    const notBase64 = await queue.sendMessage('{"key":"raw","behave":"succeed"}'); // JSON sent without the base64 the host expects

    await host.waitFor(settled(text.messageId, 'deleted'));
    await host.waitFor(settled(number.messageId, 'deleted'));
    const poisoned = await host.waitFor(settled(notBase64.messageId, 'poisoned'));
    expect(poisoned).toEqual(expect.objectContaining({ invocationId: null, dequeueCount: 1 }));

    const unkeyed = (await runsOf('unkeyed')).filter((run) => [text.messageId, number.messageId].includes((JSON.parse(run.triggerMetadata) as { id: string }).id));
    expect(unkeyed.map((run) => [run.inputType, JSON.parse(run.input)]).sort()).toEqual([['number', 42], ['string', 'plain words, not JSON']]);
    expect(await runsOf('raw')).toEqual([]);
    const [copy, ...more] = (await service.getQueueClient(`${queue.name}-poison`).receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    expect(more).toEqual([]);
    expect(copy?.messageText).toBe('{"key":"raw","behave":"succeed"}');
    expect(host.logs.map((line) => line.entry?.message)).toContainEqual(`Message decoding has failed! Check MessageEncoding settings. MessageId=${notBase64.messageId}.`);
  });

  it('a throwing handler: the message reappears after visibilityTimeout, and on the maxDequeueCount-th failure moves to <queue>-poison as it was', async () => {
    const queue = await newQueue();
    const poison = service.getQueueClient(`${queue.name}-poison`);
    expect(await poison.exists()).toBe(false);
    const host = await workers(queue, 2, { maxDequeueCount: 3, visibilityTimeoutMs: 2_000 });
    const body = encoded({ key: `throw-${queue.name}`, behave: 'throw' });
    const sent = await queue.sendMessage(body);

    await host.waitFor(settled(sent.messageId, 'poisoned'));
    expect(settledOf(host, sent.messageId).map((event) => [event.dequeueCount, event.outcome, event.error])).toEqual([
      [1, 'released', `recordingHandler: throw-${queue.name} told to throw`],
      [2, 'released', `recordingHandler: throw-${queue.name} told to throw`],
      [3, 'poisoned', `recordingHandler: throw-${queue.name} told to throw`],
    ]);
    const attempts = await runsOf(`throw-${queue.name}`);
    expect(attempts.map((run) => (JSON.parse(run.triggerMetadata) as { dequeueCount: number }).dequeueCount)).toEqual([1, 2, 3]);
    // released with a 2 s visibility timeout: no attempt starts within a second of the previous one's failure
    for (let i = 1; i < attempts.length; i += 1) expect(Date.parse(attempts[i]?.startedAt ?? '') - Date.parse(attempts[i - 1]?.endedAt ?? '')).toBeGreaterThanOrEqual(1_000);

    expect(await messagesIn(queue)).toBe(0);
    const copies = (await poison.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    expect(copies.map((copy) => copy.messageText)).toEqual([body]);
    expect(host.logs.map((line) => line.entry?.message)).toContainEqual(`Message has reached MaxDequeueCount of 3. Moving message to queue '${queue.name}-poison'.`);
  });

  it('a worker killed mid-message: the message reappears once its lease runs out and another worker runs it to the end', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 2);
    const key = `killed-${queue.name}`;
    const sent = await queue.sendMessage(encoded({ key, behave: 'holdFirst', holdMs: 60_000 }));

    const first = await host.waitFor((event) => event.type === 'started' && event.messageId === sent.messageId);
    await recorded(key, 1);
    await host.kill(first.worker);
    const redelivered = await host.waitFor(settled(sent.messageId, 'deleted'));
    expect(redelivered.worker).not.toBe(first.worker);
    expect(redelivered).toEqual(expect.objectContaining({ dequeueCount: 2 }));

    const attempts = await runsOf(key);
    expect(attempts.map((run) => [run.pid, run.endedAt === undefined])).toEqual([
      [host.pid(first.worker), true], // killed while running: it never ended
      [host.pid(redelivered.worker), false],
    ]);
    expect(Date.parse(attempts[1]?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(attempts[0]?.startedAt ?? '') + 1_000); // not before the lease ran out
    expect(await messagesIn(queue)).toBe(0);
  });

  it('a message dequeued more than maxDequeueCount times (its attempts died with their workers) goes to poison without running', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 2, { maxDequeueCount: 1 });
    const key = `lost-${queue.name}`;
    const body = encoded({ key, behave: 'holdFirst', holdMs: 60_000 });
    const sent = await queue.sendMessage(body);

    const first = await host.waitFor((event) => event.type === 'started' && event.messageId === sent.messageId);
    await recorded(key, 1);
    await host.kill(first.worker);
    const poisoned = await host.waitFor(settled(sent.messageId, 'poisoned'));
    expect(poisoned).toEqual(expect.objectContaining({ invocationId: null, dequeueCount: 2 }));
    expect((await runsOf(key)).length).toBe(1);
    const copies = (await service.getQueueClient(`${queue.name}-poison`).receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
    expect(copies.map((copy) => copy.messageText)).toEqual([body]);
  });

  it('a run longer than the lease keeps its message invisible (renewed at half the lease): no second worker runs it meanwhile', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 2);
    const key = `long-${queue.name}`;
    const sent = await queue.sendMessage(encoded({ key, behave: 'hold', holdMs: 6_000 })); // three leases of 2 s

    await host.waitFor(settled(sent.messageId, 'deleted'));
    expect(host.events.filter((event) => event.type === 'started' && event.messageId === sent.messageId).length).toBe(1);
    expect(host.events.filter((event) => event.type === 'renewed' && event.messageId === sent.messageId).length).toBeGreaterThanOrEqual(3);
    const attempts = await runsOf(key);
    expect(attempts.length).toBe(1);
    expect(JSON.parse(attempts[0]?.triggerMetadata ?? '')).toEqual(expect.objectContaining({ dequeueCount: 1 }));
    expect(await messagesIn(queue)).toBe(0); // deleted with the receipt of the last renewal
  });

  it('batchSize and newBatchThreshold bound what one worker runs at once', async () => {
    const queue = await newQueue();
    const key = `batch-${queue.name}`;
    // all four on the queue before the worker's first receive, so that it gets a whole batch of two (a receive returns
    // what is visible at that moment: on a loaded machine a worker polling while the messages arrive takes one)
    const sent = await Promise.all([1, 2, 3, 4].map(() => queue.sendMessage(encoded({ key, behave: 'hold', holdMs: 1_000 }))));
    const host = await workers(queue, 1, { batchSize: 2, newBatchThreshold: 0 });

    for (const message of sent) await host.waitFor(settled(message.messageId, 'deleted'));
    const started = sent.map((message) => host.events.findIndex((event) => event.type === 'started' && event.messageId === message.messageId));
    const ended = sent.map((message) => host.events.findIndex((event) => event.type === 'settled' && event.messageId === message.messageId));
    // at most two at a time (a batch of 2), and the next batch only once both of the last one have settled (threshold 0)
    const running = host.events.map((_, at) => started.filter((start, i) => start <= at && (ended[i] ?? -1) > at).length);
    expect(Math.max(...running)).toBe(2);
    const batches = [...started].sort((a, b) => a - b);
    expect(batches[2]).toBeGreaterThan(Math.max(...ended.filter((_, i) => (started[i] ?? 0) <= (batches[1] ?? 0))));
    expect((await runsOf(key)).length).toBe(4);
  });

  it('stop() drains: a running message finishes and is deleted before its worker exits', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 1);
    const sent = await queue.sendMessage(encoded({ key: `drain-${queue.name}`, behave: 'hold', holdMs: 1_500 }));
    await host.waitFor((event) => event.type === 'started' && event.messageId === sent.messageId);
    await host.stop();
    expect(settledOf(host, sent.messageId).map((event) => event.outcome)).toEqual(['deleted']);
    const exiting = host.events.find((event) => event.type === 'exiting');
    expect(exiting?.type === 'exiting' && exiting.maxRssBytes).toBeGreaterThan(10 * 1024 * 1024); // its peak RSS, for the bench
    expect(exiting?.at).toBeGreaterThanOrEqual(settledOf(host, sent.messageId)[0]?.at ?? Infinity); // the last word, after the drain
    expect(await messagesIn(queue)).toBe(0);
  });

  it('functionTimeout: the timed-out invocation fails (released, then poisoned), and its worker process is replaced, as the host restarts its language worker', async () => {
    const queue = await newQueue();
    const host = await workers(queue, 1, { functionTimeoutMs: 1_500, maxDequeueCount: 2 });
    const key = `timeout-${queue.name}`;
    const sent = await queue.sendMessage(encoded({ key, behave: 'hold', holdMs: 60_000 }));

    await host.waitFor(settled(sent.messageId, 'poisoned'), 30_000);
    const attempts = settledOf(host, sent.messageId);
    expect(attempts.map((event) => [event.dequeueCount, event.outcome])).toEqual([[1, 'released'], [2, 'poisoned']]);
    expect(attempts[0]?.error).toMatch(/^Timeout value of 00:00:01 exceeded by function 'Functions\.recordingHandler' \(Id: '[0-9a-f-]{36}'\)\. Initiating cancellation\.$/);
    const count = (type: WorkerEvent['type']) => host.events.filter((event) => event.type === type).length;
    await host.waitFor(() => count('restarting') === 2 && count('listening') === 3); // each timeout replaced the worker
    const pids = (await runsOf(key)).map((run) => run.pid);
    expect(pids.length).toBe(2);
    expect(new Set(pids).size).toBe(2); // the second attempt ran in the replacement process
    expect(pids).not.toContain(host.pid(0)); // and a third process listens now
  });

  it('waits for a queue that does not exist yet (never creating it), and takes its messages once it does', async () => {
    queueCounter += 1;
    const queue = service.getQueueClient(`qh${process.pid}-${queueCounter}`);
    const host = await workers(queue, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // several polls
    expect(await queue.exists()).toBe(false);
    await queue.create();
    const sent = await queue.sendMessage(encoded({ key: `late-${queue.name}`, behave: 'succeed' }));
    await host.waitFor(settled(sent.messageId, 'deleted'));
    expect((await runsOf(`late-${queue.name}`)).length).toBe(1);
  });

  it('refuses to start a worker whose function listens to another queue, or whose export is not a function', async () => {
    const queue = await newQueue();
    const base = { connectionString: azurite.connectionString, queueName: queue.name, handlerModule, workers: 1, env: { QUEUEHOST_RUNS_TABLE: runsTable, QUEUEHOST_QUEUE: 'another-queue' } };
    await expect(startQueueWorkers({ ...base, handlerExport: 'recordingHandler' })).rejects.toThrow(`queue worker 0 did not start: function recordingHandler: listens to queue "another-queue", not "${queue.name}"`);
    await expect(startQueueWorkers({ ...base, handlerExport: 'noSuchExport', env: { ...base.env, QUEUEHOST_QUEUE: queue.name } })).rejects.toThrow('export "noSuchExport" is not a function');
  });
});
