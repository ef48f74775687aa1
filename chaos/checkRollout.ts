import type { Config } from '../shared/config/configSchema.js';
import { isCorruptRow } from '../shared/adapters/tables/rosterTable.js';
import type { RolloutPorts } from '../shared/shell/rolloutPorts.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';
import { isInJourney } from '../shared/core/journey/journeyTransitions.js';

/** What a rollout left behind, checked against what the sandbox tenant saw and holds. */
export interface RolloutCheck {
  /** Users in the tenant. */
  readonly users: number;
  /**
   * Outcomes Graph holds that the roster does not (or the other way round), one line per user: enforced in Graph by
   * a rollout write but not `enforced` in the roster; `enforced` in the roster but not in Graph; enforced under a
   * wave the waves table does not know; a mobile method the rollout created but did not record as created; a user
   * announced without a notice on record.
   */
  readonly lostRecords: readonly string[];
  /** The sandbox's duplicate-write detector: a write whose effect was already in place (same number, same state, already a member). */
  readonly duplicateWrites: number;
  /** Users with more than one successful phone-method create or more than one successful enforcement write, one line each. */
  readonly writtenTwice: readonly string[];
  /** Writes Graph refused because the rollout had already made them (a second create of the mobile method, an add of a member). */
  readonly refusedRepeats: readonly string[];
  /** Users in no final or resumable state (left in flight, unreadable rows, missing from the roster), and waves left `running`. */
  readonly unresolved: readonly string[];
  /** Writes addressed to a break-glass account. */
  readonly breakGlassWrites: number;
  /** Users whose MFA is required without any strong method registered. */
  readonly enforcedWithoutMethod: number;
  /**
   * Users the rollout could enforce (by the tenant's generated category: ready, or with a method already) that Graph
   * does not show enforced at the end, and no fault explains: one line each. A parked user is explained when every
   * failure on record for them is one the campaign's faults and kills cause (`faultErrorCodes`).
   */
  readonly enforceableNotEnforced: readonly string[];
  /** Enforceable users the faults parked, each with the failures that parked them (not counted as a problem). */
  readonly parkedByFaults: readonly string[];
  /** Passkey track: members of the phishing-resistant group holding no passkey now (must be 0). */
  readonly phishingResistantWithoutPasskey: readonly string[];
  /**
   * Passkey track: users holding a passkey, in the journey with MFA required, whose move the tenant does not show done
   * (not in the phishing-resistant or the phone-retired group), and no fault explains: one line each (must be 0).
   */
  readonly registeredNotMoved: readonly string[];
  /** Roster rows by progress state. */
  readonly states: Readonly<Record<string, number>>;
}

/** Generated user categories the rollout must enforce: ready, or with an MFA method already. */
export const enforceableCategories: ReadonlySet<string> = new Set([
  'ready', 'readyNational', 'hasPhoneMethod', 'phoneConflict', 'alreadyEnforced', 'authenticatorOnly', 'passkeyDeviceBound', 'passkeySynced', 'hardwareOathOnly',
]);

/** Failure codes an injected fault or a kill produces: a user parked with only these was parked by the campaign. */
export const faultErrorCodes: ReadonlySet<string> = new Set([
  'GRAPH_TIMEOUT', 'GRAPH_UNAVAILABLE', 'GRAPH_THROTTLED', 'GRAPH_MALFORMED_RESPONSE', 'GRAPH_RETRY_BUDGET_EXHAUSTED', 'RUN_INTERRUPTED',
]);

export interface CheckOptions {
  readonly sandbox: SandboxHandle;
  readonly config: Config;
  readonly ports: RolloutPorts;
  /** Users whose rows a test corrupted on purpose: expected unreadable, not counted as unresolved. */
  readonly corruptedOnPurpose?: ReadonlySet<string>;
}

const ok = (status: number): boolean => status >= 200 && status < 300;

/**
 * The invariants of a rollout after any number of kills, overlaps and faults, once a clean run has finished:
 * nothing lost (the roster agrees with Graph for every user the rollout wrote), nothing done twice (the sandbox saw
 * each effective write once), and every user in exactly one final or resumable state.
 */
