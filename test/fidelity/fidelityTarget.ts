import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { createGraphConnection, type GraphConnection } from '../../shared/adapters/graph/graphClient.js';
import { createGraphGateway, type GatewayConfig, type GraphGateway } from '../../shared/adapters/graph/graphGateway.js';
import { startSandbox, type SandboxHandle } from '../../sandbox/startSandbox.js';

/**
 * What a fidelity test runs against: the sandbox tenant (by default, in `npm test`), or a real test tenant named by
 * the `FIDELITY_*` variables (`npm run fidelity -- --tenant-url …`, docs/fidelity.md). The tests see only the
 * product's gateway and the fixtures, never the sandbox, so the same assertions judge both.
 */
export interface FidelityTarget {
  readonly kind: 'sandbox' | 'tenant';
  /** The product's own gateway, built as production builds it. */
  readonly gateway: GraphGateway;
  /** Whether checks that write may run (always on the sandbox; on a tenant only with FIDELITY_WRITES=true). */
  readonly writes: boolean;
  readonly fixtures: FidelityFixtures;
}

export interface FidelityFixtures {
  /** A member user with a mailbox, read only (any user). */
  readonly readUserId: string;
  /** A throwaway member user without phone methods, whose methods, per-user MFA state and passes the writing checks change. */
  readonly writeUserId: string;
  /** A throwaway security group the writing checks add the write user to and remove from. */
  readonly groupId: string;
  /** A mailbox that may send the test mail, and the address it goes to. */
  readonly mailbox: string;
  readonly mailRecipient: string;
  /** A directory role template id to list assignments of (Global Administrator by default). */
  readonly roleId: string;
}

const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';

/** One request per call and no retries beyond two: a fidelity check wants Graph's own answer, not the gateway's patience. */
const gatewayConfig: GatewayConfig = {
  graphConcurrency: 2,
  graphMaxAttempts: 2,
  graphRetryBudget: 50,
  graphTimeoutSeconds: 30,
  graphMaxRetryAfterSeconds: 60,
  graphUseBatch: false,
  graphWritesPerSecond: 2,
  graphWriteQuota: 3000,
};

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') throw new Error(`fidelity against a tenant: set ${name} (docs/fidelity.md)`);
  return value.trim();
}

/** The target for the test file: started before its tests, closed after them. */
export function useFidelityTarget(): () => FidelityTarget {
  let target: FidelityTarget | undefined;
  let connection: GraphConnection | undefined;
  let sandbox: SandboxHandle | undefined;
  let workDir = '';
  beforeAll(async () => {
    if (process.env['FIDELITY_TENANT_URL'] !== undefined && process.env['FIDELITY_TENANT_URL'] !== '') {
      connection = createGraphConnection({
        graphBaseUrl: required('FIDELITY_TENANT_URL'),
        authMode: 'clientSecret',
        tenantId: required('FIDELITY_TENANT_ID'),
        clientId: required('FIDELITY_CLIENT_ID'),
        clientSecret: readFileSync(required('FIDELITY_CLIENT_SECRET_FILE'), 'utf8').trim(),
        authorityHost: process.env['FIDELITY_AUTHORITY_HOST'] ?? 'https://login.microsoftonline.com',
        extraCaFile: undefined,
        managedIdentityClientId: undefined,
      });
      const writes = process.env['FIDELITY_WRITES'] === 'true';
      target = {
        kind: 'tenant',
        gateway: createGraphGateway(connection, gatewayConfig),
        writes,
        fixtures: {
          readUserId: required('FIDELITY_READ_USER'),
          writeUserId: writes ? required('FIDELITY_WRITE_USER') : '',
          groupId: writes ? required('FIDELITY_GROUP') : '',
          mailbox: writes ? required('FIDELITY_MAILBOX') : '',
          mailRecipient: writes ? required('FIDELITY_MAIL_RECIPIENT') : '',
          roleId: process.env['FIDELITY_ROLE_ID'] ?? globalAdministrator,
        },
      };
      return;
    }
    sandbox = await startSandbox({ users: 60, seed: 71, faults: { latency: false } });
    workDir = mkdtempSync(path.join(tmpdir(), 'mfa-fidelity-'));
    const caFile = path.join(workDir, 'ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    connection = createGraphConnection({
      graphBaseUrl: sandbox.url,
      authMode: 'clientSecret',
      tenantId: sandbox.tenantId,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      authorityHost: sandbox.origin,
      extraCaFile: caFile,
      managedIdentityClientId: undefined,
    });
    const ready = sandbox.manifest.users.filter((user) => user.category === 'ready');
    const [reader, writer, recipient] = ready as [typeof ready[number], typeof ready[number], typeof ready[number]];
    target = {
      kind: 'sandbox',
      gateway: createGraphGateway(connection, gatewayConfig),
      writes: true,
      fixtures: {
        readUserId: reader.id,
        writeUserId: writer.id,
        groupId: sandbox.manifest.groups.campaign,
        mailbox: reader.upn,
        mailRecipient: recipient.upn,
        roleId: globalAdministrator,
      },
    };
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await sandbox?.stop();
    if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
  });
  return () => {
    if (target === undefined) throw new Error('the fidelity target is not running (used outside a test?)');
    return target;
  };
}
