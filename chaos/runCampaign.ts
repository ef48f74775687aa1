import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type AzuriteHandle } from '../rehearsal/startAzurite.js';
import { seededRandom } from './random.js';
import { planRound, type JourneyGroup, type KillPoint } from './roundPlan.js';
import { faultKindLabels, runRound, type FaultKindLabel, type RoundResult } from './runRound.js';

export interface CampaignOptions {
  readonly rounds: number;
  readonly seed: number;
  /** Users in each round's sandbox tenant. */
  readonly users: number;
  /** No new round starts after this long; the rounds not run are counted as skipped. */
  readonly timeLimitMs: number;
  /** Progress lines (one per round, and per run with `verbose`). */
  readonly log?: (line: string) => void;
  readonly verbose?: boolean;
  /** Called after each round, run or skipped, with the number of rounds done (for a progress bar). */
  readonly onRound?: (done: number) => void;
  /** Inject a fault where a write lands and its answer is lost within a run, in every round (see answerLossFault). Default true. */
  readonly answerLoss?: boolean;
}

/** The figures the campaign prints. Every "must be 0" figure is a sum over the rounds. */
export interface CampaignFigures {
  readonly seed: number;
  readonly roundsPlanned: number;
  readonly rounds: number;
  /** Rounds on the passkey track (the others: the phone track). */
  readonly passkeyRounds: number;
  readonly killPoints: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Readonly<Record<FaultKindLabel, number>>;
  /** Whether the rounds had answer-loss faults. */
  readonly answerLoss: boolean;
  readonly azuriteRestarts: number;
  readonly overlapsRefused: number;
  readonly corruptRowsReported: number;
  readonly runs: number;
  readonly failedRuns: number;
  readonly users: number;
  readonly usersEnforced: number;
  readonly lostRecords: number;
  readonly duplicateWrites: number;
  readonly usersWrittenTwice: number;
  readonly refusedRepeats: number;
  readonly unresolved: number;
  readonly breakGlassWrites: number;
  readonly enforcedWithoutMethod: number;
  /** Users the rollout could enforce that Graph does not show enforced, and no fault explains (must be 0). */
  readonly enforceableNotEnforced: number;
  /** Passkey track: members of the phishing-resistant group without a passkey at the end (must be 0). */
  readonly phishingResistantWithoutPasskey: number;
  /** Passkey track: users holding a passkey whose move (phishing-resistant, phone-retired group) is not done, no fault explaining it (must be 0). */
  readonly registeredNotMoved: number;
  /** Passkey track: memberships of the campaign, phishing-resistant and phone-retired groups the rollout added. */
  readonly journeyGroupAdds: number;
  /** Passkey track: kills that landed right after an add to each group took effect. */
  readonly killsAtGroupAdds: Readonly<Record<JourneyGroup, number>>;
  /** Enforceable users parked by the faults (every failure on record one the faults cause), listed in the findings. */
  readonly parkedByFaults: number;
  /** Rounds that could not finish cleanly, or lost a corrupt row's report. */
  readonly roundProblems: number;
  /** The first few findings, for a person to follow up. */
  readonly findings: readonly string[];
  readonly seconds: number;
  readonly machine: string;
}

