import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { ManagedIdentityCredential } from '@azure/identity';
import type { QueueConnection } from '../../config/queueConnection.js';
import { encodeTenantNightMessage, type TenantNightMessage } from '../../core/tenantNightMessage.js';
import { RolloutError } from '../../errors/RolloutError.js';

/** The Functions host's name of a queue's poison queue. */
export function poisonQueueName(queueName: string): string {
  return `${queueName}-poison`;
}

/**
 * The only code that writes the many-tenants queue: one message per tenant night, base64 JSON (host.json
 * `messageEncoding`). The fan-out of the timer and `mfa-rollout fan-out` both come through here.
 */
export class TenantQueue {
  constructor(private readonly queue: QueueClient) {}

  get name(): string {
    return this.queue.name;
  }

  /** Creates the queue and its poison queue when missing (the host creates the poison queue too, on first use). */
  async ensure(): Promise<void> {
    try {
      await this.queue.createIfNotExists();
    } catch (error) {
      throw queueError(error, `Creating queue ${this.queue.name}`);
    }
  }

  async send(message: TenantNightMessage): Promise<void> {
    try {
      await this.queue.sendMessage(encodeTenantNightMessage(message));
    } catch (error) {
      throw queueError(error, `Enqueuing the night of tenant ${message.tenantId} on ${this.queue.name}`);
    }
  }
}

/** The tenant queue on the host's storage: a connection string (Azurite: loopback http allowed) or the managed identity. */
export function createTenantQueue(connection: QueueConnection, queueName: string): TenantQueue {
  if (connection.kind === 'connectionString') {
    const service = QueueServiceClient.fromConnectionString(connection.connectionString);
    return new TenantQueue(service.getQueueClient(queueName));
  }
  const credential = connection.clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId: connection.clientId });
  return new TenantQueue(new QueueServiceClient(connection.queueServiceUrl, credential).getQueueClient(queueName));
}

function queueError(error: unknown, what: string): RolloutError {
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  return new RolloutError('QUEUE_UNAVAILABLE', `${what}: Queue Storage answered ${typeof status === 'number' ? status : 'no status'} (${typeof code === 'string' ? code : error instanceof Error ? error.name : 'no code'})`, {
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    cause: error,
  });
}
