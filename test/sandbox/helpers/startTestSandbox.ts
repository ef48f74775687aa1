import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createGraphConnection, type GraphConnection } from '../../../shared/adapters/graph/graphClient.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../sandbox/startSandbox.js';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body, or undefined when the body is empty. */
  readonly json: unknown;
}

export interface TestSandbox {
  readonly sandbox: SandboxHandle;
  /** The product's Graph client, built by createGraphConnection exactly as production builds it. */
  readonly client: Client;
  readonly connection: GraphConnection;
  readonly caFile: string;
  /** Plain HTTPS to the sandbox (trusting its certificate), for answers the Graph client would hide. */
  raw(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string; redirect?: 'follow' | 'manual' }): Promise<RawAnswer>;
  /** A token from the sandbox's token endpoint, for raw calls. */
  token(): Promise<string>;
  /** A token from one tenant's token endpoint (a many-tenant sandbox), for raw calls. */
  tokenFor(tenantId: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a sandbox and a Graph connection to it through the product's createGraphConnection. Call close() in afterAll. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ users: 200, ...options });
  const folder = await mkdtemp(join(tmpdir(), 'sandbox-test-'));
  const caFile = join(folder, 'ca.pem');
  await writeFile(caFile, sandbox.caPem);
  const connection = createGraphConnection({
    graphBaseUrl: sandbox.url,
    authMode: 'clientSecret',
    tenantId: sandbox.tenantId,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    authorityHost: sandbox.url.replace(/\/$/, ''),
    extraCaFile: caFile,
    managedIdentityClientId: undefined,
  });
  const agent = new Agent({ connect: { ca: sandbox.caPem } });

  const raw: TestSandbox['raw'] = async (path, init = {}) => {
    const response = await fetch(new URL(path, sandbox.url), {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.redirect === undefined ? {} : { redirect: init.redirect }),
      dispatcher: agent,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers as unknown as Headers, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  const tokenFor = async (tenantId: string): Promise<string> => {
    const answer = await raw(`/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sandbox.clientId,
        client_secret: sandbox.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    const token = (answer.json as { access_token?: string }).access_token;
    if (token === undefined) throw new Error(`no token for tenant ${tenantId}: ${answer.status} ${answer.text}`);
    return token;
  };

  return {
    sandbox,
    client: connection.client,
    connection,
    caFile,
    raw,
    token: () => tokenFor(sandbox.tenantId),
    tokenFor,
    close: async () => {
      await connection.close();
      await agent.close();
      await sandbox.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
