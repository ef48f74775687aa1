import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { resolveQueuesSettings } from '../../queuehost/resolveQueuesSettings.js';

const machine = { processorCount: 2 };
const withQueues = (queues: Record<string, unknown>) => ({ version: '2.0', extensions: { queues } });

describe('resolveQueuesSettings', () => {
  it('takes the host defaults for what host.json leaves out', () => {
    expect(resolveQueuesSettings({ version: '2.0' }, machine)).toEqual({
      batchSize: 16,
      newBatchThreshold: 16, // batchSize / 2 × processors
      maxDequeueCount: 5,
      visibilityTimeoutMs: 0,
      maxPollingIntervalMs: 60_000,
      messageEncoding: 'base64',
      messageLeaseMs: 600_000,
      minimumRenewalIntervalMs: 60_000,
    });
  });

  it('counts one processor on the Dynamic (Consumption) SKU, as the host does', () => {
    expect(resolveQueuesSettings(withQueues({ batchSize: 8 }), { processorCount: 4, websiteSku: 'Dynamic' }).newBatchThreshold).toBe(4);
    expect(resolveQueuesSettings(withQueues({ batchSize: 8 }), { processorCount: 4, websiteSku: 'FlexConsumption' }).newBatchThreshold).toBe(16);
  });

  it('reads every value host.json sets: TimeSpans ("[d.]hh:mm:ss[.f]") or milliseconds, and functionTimeout', () => {
    const settings = resolveQueuesSettings(
      { functionTimeout: '01:30:00', extensions: { queues: { batchSize: 1, newBatchThreshold: 0, maxDequeueCount: 3, visibilityTimeout: '00:00:30', maxPollingInterval: 2000, messageEncoding: 'none' } } },
      machine,
    );
    expect(settings).toEqual(expect.objectContaining({ batchSize: 1, newBatchThreshold: 0, maxDequeueCount: 3, visibilityTimeoutMs: 30_000, maxPollingIntervalMs: 2_000, messageEncoding: 'none', functionTimeoutMs: 5_400_000 }));
    expect(resolveQueuesSettings(withQueues({ visibilityTimeout: '1.02:03:04.5' }), machine).visibilityTimeoutMs).toBe(((26 * 60 + 3) * 60 + 4) * 1000 + 500);
    expect(resolveQueuesSettings(withQueues({ messageEncoding: 'Base64' }), machine).messageEncoding).toBe('base64');
  });

  it('lets overrides (a test\'s short timeouts) win over host.json and the host constants', () => {
    const settings = resolveQueuesSettings(withQueues({ maxDequeueCount: 5, visibilityTimeout: '00:05:00' }), machine, { maxDequeueCount: 2, visibilityTimeoutMs: 1_000, messageLeaseMs: 2_000 });
    expect(settings).toEqual(expect.objectContaining({ maxDequeueCount: 2, visibilityTimeoutMs: 1_000, messageLeaseMs: 2_000 }));
  });

  it('refuses what the host refuses, naming the host.json path and never echoing more than a short value', () => {
    expect(() => resolveQueuesSettings(withQueues({ batchSize: 33 }), machine)).toThrow('host.json extensions.queues.batchSize: must be from 1 to 32');
    expect(() => resolveQueuesSettings(withQueues({ batchSize: '16' }), machine)).toThrow('host.json extensions.queues.batchSize: an integer was expected instead of the string "16"');
    expect(() => resolveQueuesSettings(withQueues({ maxDequeueCount: 0 }), machine)).toThrow('host.json extensions.queues.maxDequeueCount: must not be less than 1');
    expect(() => resolveQueuesSettings(withQueues({ visibilityTimeout: '30s' }), machine)).toThrow('host.json extensions.queues.visibilityTimeout: a TimeSpan ("hh:mm:ss") or a number of milliseconds was expected');
    expect(() => resolveQueuesSettings(withQueues({ maxPollingInterval: '00:00:00.050' }), machine)).toThrow('host.json extensions.queues.maxPollingInterval: must not be less than 00:00:00.100');
    expect(() => resolveQueuesSettings(withQueues({ messageEncoding: 'utf8' }), machine)).toThrow('host.json extensions.queues.messageEncoding: "base64" or "none" was expected');
    expect(() => resolveQueuesSettings({ extensions: [] }, machine)).toThrow('host.json extensions: an object was expected instead of an array');
  });

  it("resolves the repository's host.json", () => {
    const settings = resolveQueuesSettings(JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8')) as unknown, machine);
    expect(settings.messageEncoding).toBe('base64'); // the contract's encoding
    expect(settings.maxDequeueCount).toBeGreaterThanOrEqual(1);
  });
});
