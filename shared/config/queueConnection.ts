import { RolloutError } from '../errors/RolloutError.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** How the many-tenants queue is reached: the Functions host's own storage connection, as its queue trigger reads it. */
export type QueueConnection =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly queueServiceUrl: string; readonly clientId: string | undefined };

/**
 * The `AzureWebJobsStorage` connection the queue trigger listens on, read the way the Functions host reads it: a
 * connection string (`AzureWebJobsStorage`; Azurite locally), or identity-based settings
 * (`AzureWebJobsStorage__queueServiceUri`, or `AzureWebJobsStorage__accountName` for the public cloud, with
 * `AzureWebJobsStorage__clientId` for a user-assigned identity). CONFIG_INVALID names the settings when none is set.
 */
export function queueConnectionFrom(env: Environment): QueueConnection {
  const connectionString = env['AzureWebJobsStorage'];
  if (connectionString !== undefined && connectionString !== '') return { kind: 'connectionString', connectionString };
  const clientId = env['AzureWebJobsStorage__clientId'] === '' ? undefined : env['AzureWebJobsStorage__clientId'];
  const serviceUri = env['AzureWebJobsStorage__queueServiceUri'];
  if (serviceUri !== undefined && serviceUri !== '') return { kind: 'identity', queueServiceUrl: serviceUri, clientId };
  const account = env['AzureWebJobsStorage__accountName'];
  if (account !== undefined && /^[a-z0-9]{3,24}$/.test(account)) return { kind: 'identity', queueServiceUrl: `https://${account}.queue.core.windows.net`, clientId };
  throw new RolloutError('CONFIG_INVALID', 'Invalid configuration:\nAzureWebJobsStorage / AzureWebJobsStorage__queueServiceUri / AzureWebJobsStorage__accountName: expected the Functions host\'s storage connection (a connection string; UseDevelopmentStorage=true locally), or its identity-based settings, for the MFA_TENANT_QUEUE queue');
}
