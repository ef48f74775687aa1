import type { FaultRule } from '../sandbox/faults/faultRules.js';
import type { Random } from './random.js';

/** Where a run is killed: right after the sandbox journals its k-th write, or at a random moment after its first write. */
export type KillPoint =
  | { readonly kind: 'afterWrite'; readonly write: number }
  /** Right after the sandbox journals the k-th add to one of the passkey track's groups (the add took effect, unanswered). */
  | { readonly kind: 'afterGroupAdd'; readonly group: JourneyGroup; readonly write: number }
  | { readonly kind: 'atTime'; readonly msAfterFirstWrite: number };

/** The passkey track's groups: the nudge (campaign), the enforcement (phishing-resistant), the SMS retirement (phone-retired). */
export type JourneyGroup = 'campaign' | 'phishingResistant' | 'phoneRetired';

/** One round of the campaign: a fresh tenant and fresh tables, then kills, faults and overlaps, then a clean finish. */
export interface RoundPlan {
  readonly round: number;
  /** Seed of the generated tenant and of the sandbox's fault draws. */
  readonly seed: number;
  readonly users: number;
  readonly strategy: 'perUserMfa' | 'conditionalAccessGroup';
  /**
   * `phone`: the phone bridge and MFA only (MFA_TARGET_METHOD=phone, customer-managed SMS). `passkey`: the product's
   * default track before the SMS retirement date: `setup-passkeys --apply`, then the entry (bridge, MFA, the campaign
   * group) under the kills; then most nudged users register a passkey and the move (the phishing-resistant and the
   * phone-retired groups) runs under `moveKills`.
   */
  readonly track: 'phone' | 'passkey';
  readonly useBatch: boolean;
  /** One killed run per kill point, in order; each rerun starts after the dead run's lease expired. */
  readonly kills: readonly KillPoint[];
  /** Passkey track: killed runs of the move, after the registrations (empty on the phone track). */
  readonly moveKills: readonly KillPoint[];
  /** Passkey track: the share of the campaign group's members who register a passkey before the move (the rest stay stragglers). */
  readonly registerShare: number;
  /** Sandbox fault rules active from the start of the round until the clean finish. */
  readonly faults: readonly FaultRule[];
  /** The first run is two processes started together on the same rollout. */
  readonly overlap: boolean;
  /** Azurite is restarted (same port, same folder) during the run of this kill point, right after its write-th write; or null. */
  readonly restartAzurite: { readonly run: number; readonly write: number } | null;
  /** Roster rows written unreadable before the first run (unknown state), to be reported and skipped. */
  readonly corruptRows: number;
}

const readOperations = ['users.list', 'users.read', 'methods.list', 'requirements.read', 'groups.listTransitiveMembers', 'organization.read', 'conditionalAccess.list'];
const writeOperations = ['phoneMethods.create', 'requirements.update', 'groups.addMember'];
/** The passkey track's reads besides the phone track's (its writes are all `groups.addMember`). */
const passkeyReadOperations = ['fido2Methods.list', 'methodsPolicy.read'];

/** The rollout's Graph client timeout in the campaign (MFA_GRAPH_TIMEOUT_SECONDS); injected latency stays below it. */
export const chaosGraphTimeoutSeconds = 3;

/**
 * A random fault the rollout must survive without losing or repeating anything: 503/504 bursts, 429 bursts, malformed
 * answers to reads, hung connections and slow answers. Each is one Graph would give before (or instead of) applying a
 * request, so a retry is always safe. In batch mode a hang is aimed at the `$batch` envelope: a hung item would hang its
 * whole batch after the other items took effect, which is an answer-loss fault (below).
 */
export function randomFault(random: Random, useBatch: boolean, track: RoundPlan['track'] = 'phone'): FaultRule {
  const reads = track === 'passkey' ? [...readOperations, ...passkeyReadOperations] : readOperations;
  const kind = random.pick(['unavailable', 'unavailable', 'throttle', 'malformed', 'malformed', 'hang', 'latency'] as const);
  const anyOperation = random.chance(0.3);
  const operations = anyOperation ? undefined : [random.pick([...reads, ...writeOperations, 'batch.send'])];
  const scope = { ...(operations === undefined ? {} : { operations }), count: random.int(1, 25) };
  switch (kind) {
    case 'unavailable':
      return { kind, status: random.pick([503, 504] as const), retryAfterSeconds: random.pick([null, 0, 1]), ...scope };
    case 'throttle':
      return { kind, retryAfterSeconds: random.pick([0, 1]), ...scope };
    case 'malformed':
      return { kind, shape: random.pick(['invalidJson', 'missingField', 'wrongType', 'emptyPageWithNextLink'] as const), operations: [random.pick(reads)], count: random.int(1, 6) };
    case 'hang':
      return { kind, operations: useBatch ? ['batch.send'] : [random.pick([...reads, ...writeOperations])], count: random.int(1, 3) };
    case 'latency':
      return { kind, minMs: 100, maxMs: random.int(200, 1200), ...scope };
  }
}

