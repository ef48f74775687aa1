import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseFaultRule, type FaultOptions, type FaultRule, type LatencyConfig } from '../faults/faultRules.js';
import { authenticationMethodQuotas, writeModels, type QuotaOptions } from '../quota/quotaConfig.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../startSandbox.js';
import { generatedTenants } from '../tenant/generatedTenants.js';

export interface CliIo {
  /** Receives exactly one line: the JSON ready message a parent process reads. */
  readonly stdout: (line: string) => void;
  /** Human-readable guidance. */
  readonly stderr: (line: string) => void;
}

export interface RunningCli {
  readonly sandbox: SandboxHandle;
  readonly caFile: string;
  /** Stops the sandbox and removes the CA file. */
  stop(): Promise<void>;
}

interface TrafficFlags {
  readonly quota: boolean;
  readonly quotaHeaders: boolean;
  readonly quotaWriteModel?: string;
  readonly quotaAuthMethods?: string;
  readonly quotaResourceUnits?: number;
  readonly quotaRuWindow?: number;
  readonly quotaAppWrites?: number;
  readonly quotaAppWriteWindow?: number;
  readonly quotaTenantWrites?: number;
  readonly quotaTenantWriteWindow?: number;
  readonly quotaTimeScale?: number;
  readonly latency?: { minMs: number; maxMs: number };
  readonly writeLatency?: { minMs: number; maxMs: number };
  readonly faultSeed?: number;
  readonly fault: readonly FaultRule[];
}

const positive = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected ${name} to be a number above 0`);
  return parsed;
};

const oneOf = (name: string, allowed: readonly string[]) => (value: string): string => {
  if (!allowed.includes(value)) throw new InvalidArgumentError(`expected ${name} to be one of ${allowed.join(', ')}`);
  return value;
};

const msRange = (name: string) => (value: string): { minMs: number; maxMs: number } => {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const minMs = Number(match?.[1]);
  const maxMs = match?.[2] === undefined ? minMs : Number(match[2]);
  if (match === null || minMs > maxMs || maxMs > 600_000) throw new InvalidArgumentError(`expected ${name} to be milliseconds as MIN-MAX (e.g. 10-40) or one number`);
  return { minMs, maxMs };
};

const faultRule = (value: string, previous: readonly FaultRule[]): FaultRule[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('expected --fault to be a JSON fault rule, e.g. \'{"kind":"unavailable","status":503,"count":5}\'');
  }
  try {
    return [...previous, parseFaultRule(parsed)];
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
};

/** Adds the quota, latency and fault flags to the sandbox CLI. */
function addTrafficFlags(program: Command): Command {
  return program
    .option('--no-quota', 'turn Graph throttling (quota buckets) off')
    .option('--quota-write-model <model>', 'write quotas as a token `bucket` (burst from idle) or a sliding `window` (default bucket)', oneOf('--quota-write-model', writeModels))
    .option('--no-quota-headers', 'send no x-ms-resource-unit / x-ms-throttle-* headers at all (default: on directory resources)')
    .option('--quota-auth-methods <reading>', 'which quota users/{id}/authentication/* calls draw on: identity, tenantWrites or none (default identity)', oneOf('--quota-auth-methods', authenticationMethodQuotas))
    .option('--quota-resource-units <n>', 'resource units per app+tenant per window (default by tenant size: 3500/5000/8000)', positive('--quota-resource-units'))
    .option('--quota-ru-window <seconds>', 'resource-unit window (default 10)', positive('--quota-ru-window'))
    .option('--quota-app-writes <n>', 'writes per app+tenant per window (default 3000)', positive('--quota-app-writes'))
    .option('--quota-app-write-window <seconds>', 'app+tenant write window (default 150)', positive('--quota-app-write-window'))
    .option('--quota-tenant-writes <n>', 'writes per tenant (all apps) per window (default 18000)', positive('--quota-tenant-writes'))
    .option('--quota-tenant-write-window <seconds>', 'tenant write window (default 300)', positive('--quota-tenant-write-window'))
    .option('--quota-time-scale <factor>', 'run the quota windows this many times faster, same capacities (default 1)', positive('--quota-time-scale'))
    .option('--latency <ms>', 'latency of every Graph answer as MIN-MAX ms (default 10-40; 0 for none)', msRange('--latency'))
    .option('--write-latency <ms>', 'latency of writes as MIN-MAX ms (default: as --latency), e.g. 100-300', msRange('--write-latency'))
    .option('--fault-seed <n>', 'seed of fault and latency draws (default: --seed)', positive('--fault-seed'))
    .option('--fault <json>', 'a fault rule active from the start (repeatable), e.g. \'{"kind":"throttle","probability":0.02}\'', faultRule, []);
}

/** The startSandbox options the traffic flags describe. */
function trafficOptionsFrom(flags: TrafficFlags): { quota: QuotaOptions; faults: FaultOptions } {
  const quota: Record<string, number | boolean | string> = { enabled: flags.quota, headers: flags.quotaHeaders };
  if (flags.quotaWriteModel !== undefined) quota.writeModel = flags.quotaWriteModel;
  if (flags.quotaAuthMethods !== undefined) quota.authenticationMethodQuota = flags.quotaAuthMethods;
  const figures: [keyof TrafficFlags, keyof QuotaOptions][] = [
    ['quotaResourceUnits', 'resourceUnits'],
    ['quotaRuWindow', 'resourceUnitWindowSeconds'],
    ['quotaAppWrites', 'appWrites'],
    ['quotaAppWriteWindow', 'appWriteWindowSeconds'],
    ['quotaTenantWrites', 'tenantWrites'],
    ['quotaTenantWriteWindow', 'tenantWriteWindowSeconds'],
    ['quotaTimeScale', 'timeScale'],
  ];
  for (const [flag, field] of figures) {
    const value = flags[flag];
    if (typeof value === 'number') quota[field] = value;
  }
  const latency: { -readonly [K in keyof LatencyConfig]?: LatencyConfig[K] } = {};
  if (flags.latency !== undefined) Object.assign(latency, flags.latency);
  if (flags.writeLatency !== undefined) latency.writes = flags.writeLatency;
  return {
    quota: quota as QuotaOptions,
    faults: {
      ...(Object.keys(latency).length === 0 ? {} : { latency }),
      ...(flags.faultSeed === undefined ? {} : { seed: Math.floor(flags.faultSeed) }),
      rules: flags.fault,
    },
  };
}

const wholeNumber = (name: string, min: number, max: number) => (value: string): number => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected ${name} to be a whole number from ${min} to ${max}`);
  return parsed;
};

