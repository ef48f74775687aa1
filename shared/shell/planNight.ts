import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { usersGoingStraightToEnforced } from '../core/perUserStateRule.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import type { WavePlan } from '../core/wavePlan.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import { withImportedPilot } from './importPilot.js';
import { refreshRoster } from './refreshRoster.js';
import type { RolloutPorts } from './rolloutPorts.js';

export interface DryRun {
  readonly health: SyncHealth;
  readonly plan: WavePlan;
  readonly corruptRows: readonly string[];
  /** MFA_PER_USER_STATE=enabled: tonight's users who go straight to `enforced` (Graph's rule); null when it does not apply. */
  readonly straightToEnforced: number | null;
}

/**
 * The dry run behind `mfa-rollout plan`: the tenant gate, optionally a roster refresh (table writes only),
 * and the plan of the next wave with the reason every other user waits. No Graph write, no lease.
 */
export async function planNight(settingsConfig: Config, ports: RolloutPorts, logger: Logger, now: Date, options: { refresh: boolean; runId: string; onRefreshProgress?: (users: number) => void }): Promise<DryRun> {
  const config = await withImportedPilot(settingsConfig, ports);
  const health = syncHealth(await readOrganization(ports.gateway), config, now);
  if (options.refresh) await refreshRoster(ports.gateway, ports.roster, config, options.runId, logger, options.onRefreshProgress);
  const planner = createWavePlanner(await ports.waves.history(), config, now);
  const corruptRows: string[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) corruptRows.push(row.userId);
    else planner.add(row.user);
  }
  const plan = planner.finish();
  return { health, plan, corruptRows, straightToEnforced: usersGoingStraightToEnforced(config, plan) };
}
