import { loadConfig } from '../shared/config/loadConfig.js';
import { createWavePlanner } from '../shared/core/createWavePlanner.js';
import type { RolloutProgress, RosterUser } from '../shared/core/rosterUser.js';
import { noJourneyCounts, type WaveSummary } from '../shared/core/waveHistory.js';
import { toDirectoryUser } from '../shared/shell/refreshRoster.js';
import { seedTenant } from '../sandbox/tenant/seedTenant.js';

export interface PlanningResult {
  readonly rows: number;
  /** Median of `runs` plannings of the same night, seconds. */
  readonly seconds: number;
  readonly runs: readonly number[];
  readonly planned: number;
  readonly announced: number;
  readonly probes: number;
  readonly targetSize: number;
  readonly waiting: Readonly<Record<string, number>>;
}

const dayMs = 86_400_000;

/**
 * Planning one wave out of `rows` roster rows (the pure core, `createWavePlanner`: rings, readiness, exclusions,
 * notice, ramp-up, halt), timed three times. The rows are the sandbox's generated tenant as a roster refresh stores
 * it (`toDirectoryUser`), in the middle of a rollout: six waves done (pilot, then 50 to 800), the pilot group and 2 %
 * of the other users enforced, 3 % announced five days ago, the rest new, methods probed for half of the users.
 */
export async function planningBench(options: { rows: number; seed: number }): Promise<PlanningResult> {
  const seeded = seedTenant({ seed: options.seed, size: options.rows, homeCountry: 'SE' });
  const { manifest } = seeded;
  const config = loadConfig({
    MFA_TABLES_CONNECTION: 'UseDevelopmentStorage=true',
    MFA_BREAK_GLASS: manifest.breakGlass.map((account) => account.id).join(','),
    MFA_EXCLUSION_GROUP_ID: manifest.groups.exclusion,
    MFA_EXCLUDE_UPN_PATTERNS: 'Sync_*,ADToAADSyncServiceAccount*,svc-*',
    MFA_PILOT_GROUP_ID: manifest.groups.pilot,
    MFA_RINGS: JSON.stringify(manifest.groups.rings.map((ring, index) => ({ name: `ring-${index + 1}`, groupId: ring.id }))),
    MFA_DEFAULT_PHONE_REGION: manifest.homeCountry,
    MFA_CAMPAIGN_GROUP_ID: manifest.groups.campaign,
    MFA_PHONE_RETIRED_GROUP_ID: manifest.groups.phoneRetired,
  });
  const now = new Date('2026-12-20T01:00:00Z');
  const groupsOf = new Map<string, string[]>();
  for (const group of seeded.groups) for (const member of group.memberIds) groupsOf.set(member, [...(groupsOf.get(member) ?? []), group.id]);
  const pilot = new Set(seeded.groups.find((group) => group.id === manifest.groups.pilot)?.memberIds ?? []);
  const rows: RosterUser[] = seeded.users.map((user, index) => {
    const lastSync = user.lastSyncAgeMinutes === null ? null : new Date(now.getTime() - user.lastSyncAgeMinutes * 60_000).toISOString();
    const directory = toDirectoryUser({ ...user, onPremisesLastSyncDateTime: lastSync }, groupsOf.get(user.id) ?? [], config);
    return { directory: { ...directory, methods: index % 2 === 0 ? 'none' : 'unknown' }, progress: pilot.has(user.id) ? enforced(now) : progressOf(index, now), present: true };
  });
  const history = [0, 50, 100, 200, 400, 800].map((size, night) => wave(night, size, now));

  const runs: number[] = [];
  let plan;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const planner = createWavePlanner(history, config, now);
    for (const row of rows) planner.add(row);
    plan = planner.finish();
    runs.push((performance.now() - started) / 1000);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  if (plan === undefined) throw new Error('no plan');
  return {
    rows: rows.length,
    seconds: sorted[1] ?? sorted[0] ?? 0,
    runs: runs.map((seconds) => Math.round(seconds * 1000) / 1000),
    planned: plan.enforce.length,
    announced: plan.announce.length,
    probes: plan.probe.length,
    targetSize: plan.targetSize,
    waiting: Object.fromEntries(Object.entries(plan.waiting).filter(([, count]) => count > 0)),
  };
}

/** A user who entered three nights ago on the phone bridge: mobile created, MFA required, in the campaign, not registered yet. */
function enforced(now: Date): RolloutProgress {
  const at = new Date(now.getTime() - 3 * dayMs).toISOString();
  const step = { waveId: 'w', at, wrote: true };
  return {
    state: 'active',
    journey: {
      enteredWaveId: 'w', enteredAt: at, announcedAt: null, enforceFrom: null, entryCompleteAt: at,
      steps: { phoneMethod: { ...step, action: 'create' }, enforceMfa: { ...step, previousMfaState: 'disabled', via: 'perUserMfa' }, joinCampaign: { ...step, groupId: 'campaign' } },
      phoneConflict: false, registration: null, lastCheckedAt: null, methods: null, mfaSeenAt: null, attempts: 0,
    },
  };
}

function progressOf(index: number, now: Date): RolloutProgress {
  if (index % 50 === 1) return enforced(now);
  if (index % 33 === 2) return { state: 'announced', waveId: 'w', announcedAt: new Date(now.getTime() - 5 * dayMs).toISOString() };
  return { state: 'new' };
}

function wave(night: number, size: number, now: Date): WaveSummary {
  const startedAt = new Date(now.getTime() - (7 - night) * dayMs).toISOString();
  return {
    waveId: `bench-${night}`, kind: 'enforce', status: 'completed', startedAt, endedAt: startedAt, pilot: night === 0, targetSize: size === 0 ? 20 : size,
    planned: size === 0 ? 20 : size, announced: 0, attempted: size === 0 ? 20 : size, enforced: size === 0 ? 20 : size, alreadyDone: 0, phoneMethodsRegistered: 0,
    failed: 0, skipped: {}, reason: null, topErrors: [], targetWaveId: null, configHash: 'bench', journey: noJourneyCounts,
  };
}
