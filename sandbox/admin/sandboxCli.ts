import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../startSandbox.js';
import { addTrafficFlags, trafficOptionsFrom, type TrafficFlags } from './trafficFlags.js';

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

const wholeNumber = (name: string, min: number, max: number) => (value: string): number => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected ${name} to be a whole number from ${min} to ${max}`);
  return parsed;
};

/** Parses `--users 500 --seed 7 --port 8443 --home-country SE`, starts the sandbox, writes the CA PEM to a temp file and reports. */
export async function runSandboxCli(argv: readonly string[], io: CliIo): Promise<RunningCli> {
  const program = new Command('sandbox')
    .description('Local HTTPS server that behaves like Microsoft Graph for a generated tenant')
    .option('--users <n>', 'number of generated users', wholeNumber('--users', 0, 1_000_000), 2000)
    .option('--seed <n>', 'generation seed', wholeNumber('--seed', 0, 2 ** 31 - 1), 1)
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', wholeNumber('--port', 0, 65535), 0)
    .option('--home-country <cc>', 'ISO country most users live in', 'SE')
    .option('--client-secret <secret>', 'secret of the app registration (default: random)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stderr(text.trimEnd()), writeErr: (text) => io.stderr(text.trimEnd()) });
  addTrafficFlags(program);
  program.parse([...argv], { from: 'user' });
  const flags = program.opts<{ users: number; seed: number; port: number; homeCountry: string; clientSecret?: string } & TrafficFlags>();

  const options: SandboxOptions = {
    users: flags.users,
    seed: flags.seed,
    port: flags.port,
    homeCountry: flags.homeCountry.toUpperCase(),
    ...(flags.clientSecret === undefined ? {} : { clientSecret: flags.clientSecret }),
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
    `Admin API (no token, loopback only): ${sandbox.adminUrl}{manifest,journal,counters,stats,clock,organization,roles,quota,faults,latency,conditionalAccess,registrationReport,signIn,signInNight}`,
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