/**
 * The chaos campaign: `rounds` randomized rounds (kills at write k or at a time, 503/504/429 bursts, malformed answers,
 * hung connections, slow answers, overlapping processes, Azurite restarts, corrupt rows), all on loopback, against one
 * on-disk Azurite (so it can be restarted) and a fresh sandbox tenant per round. Same seed, same plan.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignFigures> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const random = seededRandom(options.seed);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'mfa-chaos-azurite-'));
  let azurite: AzuriteHandle = await startAzurite({ location: folder });
  const results: RoundResult[] = [];
  try {
    for (let round = 1; round <= options.rounds; round += 1) {
      const plan = planRound(round, random, { users: options.users, answerLoss: options.answerLoss !== false });
      if (performance.now() - started > options.timeLimitMs) {
        log(`round ${round}: not started (time limit reached)`);
        options.onRound?.(round);
        continue;
      }
      const result = await runRound(plan, {
        azurite: () => azurite,
        restartAzurite: async () => {
          const port = azurite.port;
          await azurite.stop();
          azurite = await startAzurite({ location: folder, port });
        },
        ...(options.verbose === true ? { log } : {}),
      });
      results.push(result);
      const check = result.check;
      const bad = check.lostRecords.length + check.duplicateWrites + check.writtenTwice.length + check.unresolved.length + result.problems.length
        + check.enforceableNotEnforced.length + check.phishingResistantWithoutPasskey.length + check.registeredNotMoved.length;
      log(
        `round ${round}: ${plan.track} track, ${plan.strategy}${plan.useBatch ? ' batch' : ''}, ${result.kills} of ${plan.kills.length + plan.moveKills.length} planned kill(s) (at ${[...plan.kills, ...plan.moveKills].map(describeKill).join(', ')}; a kill planned after the run's last write never happens)`
          + `, ${result.faultsInjected} fault(s)${plan.overlap ? ', overlap' : ''}${result.azuriteRestarts > 0 ? ', Azurite restart' : ''}${plan.corruptRows > 0 ? `, ${plan.corruptRows} corrupt row(s)` : ''}`
          + `, ${result.runs} runs in ${(result.ms / 1000).toFixed(1)} s: ${bad === 0 ? 'ok' : 'FAIL'} (${Object.entries(check.states).map(([state, count]) => `${state} ${count}`).join(', ')})`,
      );
      options.onRound?.(round);
    }
  } finally {
    await azurite.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const sum = (value: (result: RoundResult) => number) => results.reduce((total, result) => total + value(result), 0);
  const findings = results.flatMap((result) => [
    ...result.problems,
    ...result.check.lostRecords,
    ...result.check.writtenTwice,
    ...result.check.unresolved,
    ...result.check.enforceableNotEnforced,
    ...result.check.phishingResistantWithoutPasskey,
    ...result.check.registeredNotMoved,
    ...(result.check.duplicateWrites > 0 ? [`${result.check.duplicateWrites} duplicate write(s) by the sandbox's detector`] : []),
  ].map((finding) => `round ${result.plan.round} (seed ${result.plan.seed}): ${finding}`));
  const parked = results.flatMap((result) => result.check.parkedByFaults.map((line) => `round ${result.plan.round} (seed ${result.plan.seed}): ${line}`));
  return {
    seed: options.seed,
    roundsPlanned: options.rounds,
    rounds: results.length,
    passkeyRounds: results.filter((result) => result.plan.track === 'passkey').length,
    killPoints: sum((result) => result.kills),
    faultsInjected: sum((result) => result.faultsInjected),
    faultsByKind: Object.fromEntries(Object.keys(faultKindLabels).map((kind) => [kind, sum((result) => result.faultsByKind[kind as FaultKindLabel])])) as Record<FaultKindLabel, number>,
    answerLoss: options.answerLoss !== false,
    azuriteRestarts: sum((result) => result.azuriteRestarts),
    overlapsRefused: sum((result) => result.overlapsRefused),
    corruptRowsReported: sum((result) => result.corruptRowsReported),
    runs: sum((result) => result.runs),
    failedRuns: sum((result) => result.failedRuns),
    users: sum((result) => result.check.users),
    usersEnforced: sum((result) => result.check.states['enforced'] ?? 0),
    lostRecords: sum((result) => result.check.lostRecords.length),
    duplicateWrites: sum((result) => result.check.duplicateWrites),
    usersWrittenTwice: sum((result) => result.check.writtenTwice.length),
    refusedRepeats: sum((result) => result.check.refusedRepeats.length),
    unresolved: sum((result) => result.check.unresolved.length),
    breakGlassWrites: sum((result) => result.check.breakGlassWrites),
    enforcedWithoutMethod: sum((result) => result.check.enforcedWithoutMethod),
    enforceableNotEnforced: sum((result) => result.check.enforceableNotEnforced.length),
    phishingResistantWithoutPasskey: sum((result) => result.check.phishingResistantWithoutPasskey.length),
    registeredNotMoved: sum((result) => result.check.registeredNotMoved.length),
    journeyGroupAdds: sum((result) => result.journeyGroupAdds),
    killsAtGroupAdds: { campaign: sum((result) => result.killsAtGroupAdds.campaign), phishingResistant: sum((result) => result.killsAtGroupAdds.phishingResistant), phoneRetired: sum((result) => result.killsAtGroupAdds.phoneRetired) },
    parkedByFaults: sum((result) => result.check.parkedByFaults.length),
    roundProblems: sum((result) => result.problems.length),
    findings: [...findings.slice(0, 20), ...parked.slice(0, 10).map((line) => `${line} (explained)`)],
    seconds: Math.round((performance.now() - started) / 100) / 10,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`,
  };
}

/** True when every must-be-zero figure is zero. */
export function campaignPassed(figures: CampaignFigures): boolean {
  return figures.lostRecords === 0 && figures.duplicateWrites === 0 && figures.usersWrittenTwice === 0 && figures.unresolved === 0
    && figures.breakGlassWrites === 0 && figures.enforcedWithoutMethod === 0 && figures.enforceableNotEnforced === 0
    && figures.phishingResistantWithoutPasskey === 0 && figures.registeredNotMoved === 0 && figures.roundProblems === 0 && figures.rounds > 0;
}

