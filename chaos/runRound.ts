import { TableClient } from '@azure/data-tables';
import { rosterPartitionKey } from '../shared/adapters/tables/rosterTable.js';
import type { AzuriteHandle } from '../rehearsal/startAzurite.js';
import { checkRollout, type RolloutCheck } from './checkRollout.js';
import type { ProcessResult, RolloutProcess } from './rolloutProcess.js';
import { startLab, type RolloutLab } from './rolloutLab.js';
import { chaosGraphTimeoutSeconds, type JourneyGroup, type KillPoint, type RoundPlan } from './roundPlan.js';
import type { KillAt } from './rolloutLab.js';
import { exitCodes } from '../shared/cli/exitCodes.js';
import { isCorruptRow } from '../shared/adapters/tables/rosterTable.js';
import { passkeyTrackSettings } from '../rehearsal/sandboxSettings.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';
import { seededRandom } from './random.js';

/** A run-wave that ended as designed: done, or a held night, a halt or a time-budget stop (their own exit codes). */
const endedNormally = (code: number | null): boolean => [exitCodes.ok, exitCodes.held, exitCodes.halted, exitCodes.stopped].some((exit) => exit.code === code);

/** What one round did and found. */
export interface RoundResult {
  readonly plan: RoundPlan;
  /** SIGKILLs delivered to rollout processes. */
  readonly kills: number;
  /** Answers the sandbox broke on purpose (503/504/429/malformed/hung/lost/slowed), plus Azurite restarts and corrupt rows. */
  readonly faultsInjected: number;
  /** The same, by kind (`faultKindLabels`). */
  readonly faultsByKind: Readonly<Record<FaultKindLabel, number>>;
  /** Second processes that found the lease held and exited at once. */
  readonly overlapsRefused: number;
  readonly azuriteRestarts: number;
  /** Runs (child processes) in the round. */
  readonly runs: number;
  /** Runs that ended with an error exit (not killed): a table or Graph failure the run stopped on. */
  readonly failedRuns: number;
  /** Corrupt rows that the runs reported by name (`roster.corruptRow`). */
  readonly corruptRowsReported: number;
  readonly check: RolloutCheck;
  /** Kills that landed right after an add to each passkey-track group took effect. */
  readonly killsAtGroupAdds: Readonly<Record<JourneyGroup, number>>;
  /** Successful adds to the campaign, phishing-resistant and phone-retired groups (passkey track). */
  readonly journeyGroupAdds: number;
  /** Something the round itself could not do (no clean finish within the runs allowed). */
  readonly problems: readonly string[];
  readonly ms: number;
}

export interface RoundEnvironment {
  readonly azurite: () => AzuriteHandle;
  /** Restarts Azurite on the same port with the same folder (on-disk persistence). */
  readonly restartAzurite: () => Promise<void>;
  readonly log?: (line: string) => void;
}

const finishRuns = 6;

/** The kinds of fault a round counts, as the campaign prints them. */
export const faultKindLabels = {
  serviceUnavailable503: '503 serviceNotAvailable',
  gatewayTimeout504: '504 gateway timeout',
  throttled429: '429 below the quota',
  malformed: 'malformed answers',
  hung: 'hung requests (nothing applied)',
  answersLost: 'lost answers (applied, never answered)',
  slowed: 'slowed answers (some past the client timeout)',
  azuriteRestarts: 'Azurite restarts',
  corruptRows: 'corrupt roster rows',
} as const;
export type FaultKindLabel = keyof typeof faultKindLabels;

/**
 * One chaos round: a fresh sandbox tenant and fresh tables; the planned faults; one `mfa-rollout run-wave` process
 * per kill point, each SIGKILLed at its point (the dead run's lease is then expired, as waiting it out would); then
 * clean runs (faults cleared, `resume` after a halt) until a night has nothing left to do; then the invariants.
 */
