#!/usr/bin/env node
/* global process */
// `npm run fidelity -- [--tenant-url https://graph.microsoft.com --tenant-id … --client-id … --client-secret-file …
// --read-user … [--allow-writes --write-user … --group … --mailbox … --mail-recipient …]]`: the fidelity suite
// (test/fidelity) against the sandbox tenant, or against a real test tenant (docs/fidelity.md).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const flags = {
  'tenant-url': 'FIDELITY_TENANT_URL',
  'tenant-id': 'FIDELITY_TENANT_ID',
  'client-id': 'FIDELITY_CLIENT_ID',
  'client-secret-file': 'FIDELITY_CLIENT_SECRET_FILE',
  'authority-host': 'FIDELITY_AUTHORITY_HOST',
  'read-user': 'FIDELITY_READ_USER',
  'write-user': 'FIDELITY_WRITE_USER',
  group: 'FIDELITY_GROUP',
  mailbox: 'FIDELITY_MAILBOX',
  'mail-recipient': 'FIDELITY_MAIL_RECIPIENT',
  'role-id': 'FIDELITY_ROLE_ID',
};
let parsed;
try {
  parsed = parseArgs({
    options: { ...Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'string' }])), 'allow-writes': { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
  }).values;
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
if (parsed.help === true) {
  process.stdout.write(`usage: npm run fidelity -- [${Object.keys(flags).map((name) => `--${name} <value>`).join(' ')} --allow-writes]\nWithout --tenant-url the suite runs against the sandbox tenant. See docs/fidelity.md.\n`);
  process.exit(0);
}
const env = { ...process.env };
for (const [name, variable] of Object.entries(flags)) if (parsed[name] !== undefined) env[variable] = parsed[name];
const againstTenant = (env.FIDELITY_TENANT_URL ?? '') !== '';
env.FIDELITY_WRITES = parsed['allow-writes'] === true ? 'true' : (env.FIDELITY_WRITES ?? 'false');
const args = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', 'test/fidelity', '--maxWorkers=1'];
// a file whose every check writes has no test to run without writes
if (againstTenant && env.FIDELITY_WRITES !== 'true') args.push('--testPathIgnorePatterns', 'groupsAndMail');
process.stdout.write(`fidelity suite against ${againstTenant ? env.FIDELITY_TENANT_URL : 'the sandbox tenant'}${env.FIDELITY_WRITES === 'true' || !againstTenant ? ', writing checks included' : ', read-only'}\n`);
const result = spawnSync(process.execPath, args, { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
