import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import { usersGoingStraightToEnforced } from '../core/perUserStateRule.js';
import { createTrackPlanner, trackCounts, type TrackCounts } from '../core/journey/createTrackPlanner.js';
import type { TenantPosture } from '../core/posture/postureTypes.js';
import { explainSyncHold } from '../core/explainSyncHold.js';
import { syncHealth, type SyncHealth } from '../core/syncHealth.js';
import type { BreakGlassPosture } from '../core/assessBreakGlass.js';
import type { WavePlan } from '../core/wavePlan.js';
import type { Logger } from '../log/logEvent.js';
import { readOrganization } from '../adapters/graph/directoryReads.js';
import { graphPermissions } from '../adapters/graph/graphPermissions.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import { checkPermissions, type PermissionCheck } from './checkPermissions.js';
import { checkBreakGlass } from './checkBreakGlass.js';
import { withImportedPilot } from './importPilot.js';
import { decideNightPosture, postureHeldReason, readNightAvailability } from './nightAvailability.js';
import { readNightRoster, trackCandidates } from './readNightRoster.js';
import { readTenantPosture } from './readTenantPosture.js';
import { refreshRoster } from './refreshRoster.js';
import type { RolloutPorts } from './rolloutPorts.js';

/** Something that stops tonight's run before it touches anyone (the night would be recorded as held). */
export interface NightHold {
  readonly kind: 'permissions' | 'syncGate' | 'posture';
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
  readonly plan: WavePlan<unknown>;
  /** The users already in the journey: who moves on tonight, who is looked at, who is left for later nights. */
  readonly track: TrackCounts;
  /** The tenant's methods posture (null: the token may not read the methods policy; the permissions hold says so). */
  readonly posture: TenantPosture | null;
  readonly corruptRows: readonly string[];
  /** MFA_PER_USER_STATE=enabled: tonight's users who go straight to `enforced` (Graph's rule); null when it does not apply. */
  readonly straightToEnforced: number | null;
}

/**
 * The dry run behind `mfa-rollout plan`: the Graph permissions of the app's token, the tenant gate, the break-glass
 * check, the methods posture, optionally a roster refresh (table writes only), and the plan of the next night as the
 * night makes it: who enters, who is announced, who moves on and who is looked at, and why every other user waits.
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
  // the night's own view of what each user can do MFA with (the methods policy, the calendar, Global Administrators)
  const known = canRead(graphPermissions.readMethodsPolicy) ? await readNightAvailability(config, ports, logger, now) : null;
  const refreshed = options.refresh && canRead(graphPermissions.readUsers) && canRead(graphPermissions.readGroupMembers);
  const refresh = refreshed ? await refreshRoster(ports.gateway, ports.roster, config, options.runId, logger, options.onRefreshProgress, known?.postureGroupIds ?? []) : null;

  const planner = createWavePlanner<RosterRow>(await ports.waves.history(), config, now, known === null ? {} : { availability: known.availability });
  const track = createTrackPlanner<RosterRow>(config, { maxAdvance: config.maxWaveSize, checksPerNight: config.checksPerNight }, now);
  const globalAdminIds = known?.globalAdminIds ?? new Set<string>();
  const roster = await readNightRoster(ports.roster.rows(), planner, config, { planner: track, globalAdminIds });
  // the night reconciles these first; the plan counts them as they stand
  const toCandidate = trackCandidates(config, globalAdminIds);
  for (const row of roster.inFlight) {
    planner.add(row.user, row);
    const candidate = toCandidate(row);
    if (candidate !== null) track.add(candidate);
  }
  const plan = planner.finish();
  const trackPlan = track.finish(plan.status === 'halted' ? 0 : plan.targetSize);

  // with a refresh, the posture the night would decide; without, the posture from the roster as stored and live group reads
  const posture = known === null ? null : refresh !== null ? decideNightPosture(known, config, now, roster.preflight.rolloutUserIds, refresh) : await readTenantPosture(config, ports, now);
  if (posture?.blocked === true) holds.push({ kind: 'posture', reason: postureHeldReason(posture) });
  return { permissions, health, holds, refreshed, breakGlass, plan, track: trackCounts(trackPlan), posture, corruptRows: roster.corruptRows, straightToEnforced: usersGoingStraightToEnforced(config, plan) };
}