export async function runRound(plan: RoundPlan, environment: RoundEnvironment): Promise<RoundResult> {
  const started = performance.now();
  const log = environment.log ?? (() => undefined);
  const lab = await startLab({
    azurite: environment.azurite,
    label: `r${plan.round}`,
    sandbox: { users: plan.users, seed: plan.seed, faults: { seed: plan.seed, latency: { minMs: 0, maxMs: 8 } } },
    settings: {
      MFA_STRATEGY: plan.strategy,
      MFA_GRAPH_USE_BATCH: String(plan.useBatch),
      MFA_GRAPH_TIMEOUT_SECONDS: String(chaosGraphTimeoutSeconds),
      MFA_GRAPH_CONCURRENCY: '8',
      ...(plan.track === 'passkey' ? passkeyTrackSettings : {}),
    },
    ...(plan.track === 'passkey' ? { tenantSettings: (sandbox: SandboxHandle) => ({ MFA_PHISHING_RESISTANT_GROUP_ID: sandbox.manifest.groups.phishingResistant }) } : {}),
  });
  const problems: string[] = [];
  let kills = 0;
  let runs = 0;
  let failedRuns = 0;
  let overlapsRefused = 0;
  let azuriteRestarts = 0;
  const killsAtGroupAdds: Record<JourneyGroup, number> = { campaign: 0, phishingResistant: 0, phoneRetired: 0 };
  const stderr: string[] = [];
  try {
    const corrupted = await corruptRows(lab, environment.azurite, plan.corruptRows);
    const longestLatency = Math.max(0, ...plan.faults.map((fault) => (fault.kind === 'latency' ? fault.maxMs : 0)));

    // a run the faults stopped before the kill point (a 503 storm at the start, say) is run again, twice at most
    const killedRuns = async (points: RoundPlan['kills'], phase: 'entry' | 'move'): Promise<void> => {
      for (const [index, kill] of points.entries()) {
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const first = phase === 'entry' && index === 0 && attempt === 0;
          const children = [lab.spawn(), ...(first && plan.overlap ? [lab.spawn()] : [])];
          const restart = phase === 'entry' && plan.restartAzurite?.run === index && attempt === 0 ? restartAtWrite(lab, environment, plan.restartAzurite.write, children) : null;
          const killed = await lab.killAt(children, killAt(lab, kill));
          if (killed > 0 && kill.kind === 'afterGroupAdd') killsAtGroupAdds[kill.group] += 1;
          const results = await Promise.all(children.map((child) => child.done));
          if (restart !== null) azuriteRestarts += await restart;
          runs += results.length;
          kills += killed;
          let stoppedEarly = false;
          for (const result of results) {
            stderr.push(result.stderr);
            if (result.code === exitCodes.leaseHeld.code) overlapsRefused += 1;
            else if (!result.killed && !endedNormally(result.code)) {
              failedRuns += 1;
              stoppedEarly = true;
            }
            log(`  ${phase} run: ${describe(result)}`);
          }
          await lab.settle(longestLatency);
          await lab.expireLease();
          if (killed > 0 || !stoppedEarly) break;
        }
      }
    };

    if (plan.track === 'passkey') {
      // the methods policy and the campaign as the passkey track needs them, written once before the faults
      const setup = await lab.run(['setup-passkeys', '--apply']);
      runs += 1;
      stderr.push(setup.stderr);
      if (setup.code !== 0) problems.push(`setup-passkeys --apply exited ${setup.code}: ${describe(setup)}`);
    }
    for (const fault of plan.faults) lab.sandbox.traffic.addFault(fault);
    await killedRuns(plan.kills, 'entry');
    if (plan.track === 'passkey') {
      // most of the nudged register a passkey; a night passes; the run that sees them moves them on, and is killed
      registerPasskeys(lab, plan);
      await ageLooks(lab);
      await killedRuns(plan.moveKills, 'move');
    }

    lab.sandbox.traffic.clearFaults();
    let finished = false;
    for (let attempt = 0; attempt < finishRuns && !finished; attempt += 1) {
      const result = await lab.run();
      runs += 1;
      stderr.push(result.stderr);
      log(`  finish: ${describe(result)}`);
      if (!endedNormally(result.code)) {
        failedRuns += 1;
        await lab.expireLease();
        continue;
      }
      if (result.stdout.includes('Nothing to do tonight.')) finished = true;
      else if (result.stdout.includes('Rollout halted')) {
        const resumed = await lab.run(['resume', '--note', 'chaos round: faults cleared']);
        runs += 1;
        stderr.push(resumed.stderr);
      }
    }
    if (!finished) problems.push(`no clean night within ${finishRuns} runs after the faults`);

    const { config, rollout } = await lab.open();
    const check = await checkRollout({ sandbox: lab.sandbox, config, ports: rollout.ports, corruptedOnPurpose: corrupted });
    const injected = lab.sandbox.traffic.stats().injected;
    const faultsByKind: Record<FaultKindLabel, number> = {
      serviceUnavailable503: injected.serviceUnavailable503,
      gatewayTimeout504: injected.gatewayTimeout504,
      throttled429: injected.throttled429,
      malformed: Object.values(injected.malformed).reduce((sum, count) => sum + count, 0),
      hung: injected.hung,
      answersLost: injected.answersLost,
      slowed: injected.slowed,
      azuriteRestarts,
      corruptRows: corrupted.size,
    };
    const faultsInjected = Object.values(faultsByKind).reduce((sum, count) => sum + count, 0);
    const reported = new Set<string>();
    for (const text of stderr) {
      for (const line of text.split('\n')) {
        if (!line.includes('"roster.corruptRow"')) continue;
        const userId = (JSON.parse(line) as { userId?: string }).userId;
        if (userId !== undefined) reported.add(userId);
      }
    }
    const corruptRowsReported = [...corrupted].filter((userId) => reported.has(userId)).length;
    if (corruptRowsReported < corrupted.size) problems.push(`${corrupted.size - corruptRowsReported} corrupt row(s) never reported by name`);
    const journeyGroups = new Set([config.campaignGroupId, config.phishingResistantGroupId, config.phoneRetiredGroupId].filter((id): id is string => id !== undefined).map((id) => id.toLowerCase()));
    const journeyGroupAdds = plan.track === 'passkey'
      ? lab.sandbox.journal.entries().filter((entry) => entry.operation === 'groups.addMember' && entry.status < 300 && journeyGroups.has(String(entry.detail['groupId'] ?? '').toLowerCase())).length
      : 0;
    return { plan, journeyGroupAdds, killsAtGroupAdds, kills, faultsInjected, faultsByKind, overlapsRefused, azuriteRestarts, runs, failedRuns, corruptRowsReported, check, problems, ms: Math.round(performance.now() - started) };
  } finally {
    await lab.close();
  }
}

