import { randomBytes } from 'node:crypto';
import type { Config } from '../config/configSchema.js';
import { planPasskeySetup, type PasskeySetupOptions, type PasskeySetupPlan, type SetupWrite } from '../core/posture/planPasskeySetup.js';
import { planSetupRestore, type RestorePlan } from '../core/posture/planSetupRestore.js';
import type { TenantPosture } from '../core/posture/postureTypes.js';
import type { Logger } from '../log/logEvent.js';
import { readMethodsPolicy, writeCampaign, writeMethodConfiguration, type CampaignChange } from '../adapters/graph/methodsPolicy.js';
import type { SetupRecord } from '../adapters/tables/setupTable.js';
import { readTenantPosture } from './readTenantPosture.js';
import type { RolloutPorts } from './rolloutPorts.js';

type SetupPorts = Pick<RolloutPorts, 'gateway' | 'roster' | 'setup'>;

export interface SetupResult {
  readonly plan: PasskeySetupPlan;
  /** The record `--restore` takes (null: a dry run, or nothing to write). */
  readonly setupId: string | null;
  /** The posture after the writes (`apply`), or as it stands (dry run). */
  readonly posture: TenantPosture;
}

export interface RestoreResult {
  readonly record: SetupRecord;
  readonly plan: RestorePlan;
  readonly dryRun: boolean;
  readonly posture: TenantPosture;
}

async function write(ports: SetupPorts, target: SetupWrite['target'], body: Readonly<Record<string, unknown>>): Promise<void> {
  if (target === 'campaign') await writeCampaign(ports.gateway, body as CampaignChange);
  else await writeMethodConfiguration(ports.gateway, target, body);
}

/** `setup-20261215T010203Z-9f3a`: sortable by time, unique per run. */
/**
 * `setup-2026-12-02T07-38-00Z-1a2b`: the instant written as wave ids are (no run of seven digits, which the log
 * redactor would take for a phone number and write REDACTED), then two random bytes.
 */
function setupIdAt(now: Date): string {
  return `setup-${now.toISOString().replace(/:/g, '-').replace(/\.\d{3}/, '')}-${randomBytes(2).toString('hex')}`;
}

/**
 * `mfa-rollout setup-passkeys`: reads the methods policy, plans what the settings need (planPasskeySetup), and with
 * `apply` records the before-state first (so a run that stops part way can still be restored), makes the writes in
 * order, marks the record applied, and reads the posture again. A dry run writes nothing anywhere.
 */
export async function setupPasskeys(
  config: Config,
  ports: SetupPorts,
  logger: Logger,
  now: Date,
  options: PasskeySetupOptions & { readonly apply: boolean; readonly runId: string },
): Promise<SetupResult> {
  const policy = await readMethodsPolicy(ports.gateway);
  const plan = planPasskeySetup(policy, config, options);
  if (!options.apply || plan.writes.length === 0) return { plan, setupId: null, posture: await readTenantPosture(config, ports, now) };

  const record: SetupRecord = {
    id: setupIdAt(now),
    createdAt: now.toISOString(),
    runId: options.runId,
    targetMethod: config.targetMethod,
    campaignMode: config.campaignMode,
    writes: plan.writes,
    appliedAt: null,
    restoredAt: null,
  };
  await ports.setup.save(record);
  for (const change of plan.writes) {
    await write(ports, change.target, change.after);
    logger.event('setup.written', { setupId: record.id, target: change.target });
  }
  await ports.setup.save({ ...record, appliedAt: now.toISOString() });
  logger.event('setup.applied', { setupId: record.id, calls: plan.writes.length }, 'warn');
  return { plan, setupId: record.id, posture: await readTenantPosture(config, ports, now) };
}

/**
 * `mfa-rollout setup-passkeys --restore ID`: puts back the before-state a setup recorded, property by property,
 * where the policy still holds what the setup wrote (planSetupRestore; `force` restores the others too). Safe to run
 * twice: the second run finds nothing as the setup left it.
 */
export async function restorePasskeySetup(
  config: Config,
  ports: SetupPorts,
  logger: Logger,
  now: Date,
  options: { readonly setupId: string; readonly force: boolean; readonly dryRun: boolean },
): Promise<RestoreResult> {
  const record = await ports.setup.get(options.setupId);
  const policy = await readMethodsPolicy(ports.gateway);
  const plan = planSetupRestore(record.writes, policy, options.force);
  if (!options.dryRun) {
    for (const restore of plan.writes) {
      await write(ports, restore.target, restore.body);
      logger.event('setup.restored', { setupId: record.id, target: restore.target });
    }
    if (plan.writes.length > 0) await ports.setup.save({ ...record, restoredAt: now.toISOString() });
  }
  return { record, plan, dryRun: options.dryRun, posture: await readTenantPosture(config, ports, now) };
}
