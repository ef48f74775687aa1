import type { Command } from 'commander';
import { loadDeploymentConfig } from '../config/loadConfig.js';
import { describeTenant } from '../config/tenantConfig.js';
import { RolloutError } from '../errors/RolloutError.js';
import type { TenantEntry } from '../adapters/tables/tenantRegistryTable.js';
import type { Logger } from '../log/logEvent.js';
import { runFanOut } from '../shell/fanOutTenants.js';
import { addTenant, disableTenant } from '../shell/manageTenants.js';
import { openTenantRegistry } from '../shell/openTenantRegistry.js';
import { settingsFrom, tenantSettingsFrom } from './readSettingsFile.js';

type Print = (text: string) => void;

/**
 * `mfa-rollout tenants add|list|disable|show` (the tenant registry of a many-tenants deployment) and
 * `mfa-rollout fan-out` (what the timer does in that mode). The deployment's settings come from --settings and the
 * environment as for every command; a tenant's own live in the registry.
 */
export function addManyTenantsCommands(program: Command, print: Print, logger: (command: Command) => Logger): void {
  const tenants = program.command('tenants').description('The tenant registry of a many-tenants deployment (MFA_MULTI_TENANT=true): each customer tenant, its settings, enabled or not');
  const registryOf = async (command: Command) => {
    const env = settingsFrom(command.optsWithGlobals<{ settings?: string }>().settings, process.env);
    return { env, registry: await openTenantRegistry(loadDeploymentConfig(env)) };
  };

  tenants
    .command('add <tenantId>')
    .description('Register a tenant (or replace a registered one\'s name and settings), validated by the same schema as every night before anything is written; MFA_BREAK_GLASS is required per tenant, secrets and deployment settings are refused')
    .requiredOption('--name <displayName>', 'the customer\'s name, shown in logs, errors and reports')
    .option('--settings-file <file>', 'a JSON object of app-setting names and values for this tenant, e.g. {"MFA_BREAK_GLASS":"…","MFA_WAVE_SIZE":"100"}')
    .option('--set <NAME=VALUE>', 'one setting (repeatable; wins over --settings-file)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .action(async (tenantId: string, options: { name: string; settingsFile?: string; set: string[] }, command: Command) => {
      const settings = { ...(options.settingsFile === undefined ? {} : await tenantSettingsFrom(options.settingsFile)), ...parseAssignments(options.set) };
      const { env, registry } = await registryOf(command);
      const { entry, replaced } = await addTenant(env, registry, { tenantId, displayName: options.name, settings }, new Date());
      print(`${replaced ? 'Updated' : 'Added'} ${describeTenant(entry)}: enabled, ${Object.keys(entry.settings).length} setting(s) of its own (${Object.keys(entry.settings).sort().join(', ')}).`);
    });

  tenants
    .command('list')
    .description('Every registered tenant: enabled or not, its settings count, the last night it was enqueued for')
    .option('--json', 'print the registry as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { registry } = await registryOf(command);
      const { entries, unreadable } = await registry.list();
      if (options.json === true) {
        print(JSON.stringify({ tenants: entries, unreadable: unreadable.map((error) => error.message) }, null, 2));
        return;
      }
      if (entries.length === 0) print('No tenant is registered: `mfa-rollout tenants add <tenantId> --name <name> --set MFA_BREAK_GLASS=…` registers one.');
      for (const entry of entries) {
        print(`${entry.tenantId}  ${(entry.enabled ? 'enabled' : 'disabled').padEnd(8)}  ${String(Object.keys(entry.settings).length).padStart(2)} setting(s)  last enqueued ${entry.lastEnqueuedNight ?? 'never'}  ${entry.displayName}`);
      }
      for (const error of unreadable) print(`unreadable: ${error.message}`);
    });

  tenants
    .command('show <tenantId>')
    .description('One tenant\'s entry and its own settings (no secret is ever stored there)')
    .option('--json', 'print the entry as JSON')
    .action(async (tenantId: string, options: { json?: boolean }, command: Command) => {
      const { registry } = await registryOf(command);
      const entry = await registry.get(tenantId);
      if (entry === null) throw new RolloutError('TENANT_NOT_REGISTERED', `Tenant ${tenantId.toLowerCase()} is not in the tenant registry`);
      print(options.json === true ? JSON.stringify(entry, null, 2) : renderEntry(entry));
    });

  tenants
    .command('disable <tenantId>')
    .description('Stop a tenant\'s nights: the fan-out no longer enqueues it and a message already queued does nothing (its tables and Graph stay as they are)')
    .action(async (tenantId: string, _options: unknown, command: Command) => {
      const { registry } = await registryOf(command);
      const entry = await disableTenant(registry, tenantId, new Date());
      print(`Disabled ${describeTenant(entry)} (since ${entry.disabledAt ?? '?'}): no further nights until \`mfa-rollout tenants add\` registers it again.`);
    });

  program
    .command('fan-out')
    .description('Many tenants: enqueue one night per enabled tenant whose start window is open and that has no message yet tonight, as the timer does (tenantNight runs them)')
    .option('--dry-run', 'decide and list, enqueue nothing')
    .option('--json', 'print the decisions as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }, command: Command) => {
      const env = settingsFrom(command.optsWithGlobals<{ settings?: string }>().settings, process.env);
      const result = await runFanOut(env, logger(command), new Date(), { dryRun: options.dryRun === true });
      if (options.json === true) print(JSON.stringify(result, null, 2));
      else {
        for (const tenant of result.tenants) print(`${tenant.tenantId}  ${tenant.verdict.padEnd(15)} ${tenant.night ?? '-'}  ${tenant.displayName}${tenant.error === null ? '' : `  ${tenant.error.code}: ${tenant.error.message.split('\n').join(' ')}`}`);
        print(options.dryRun === true ? `Dry run: ${result.tenants.filter((tenant) => tenant.verdict === 'due').length} tenant(s) due, nothing enqueued.` : `Enqueued ${result.enqueued.length} tenant night(s).`);
      }
      if (result.failed.length > 0) throw new RolloutError('QUEUE_UNAVAILABLE', `The fan-out could not enqueue or read every tenant:\n${result.failed.join('\n')}`);
    });
}

function renderEntry(entry: TenantEntry): string {
  return [
    `${describeTenant(entry)}: ${entry.enabled ? 'enabled' : `disabled since ${entry.disabledAt ?? '?'}`}`,
    `  added ${entry.addedAt}, updated ${entry.updatedAt}, last enqueued for ${entry.lastEnqueuedNight ?? 'no night yet'}`,
    '  settings of its own (the rest are the deployment\'s):',
    ...Object.entries(entry.settings).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => `    ${name}=${value}`),
  ].join('\n');
}

function parseAssignments(assignments: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    if (at < 1) throw new RolloutError('USAGE_INVALID', `tenants add --set: expected NAME=VALUE, e.g. --set MFA_WAVE_SIZE=100 (got an argument without a name before '=')`);
    settings[assignment.slice(0, at).trim()] = assignment.slice(at + 1);
  }
  return settings;
}