/** The writes a round's strategy and track make (a fault aimed at another write would never fire). */
export function strategyWrites(strategy: RoundPlan['strategy'], track: RoundPlan['track'] = 'phone'): string[] {
  const writes = ['phoneMethods.create', strategy === 'perUserMfa' ? 'requirements.update' : 'groups.addMember'];
  // the campaign, phishing-resistant and phone-retired groups
  return track === 'passkey' && !writes.includes('groups.addMember') ? [...writes, 'groups.addMember', 'groups.addMember'] : writes;
}

/**
 * A fault after which a write has taken effect but its answer never reaches the rollout, inside one run: a write
 * applied and never answered (`loseAnswer`; in batch mode the whole batch goes unanswered), a write answered later
 * than the client timeout, a write answered with a broken body, or (batch mode) a read that hangs the batch its
 * writes travel in. On by default (`--no-answer-loss` leaves them out).
 */
export function answerLossFault(random: Random, useBatch: boolean, strategy: RoundPlan['strategy'], track: RoundPlan['track'] = 'phone'): FaultRule {
  const kind = random.pick(['lostAnswer', 'lostAnswer', 'slowWrite', 'brokenWriteAnswer', ...(useBatch ? ['hungBatchItem' as const] : [])] as const);
  switch (kind) {
    case 'lostAnswer':
      return { kind: 'loseAnswer', operations: [random.pick(strategyWrites(strategy, track))], count: random.int(1, 3) };
    case 'slowWrite': {
      const beyond = chaosGraphTimeoutSeconds * 1000 + 500;
      return { kind: 'latency', minMs: beyond, maxMs: beyond + 1000, operations: [random.pick(strategyWrites(strategy, track))], count: random.int(1, 3) };
    }
    case 'brokenWriteAnswer':
      return { kind: 'malformed', shape: 'invalidJson', operations: ['phoneMethods.create'], count: random.int(1, 3) };
    case 'hungBatchItem':
      return { kind: 'hang', operations: [random.pick(['methods.list', 'requirements.read'])], count: 1 };
  }
}

const randomKill = (random: Random, writes: number): KillPoint =>
  random.chance(0.7) ? { kind: 'afterWrite', write: random.int(1, Math.max(2, writes)) } : { kind: 'atTime', msAfterFirstWrite: random.int(0, 1500) };

/**
 * `answerLoss` (default true): one answer-loss fault per round besides the others. Even rounds run the passkey
 * track, odd rounds the phone track (so any two rounds cover both). A passkey round's entry writes about three times
 * per ready user (bridge, MFA, campaign group) and its move twice per registered user; its kill points are drawn
 * over those, and it has fewer of them (1-2 in each phase), its runs being longer.
 */
export function planRound(round: number, random: Random, options: { readonly users: number; readonly answerLoss?: boolean }): RoundPlan {
  const track: RoundPlan['track'] = round % 2 === 0 ? 'passkey' : 'phone';
  const kills: KillPoint[] = [];
  if (track === 'passkey') {
    // one kill at a campaign-group add, and maybe one anywhere in the entry's writes
    kills.push({ kind: 'afterGroupAdd', group: 'campaign', write: random.int(1, Math.max(2, Math.round(options.users * 0.3))) });
    if (random.chance(0.5)) kills.push(randomKill(random, Math.round(options.users * 1.5)));
  } else {
    for (let index = random.int(1, 3); index > 0; index -= 1) kills.push(randomKill(random, Math.round(options.users * 0.9)));
  }
  const strategy = random.chance(0.75) ? 'perUserMfa' : 'conditionalAccessGroup';
  const useBatch = random.chance(0.6);
  const faults: FaultRule[] = [];
  for (let index = random.int(0, 3); index > 0; index -= 1) faults.push(randomFault(random, useBatch, track));
  if (options.answerLoss !== false) faults.push(answerLossFault(random, useBatch, strategy, track));
  const moveKills: KillPoint[] = [];
  if (track === 'passkey') {
    // at the phishing-resistant and phone-retired adds: each user moves in that order, so the k-th of either is mid-move
    for (let index = random.int(1, 2); index > 0; index -= 1) {
      moveKills.push({ kind: 'afterGroupAdd', group: random.pick(['phishingResistant', 'phoneRetired'] as const), write: random.int(1, Math.max(2, Math.round(options.users * 0.2))) });
    }
  }
  return {
    round,
    seed: random.int(1, 1_000_000),
    users: options.users,
    strategy,
    track,
    useBatch,
    kills,
    moveKills,
    registerShare: track === 'passkey' ? 0.6 + random.int(0, 3) / 10 : 0,
    faults,
    overlap: random.chance(0.3),
    restartAzurite: random.chance(0.2) ? { run: random.int(0, kills.length - 1), write: random.int(1, 20) } : null,
    corruptRows: random.chance(0.2) ? random.int(1, 2) : 0,
  };
}