export async function checkRollout(options: CheckOptions): Promise<RolloutCheck> {
  const { sandbox, config, ports } = options;
  const corruptedOnPurpose = options.corruptedOnPurpose ?? new Set<string>();
  const entries = sandbox.journal.entries();
  const caGroup = (config.caGroupId ?? '').toLowerCase();
  // the passkey track's groups, each a step of the journey: their adds are checked like the enforcement write
  const journeyGroups = new Map<string, 'joinCampaign' | 'joinPhishingResistant' | 'joinPhoneRetired'>();
  if (config.targetMethod !== 'phone') {
    if (config.campaignGroupId !== undefined) journeyGroups.set(config.campaignGroupId.toLowerCase(), 'joinCampaign');
    if (config.phishingResistantGroupId !== undefined) journeyGroups.set(config.phishingResistantGroupId.toLowerCase(), 'joinPhishingResistant');
    if (config.phoneRetiredGroupId !== undefined) journeyGroups.set(config.phoneRetiredGroupId.toLowerCase(), 'joinPhoneRetired');
  }
  /** Successful adds to each journey group, by user then step. */
  const groupAdds = new Map<string, Map<string, number>>();
  const successful = new Map<string, { creates: number; enforcements: number }>();
  const phoneWrites = new Set<string>();
  const refusedRepeats: string[] = [];
  const tally = (userId: string) => {
    const found = successful.get(userId) ?? { creates: 0, enforcements: 0 };
    successful.set(userId, found);
    return found;
  };
  for (const entry of entries) {
    if (entry.userId === null) continue;
    if ((entry.operation === 'phoneMethods.create' || entry.operation === 'phoneMethods.update') && ok(entry.status)) phoneWrites.add(entry.userId);
    const journeyStep = entry.operation === 'groups.addMember' ? journeyGroups.get(String(entry.detail['groupId'] ?? '').toLowerCase()) : undefined;
    if (journeyStep !== undefined) {
      const adds = groupAdds.get(entry.userId) ?? new Map<string, number>();
      groupAdds.set(entry.userId, adds);
      if (ok(entry.status)) adds.set(journeyStep, (adds.get(journeyStep) ?? 0) + 1);
      else if ((adds.get(journeyStep) ?? 0) > 0) refusedRepeats.push(`${entry.userId}: ${journeyStep} add again after it succeeded (answered ${entry.status})`);
    }
    const isCreate = entry.operation === 'phoneMethods.create';
    const isEnforcement = entry.operation === 'requirements.update' || (entry.operation === 'groups.addMember' && String(entry.detail['groupId'] ?? '').toLowerCase() === caGroup);
    if (!isCreate && !isEnforcement) continue;
    const counts = tally(entry.userId);
    if (ok(entry.status)) {
      if (isCreate) counts.creates += 1;
      else counts.enforcements += 1;
    } else if ((isCreate && counts.creates > 0) || (isEnforcement && counts.enforcements > 0)) {
      refusedRepeats.push(`${entry.userId}: ${entry.operation} again after it succeeded (answered ${entry.status})`);
    }
  }
  const writtenTwice = [...successful.entries()]
    .filter(([, counts]) => counts.creates > 1 || counts.enforcements > 1)
    .map(([userId, counts]) => `${userId}: ${counts.creates} phone-method create(s), ${counts.enforcements} enforcement write(s)`);
  for (const [userId, adds] of groupAdds) {
    for (const [step, count] of adds) if (count > 1) writtenTwice.push(`${userId}: added ${count} times by ${step}`);
  }

  const history = await ports.waves.history();
  const waveIds = new Set(history.map((wave) => wave.waveId));
  const noticed = new Set<string>();
  for await (const notice of ports.notices.all()) noticed.add(notice.userId);
  const graphEnforced = (userId: string): boolean =>
    config.strategy === 'perUserMfa'
      ? [config.perUserState, 'enforced'].includes(sandbox.state.perUserMfaState(userId) ?? 'disabled')
      : sandbox.state.isGroupMember(config.caGroupId ?? '', userId);

  const failureCodes = new Map<string, string[]>();
  for (const wave of history) {
    for (const failure of await ports.failures.forWave(wave.waveId)) failureCodes.set(failure.userId, [...(failureCodes.get(failure.userId) ?? []), failure.errorCode]);
  }
  const lostRecords: string[] = [];
  const unresolved: string[] = [];
  const enforceableNotEnforced: string[] = [];
  const parkedByFaults: string[] = [];
  const registeredNotMoved: string[] = [];
  const hasPasskey = (userId: string): boolean => sandbox.state.otherMethods(userId).some((method) => method.kind === 'fido2');
  const enforceable = new Set(sandbox.manifest.users.filter((user) => enforceableCategories.has(user.category) && !corruptedOnPurpose.has(user.id)).map((user) => user.id));
  const states: Record<string, number> = {};
  const seen = new Set<string>();
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) {
      seen.add(row.userId);
      states['corrupt'] = (states['corrupt'] ?? 0) + 1;
      if (!corruptedOnPurpose.has(row.userId)) unresolved.push(`${row.userId}: unreadable row (${row.corrupt.message})`);
      continue;
    }
    const userId = row.user.directory.id;
    seen.add(userId);
    const progress = row.user.progress;
    // an active user MFA is required of counts as `enforced`; every other state by its name
    const standing = progress.state === 'active' && progress.journey.steps.enforceMfa !== undefined ? 'enforced' : progress.state;
    states[standing] = (states[standing] ?? 0) + 1;
    if (progress.state === 'inFlight') unresolved.push(`${userId}: still in flight (wave ${progress.pending.waveId}, step ${progress.pending.step})`);
    if (progress.state === 'announced' && !noticed.has(userId)) lostRecords.push(`${userId}: announced in the roster, with no notice on record`);
    const enforceStep = isInJourney(progress) ? progress.journey.steps.enforceMfa : undefined;
    const wrote = successful.get(userId);
    if (wrote !== undefined && wrote.enforcements > 0 && enforceStep === undefined && progress.state !== 'rolledBack') {
      lostRecords.push(`${userId}: Graph took the rollout's enforcement write, the roster says ${progress.state} without the step`);
    }
    if (isInJourney(progress) && enforceStep !== undefined) {
      if (!graphEnforced(userId)) lostRecords.push(`${userId}: enforced in the roster, not in Graph`);
      if (!waveIds.has(enforceStep.waveId)) lostRecords.push(`${userId}: enforced under wave ${enforceStep.waveId}, which the waves table does not know`);
    }
    // the mobile method's record, for every row: the rollout's create in the journal <=> the step says it wrote
    const phoneStep = isInJourney(progress) ? progress.journey.steps.phoneMethod : undefined;
    if (wrote !== undefined && wrote.creates > 0 && progress.state !== 'rolledBack' && (phoneStep === undefined || !phoneStep.wrote)) {
      lostRecords.push(`${userId}: the rollout created the mobile method, the roster (${progress.state}) does not say so`);
    }
    if (phoneStep?.wrote === true && !phoneWrites.has(userId)) lostRecords.push(`${userId}: the roster says the rollout wrote the mobile method, the journal has no such write`);
    // each journey group: the rollout's add in the journal <=> the step on record (a rollback removes both)
    for (const step of journeyGroups.values()) {
      const added = groupAdds.get(userId)?.get(step) ?? 0;
      const record = isInJourney(progress) ? progress.journey.steps[step] : undefined;
      if (added > 0 && record === undefined && progress.state !== 'rolledBack') lostRecords.push(`${userId}: Graph took the rollout's ${step} add, the roster (${progress.state}) has no such step`);
      if (record?.wrote === true && added === 0) lostRecords.push(`${userId}: the roster says the rollout wrote ${step}, the journal has no such add`);
    }
    if (config.targetMethod === 'passkey' && isInJourney(progress) && progress.state !== 'rolledBack' && enforceStep !== undefined && hasPasskey(userId)) {
      const missing = [config.phishingResistantGroupId, config.retirePhoneAfterPasskey ? config.phoneRetiredGroupId : undefined]
        .filter((groupId): groupId is string => groupId !== undefined && !sandbox.state.isGroupMember(groupId, userId));
      if (missing.length > 0) {
        const codes = failureCodes.get(userId) ?? [];
        const explained = progress.state === 'parked' && codes.length > 0 && codes.every((code) => faultErrorCodes.has(code));
        if (explained) parkedByFaults.push(`${userId}: holds a passkey, parked before the move after ${codes.join(', ')}`);
        else registeredNotMoved.push(`${userId}: holds a passkey, not in ${missing.length} of the move's groups (roster ${progress.state}${codes.length > 0 ? `; failures ${codes.join(', ')}` : ''})`);
      }
    }
    if (enforceable.has(userId) && !graphEnforced(userId) && progress.state !== 'rolledBack') {
      const codes = failureCodes.get(userId) ?? [];
      const explained = progress.state === 'parked' && codes.length > 0 && codes.every((code) => faultErrorCodes.has(code));
      if (explained) parkedByFaults.push(`${userId}: parked after ${codes.join(', ')}`);
      else enforceableNotEnforced.push(`${userId}: enforceable, not enforced in Graph (roster ${progress.state}${codes.length > 0 ? `; failures ${codes.join(', ')}` : ''})`);
    }
  }
  for (const user of sandbox.state.users) {
    if (seen.has(user.id)) continue;
    unresolved.push(`${user.id}: not in the roster`);
    if (enforceable.has(user.id) && !graphEnforced(user.id)) enforceableNotEnforced.push(`${user.id}: enforceable, not enforced in Graph (not in the roster)`);
  }
  for (const wave of history) if (wave.status === 'running') unresolved.push(`wave ${wave.waveId}: still recorded as running`);

  const breakGlassIds = new Set(sandbox.manifest.breakGlass.map((account) => account.id));
  const enforcedWithoutMethod = sandbox.state.users.filter((user) => {
    const required = config.strategy === 'perUserMfa'
      ? sandbox.state.perUserMfaState(user.id) !== 'disabled'
      : sandbox.state.isGroupMember(sandbox.manifest.groups.mfaRequired, user.id);
    return required && !sandbox.state.hasStrongMethod(user.id);
  }).length;

  return {
    users: sandbox.state.users.length,
    lostRecords,
    duplicateWrites: sandbox.traffic.stats().duplicateWrites.total,
    writtenTwice,
    refusedRepeats,
    unresolved,
    breakGlassWrites: entries.filter((entry) => entry.userId !== null && breakGlassIds.has(entry.userId)).length,
    enforcedWithoutMethod,
    enforceableNotEnforced,
    parkedByFaults,
    phishingResistantWithoutPasskey: config.phishingResistantGroupId === undefined ? [] : sandbox.state.users
      .filter((user) => sandbox.state.isGroupMember(config.phishingResistantGroupId ?? '', user.id) && !hasPasskey(user.id))
      .map((user) => `${user.id}: in the phishing-resistant group without a passkey`),
    registeredNotMoved,
    states,
  };
}
