import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { explainSyncHold } from '../core/explainSyncHold.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import type { BreakGlassPosture } from '../core/assessBreakGlass.js';
import type { WavePlan } from '../core/wavePlan.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { graphPermissions } from '../adapters/graph/graphPermissions.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import { checkPermissions, type PermissionCheck } from './checkPermissions.js';
import { checkBreakGlass } from './checkBreakGlass.js';
import { withImportedPilot } from './importPilot.js';
import { refreshRoster } from './refreshRoster.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** Something that stops tonight's run before it touches anyone (the night would be recorded as held). */
export interface NightHold {
  readonly kind: 'permissions' | 'syncGate';
  readonly reason: string;
}

export interface DryRun {
  readonly permissions: PermissionCheck;
  /** Null when the token lacks the permission to read `/organization` (the permissions hold says which). */
  readonly health: SyncHealth | null;
  /** What would hold tonight's run, in the order the run checks them; empty: it runs. */
  readonly holds: readonly NightHold[];
  /** The roster was read from Graph first (asked for, and the token may read the users and groups). */
  readonly refreshed: boolean;
  /** The break-glass check (every entry resolved, or the plan refused with BREAK_GLASS_UNRESOLVED) and the privileged accounts. */
  readonly breakGlass: BreakGlassPosture;
  readonly plan: WavePlan;
  readonly corruptRows: readonly string[];
}

/**
 * The dry run behind `mfa-rollout plan`: the Graph permissions of the app's token, the tenant gate, the break-glass
 * check, optionally a
 * roster refresh (table writes only), and the plan of the next wave with the reason every other user waits.
 * No Graph write, no lease. The plan is computed even when something holds the night: it is what would run once
 * the hold is lifted.
 */
export async function planNight(settingsConfig: Config, ports: RolloutPorts, logger: Logger, now: Date, options: { refresh: boolean; runId: string; onRefreshProgress?: (users: number) => void }): Promise<DryRun> {
  const config = await withImportedPilot(settingsConfig, ports);
  const permissions = await checkPermissions(config, ports);
  const holds: NightHold[] = [];
  if (permissions.verdict === 'missing') holds.push({ kind: 'permissions', reason: permissions.reason });
  const canRead = (permission: string) => permissions.verdict !== 'missing' || !permissions.missing.some((entry) => entry.permission === permission);
  const health = canRead(graphPermissions.readOrganization) ? syncHealth(await readOrganization(ports.gateway), config, now) : null;
  const syncHold = health === null ? null : explainSyncHold(health, config);
  if (syncHold !== null) holds.push({ kind: 'syncGate', reason: syncHold });
  const breakGlass = await checkBreakGlass(config, ports, logger, now, { persist: false });
  const refreshed = options.refresh && canRead(graphPermissions.readUsers) && canRead(graphPermissions.readGroupMembers);
  if (refreshed) await refreshRoster(ports.gateway, ports.roster, config, options.runId, logger, options.onRefreshProgress);
  const planner = createWavePlanner(await ports.waves.history(), config, now);
  const corruptRows: string[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) corruptRows.push(row.userId);
    else planner.add(row.user);
  }
  return { permissions, health, holds, refreshed, breakGlass, plan: planner.finish(), corruptRows };
}