function describe(result: ProcessResult): string {
  const said = result.stdout.trim().split('\n').at(-1) ?? '';
  const error = result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{')).at(-1) ?? '';
  return `${result.killed ? 'KILLED' : `exit ${result.code}`} in ${result.ms} ms ${said.slice(0, 160)} ${error.slice(0, 200)}`.trim();
}

/** Restarts Azurite right after the sandbox journals the write-th write (mid-wave); resolves with 1 once it is back, 0 if the run ended first. */
function restartAtWrite(lab: RolloutLab, environment: RoundEnvironment, write: number, children: readonly RolloutProcess[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let started = false;
    const stopWatching = lab.writes.onWrite(() => {
      seen += 1;
      if (seen !== write) return;
      stopWatching();
      started = true;
      environment.restartAzurite().then(() => resolve(1), reject);
    });
    void Promise.all(children.map((child) => child.done)).then(() => {
      stopWatching();
      if (!started) resolve(0);
    });
  });
}

/** Writes `count` roster rows in an unknown state for real users, before the first run: each must be reported and skipped. */
async function corruptRows(lab: RolloutLab, azurite: () => AzuriteHandle, count: number): Promise<Set<string>> {
  const corrupted = new Set<string>();
  if (count === 0) return corrupted;
  const table = TableClient.fromConnectionString(azurite().connectionString, `${lab.settings['MFA_TABLE_PREFIX']}Roster`, { allowInsecureConnection: true });
  await table.createTable();
  const ready = lab.sandbox.manifest.users.filter((user) => user.category === 'ready');
  for (const user of ready.slice(0, count)) {
    await table.upsertEntity({ partitionKey: rosterPartitionKey(lab.config.rolloutId, user.id), rowKey: user.id, state: 'halfDone', upn: user.upn }, 'Replace');
    corrupted.add(user.id);
  }
  return corrupted;
}

/** Passkey track: `plan.registerShare` of the campaign group's members (drawn from the round's seed) register a synced passkey. */
function registerPasskeys(lab: RolloutLab, plan: RoundPlan): number {
  const random = seededRandom(plan.seed);
  const { campaign } = lab.sandbox.manifest.groups;
  let registered = 0;
  for (const user of lab.sandbox.state.users) {
    if (!lab.sandbox.state.isGroupMember(campaign, user.id) || !random.chance(plan.registerShare)) continue;
    lab.sandbox.controls.registerMethod(user.id, 'passkeySynced');
    registered += 1;
  }
  return registered;
}

/** Moves every journey's last look two days back, as two nights passing would (the CLI runs on the real clock). */
async function ageLooks(lab: RolloutLab): Promise<void> {
  const { rollout } = await lab.open();
  const back = new Date(Date.now() - 2 * 86_400_000).toISOString();
  for await (const row of rollout.ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const progress = row.user.progress;
    if (!('journey' in progress) || progress.journey.lastCheckedAt === null) continue;
    await rollout.ports.roster.writeProgress(row, { ...progress, journey: { ...progress.journey, lastCheckedAt: back } });
  }
}

/** Where the lab kills for a planned kill point (a group add: the k-th add to that group of the tenant). */
function killAt(lab: RolloutLab, kill: KillPoint): KillAt {
  switch (kill.kind) {
    case 'afterWrite':
      return { write: kill.write };
    case 'atTime':
      return { msAfterFirstWrite: kill.msAfterFirstWrite };
    case 'afterGroupAdd': {
      const groupId = lab.sandbox.manifest.groups[kill.group].toLowerCase();
      return { write: kill.write, only: (entry) => entry.operation === 'groups.addMember' && String(entry.detail['groupId'] ?? '').toLowerCase() === groupId };
    }
  }
}
