import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { Agent } from 'undici';
import type { Config } from '../../config/configSchema.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { entraErrorCodes } from './entraErrorCodes.js';
import { consentRefusal } from './consentRefusal.js';

export const graphScope = 'https://graph.microsoft.com/.default';

type GraphClientConfig = Pick<
  Config,
  | 'graphBaseUrl'
  | 'authMode'
  | 'managedIdentityClientId'
  | 'tenantId'
  | 'clientId'
  | 'clientSecret'
  | 'authorityHost'
  | 'extraCaFile'
>;

export interface GraphConnection {
  client: Client;
  /** Origin of Graph, e.g. `https://graph.microsoft.com`; absolute next links are checked against it. */
  origin: string;
  /** The access token the client sends to Graph (the same credential and cache); GRAPH_AUTH_FAILED when none can be had. */
  accessToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the Microsoft Graph client exactly as production uses it: a token credential behind
 * `TokenCredentialAuthenticationProvider`, and a middleware chain without the SDK's RetryHandler, because
 * the gateway is the one layer that retries (a call must never be retried twice over).
 *
 * A non-Microsoft Graph host (the sandbox tenant, a national cloud) is named in `customHosts`, since the
 * SDK sends its bearer token only to Graph hosts and custom hosts, and only over https.
 */
export function createGraphConnection(config: GraphClientConfig): GraphConnection {
  const caPem = readExtraCa(config.extraCaFile);
  const credential = createCredential(config, caPem);
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [graphScope] });

  const authentication = new AuthenticationHandler(authProvider);
  const telemetry = new TelemetryHandler();
  const transport = new HTTPMessageHandler();
  authentication.setNext(telemetry);
  telemetry.setNext(transport);

  const base = new URL(config.graphBaseUrl);
  const dispatcher = caPem === undefined ? undefined : new Agent({ connect: { ca: [...rootCertificates, caPem] } });
  const client = Client.initWithMiddleware({
    middleware: authentication,
    baseUrl: `${base.origin}/`,
    customHosts: new Set([base.hostname]),
    ...(dispatcher === undefined ? {} : { fetchOptions: { dispatcher } as unknown as RequestInit }),
  });
  return {
    client,
    origin: base.origin,
    accessToken: async () => {
      const token = await credential.getToken(graphScope).catch((error: unknown) => {
        // Entra's codes name the cause (e.g. AADSTS70021: no federated credential matches the managed identity's token)
        const codes = entraErrorCodes(error).map((code) => `AADSTS${code}`).join(', ');
        throw consentRefusal(error, config) ?? new RolloutError('GRAPH_AUTH_FAILED', `No Graph access token could be had (${error instanceof Error ? error.name : 'unknown error'}${codes === '' ? '' : `: ${codes}`})`, { cause: error });
      });
      if (token === null) throw new RolloutError('GRAPH_AUTH_FAILED', 'No Graph access token could be had (the credential returned none)');
      return token.token;
    },
    close: async () => {
      await dispatcher?.close();
    },
  };
}

function readExtraCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new RolloutError('CONFIG_INVALID', `MFA_EXTRA_CA_FILE: expected a readable PEM file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, { cause: error });
  }
}

/** The audience of the managed identity's token that a federated identity credential accepts (docs/graph-behaviour.md#multi-tenant-apps). */
export const federationScope = 'api://AzureADTokenExchange/.default';

function createCredential(config: GraphClientConfig, caPem: string | undefined): TokenCredential {
  const httpClient = caPem === undefined ? undefined : httpClientTrusting(caPem);
  const authorityIsMicrosoft = new URL(config.authorityHost).hostname.endsWith('.microsoftonline.com');
  const authority = {
    authorityHost: config.authorityHost,
    // Instance discovery only knows Microsoft's clouds; any other authority (the sandbox) is taken as given.
    disableInstanceDiscovery: !authorityIsMicrosoft,
    ...(httpClient === undefined ? {} : { httpClient }),
  };
  if (config.authMode === 'clientSecret') {
    if (config.tenantId === undefined || config.clientId === undefined || config.clientSecret === undefined) {
      throw new RolloutError('CONFIG_INVALID', 'MFA_TENANT_ID, MFA_CLIENT_ID and MFA_CLIENT_SECRET are required when MFA_AUTH_MODE=clientSecret');
    }
    return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, authority);
  }
  const managedIdentity = config.managedIdentityClientId === undefined
    ? new ManagedIdentityCredential()
    : new ManagedIdentityCredential({ clientId: config.managedIdentityClientId });
  if (config.authMode === 'federatedManagedIdentity') {
    if (config.tenantId === undefined || config.clientId === undefined || config.managedIdentityClientId === undefined) {
      throw new RolloutError('CONFIG_INVALID', 'MFA_TENANT_ID, MFA_CLIENT_ID and MFA_MANAGED_IDENTITY_CLIENT_ID are required when MFA_AUTH_MODE=federatedManagedIdentity');
    }
    // Workload identity federation: the user-assigned managed identity's token (audience api://AzureADTokenExchange)
    // is the client assertion of the multi-tenant app in the customer's tenant: no secret anywhere.
    return new ClientAssertionCredential(config.tenantId, config.clientId, async () => {
      const assertion = await managedIdentity.getToken(federationScope);
      if (assertion === null) throw new RolloutError('GRAPH_AUTH_FAILED', 'The managed identity returned no token for api://AzureADTokenExchange');
      return assertion.token;
    }, authority);
  }
  return managedIdentity;
}

/** An Azure SDK HTTP client that also trusts one extra certificate authority (TLS checks stay on). */
function httpClientTrusting(caPem: string): HttpClient {
  const agent = new https.Agent({ ca: [...rootCertificates, caPem], keepAlive: true });
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      request.agent = agent;
      return inner.sendRequest(request);
    },
  };
}