/** The figures as printed (and quoted in docs/reliability.md). */
export function renderFigures(figures: CampaignFigures): string {
  const line = (label: string, value: string | number) => `  ${label.padEnd(44)} ${value}`;
  return [
    `Chaos campaign, seed ${figures.seed}: ${figures.rounds} of ${figures.roundsPlanned} rounds in ${figures.seconds} s`,
    line('rounds', `${figures.rounds} (${figures.rounds - figures.passkeyRounds} phone track, ${figures.passkeyRounds} passkey track)`),
    line('kill points (SIGKILL of a run-wave process)', figures.killPoints),
    line('faults injected', `${figures.faultsInjected}${figures.answerLoss ? '' : ' (answer loss off: --no-answer-loss)'}`),
    ...Object.entries(faultKindLabels).map(([kind, label]) => line(`  ${label}`, figures.faultsByKind[kind as FaultKindLabel])),
    line('second processes refused by the lease', figures.overlapsRefused),
    line('corrupt rows reported by name and skipped', figures.corruptRowsReported),
    line('run-wave processes', `${figures.runs} (${figures.failedRuns} stopped on an error, not killed)`),
    line('users', `${figures.users} (${figures.usersEnforced} enforced)`),
    line('lost records (must be 0)', figures.lostRecords),
    line('duplicate writes (must be 0)', figures.duplicateWrites),
    line('users written twice (must be 0)', figures.usersWrittenTwice),
    line('users not in a final or resumable state (must be 0)', figures.unresolved),
    line('writes to break-glass accounts (must be 0)', figures.breakGlassWrites),
    line('users required to do MFA without a method (must be 0)', figures.enforcedWithoutMethod),
    line('enforceable users not enforced in Graph (must be 0)', figures.enforceableNotEnforced),
    line('  enforceable users parked by the faults (explained)', figures.parkedByFaults),
    line('passkey track: campaign/phishing-resistant/phone-retired adds', figures.journeyGroupAdds),
    line('  kills right after such an add (campaign, p-r, phone-retired)', `${figures.killsAtGroupAdds.campaign}, ${figures.killsAtGroupAdds.phishingResistant}, ${figures.killsAtGroupAdds.phoneRetired}`),
    line('in the phishing-resistant group without a passkey (must be 0)', figures.phishingResistantWithoutPasskey),
    line('users with a passkey not moved on (must be 0)', figures.registeredNotMoved),
    line('rounds without a clean finish (must be 0)', figures.roundProblems),
    line('refused repeats (a write Graph refused as already done)', figures.refusedRepeats),
    line('machine', figures.machine),
    ...(figures.findings.length > 0 ? ['Findings:', ...figures.findings.map((finding) => `  ${finding}`)] : []),
    campaignPassed(figures) ? 'PASSED' : 'FAILED',
  ].join('\n');
}

function describeKill(kill: KillPoint): string {
  switch (kill.kind) {
    case 'afterWrite':
      return `write ${kill.write}`;
    case 'atTime':
      return `${kill.msAfterFirstWrite} ms into the writes`;
    case 'afterGroupAdd':
      return `${kill.group} add ${kill.write}`;
  }
}