/** Parses `--users 500 --seed 7 --port 8443 --home-country SE [--tenants N]`, starts the sandbox, writes the CA PEM to a temp file and reports. */
export async function runSandboxCli(argv: readonly string[], io: CliIo): Promise<RunningCli> {
  const program = new Command('sandbox')
    .description('Local HTTPS server that behaves like Microsoft Graph for a generated tenant')
    .option('--users <n>', 'number of generated users', wholeNumber('--users', 0, 1_000_000), 2000)
    .option('--seed <n>', 'generation seed', wholeNumber('--seed', 0, 2 ** 31 - 1), 1)
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', wholeNumber('--port', 0, 65535), 0)
    .option('--home-country <cc>', 'ISO country most users live in', 'SE')
    .option('--client-secret <secret>', 'secret of the app registration (default: random)')
    .option('--tenants <n>', 'serve this many generated tenants of varied sizes around --users (seeds --seed, --seed+1, …), one multi-tenant app', wholeNumber('--tenants', 1, 1_000))
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stderr(text.trimEnd()), writeErr: (text) => io.stderr(text.trimEnd()) });
  addTrafficFlags(program);
  program.parse([...argv], { from: 'user' });
  const flags = program.opts<{ users: number; seed: number; port: number; homeCountry: string; clientSecret?: string; tenants?: number } & TrafficFlags>();

  const options: SandboxOptions = {
    users: flags.users,
    seed: flags.seed,
    port: flags.port,
    homeCountry: flags.homeCountry.toUpperCase(),
    ...(flags.clientSecret === undefined ? {} : { clientSecret: flags.clientSecret }),
    ...(flags.tenants === undefined ? {} : { tenants: generatedTenants(flags.tenants, flags.users, flags.seed) }),
    ...trafficOptionsFrom(flags),
  };
  const sandbox = await startSandbox(options);
  const folder = await mkdtemp(join(tmpdir(), 'mfa-sandbox-'));
  const caFile = join(folder, 'ca.pem');
  await writeFile(caFile, sandbox.caPem, { mode: 0o600 });

  io.stdout(
    JSON.stringify({
      ready: true,
      url: sandbox.url,
      caFile,
      tenantId: sandbox.tenantId,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      adminUrl: sandbox.adminUrl,
      // with --tenants (a many-tenant sandbox): every tenant, and the managed identity endpoint for federation
      ...(flags.tenants === undefined
        ? {}
        : {
            tenants: sandbox.tenants.map((tenant) => ({ tenantId: tenant.tenantId, displayName: tenant.displayName, users: tenant.state.users.length, adminUrl: tenant.tenantAdminUrl })),
            identityEndpoint: sandbox.workloadIdentity.identityEndpoint,
            identityHeader: sandbox.workloadIdentity.identityHeader,
            managedIdentityClientId: sandbox.workloadIdentity.managedIdentity.clientId,
          }),
    }),
  );
  const { manifest } = sandbox;
  const rings = manifest.groups.rings.map((ring) => ({ name: ring.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), groupId: ring.id }));
  for (const line of [
    `MFA sandbox tenant: ${manifest.size} users (seed ${manifest.seed}, home country ${manifest.homeCountry}) at ${sandbox.url}`,
    'Point the rollout at it with:',
    `  MFA_GRAPH_BASE_URL=${sandbox.url}`,
    `  MFA_AUTHORITY_HOST=${sandbox.origin}`,
    '  MFA_AUTH_MODE=clientSecret',
    `  MFA_TENANT_ID=${sandbox.tenantId}`,
    `  MFA_CLIENT_ID=${sandbox.clientId}`,
    `  MFA_CLIENT_SECRET=${sandbox.clientSecret}`,
    `  MFA_EXTRA_CA_FILE=${caFile}`,
    'Tenant-specific settings:',
    `  MFA_BREAK_GLASS=${manifest.breakGlass.map((account) => account.id).join(',')}`,
    `  MFA_EXCLUSION_GROUP_ID=${manifest.groups.exclusion}`,
    `  MFA_PILOT_GROUP_ID=${manifest.groups.pilot}`,
    `  MFA_RINGS='${JSON.stringify(rings)}'`,
    "  MFA_EXCLUDE_UPN_PATTERNS='Sync_*,ADToAADSyncServiceAccount*,svc-*'",
    `  MFA_DEFAULT_PHONE_REGION=${manifest.homeCountry}`,
    `  MFA_CA_GROUP_ID=${manifest.groups.mfaRequired}`,
    ...(flags.tenants === undefined
      ? []
      : [
          `${sandbox.tenants.length} tenants, one multi-tenant app (MFA_CLIENT_ID above); each tenant's MFA_TENANT_ID and admin API:`,
          ...sandbox.tenants.map((tenant) => `  ${tenant.tenantId}  ${tenant.displayName} (${tenant.state.users.length} users)  ${tenant.tenantAdminUrl}`),
          `(the tenant-specific settings above are the first tenant's; GET ${sandbox.adminUrl}tenants lists them all)`,
        ]),
    `Workload identity: IDENTITY_ENDPOINT=${sandbox.workloadIdentity.identityEndpoint} IDENTITY_HEADER=${sandbox.workloadIdentity.identityHeader} managed identity client id ${sandbox.workloadIdentity.managedIdentity.clientId}`,
    `Admin API (no token, loopback only): ${sandbox.adminUrl}{manifest,journal,counters,stats,clock,organization,roles,quota,faults,latency,conditionalAccess,registrationReport,signIn,signInNight,simulateSignIns,signInSimulation,tenantUsers}`,
    'Stop with Ctrl+C (SIGINT) or SIGTERM.',
  ]) {
    io.stderr(line);
  }

  let stopping: Promise<void> | undefined;
  return {
    sandbox,
    caFile,
    stop: () => {
      stopping ??= sandbox.stop().finally(() => rm(folder, { recursive: true, force: true }));
      return stopping;
    },
  };
}
