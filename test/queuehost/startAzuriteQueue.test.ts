import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, it } from '@jest/globals';
import { startAzurite } from '../../rehearsal/startAzurite.js';

describe('startAzurite({ queue: true })', () => {
  it('starts the Queue service beside the Table service; one connection string names both; stop() ends both', async () => {
    const azurite = await startAzurite({ queue: true });
    try {
      expect(azurite.queuePort).toEqual(expect.any(Number));
      expect(azurite.queuePort).not.toBe(azurite.port);
      expect(azurite.connectionString).toContain(`TableEndpoint=http://127.0.0.1:${azurite.port}/devstoreaccount1;`);
      expect(azurite.connectionString).toContain(`QueueEndpoint=http://127.0.0.1:${azurite.queuePort}/devstoreaccount1;`);

      const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('probe');
      await queue.create();
      await queue.sendMessage('aGVsbG8=');
      expect((await queue.receiveMessages()).receivedMessageItems.map((message) => message.messageText)).toEqual(['aGVsbG8=']);
      const table = TableClient.fromConnectionString(azurite.connectionString, 'probe', { allowInsecureConnection: true });
      await table.createTable();
      await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    } finally {
      await azurite.stop();
    }
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } }).getQueueClient('probe');
    await expect(queue.exists()).rejects.toThrow();
  });

  it('without the option: the Table service only, as every existing caller has it', async () => {
    const azurite = await startAzurite();
    try {
      expect(azurite.queuePort).toBeUndefined();
      expect(azurite.connectionString).not.toContain('QueueEndpoint');
    } finally {
      await azurite.stop();
    }
  });
});
