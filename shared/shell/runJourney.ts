import type { Config } from '../config/configSchema.js';
import { classifyMobile } from '../core/classifyMobile.js';
import { classifyMobileCreateRefusal } from '../core/mobileCreateRefusal.js';
import { completeWrite, failStep } from '../core/journey/journeyTransitions.js';
import { factsAfterWrite, nextJourneyCommand } from '../core/journey/nextJourneyCommand.js';
import type {
  FactNeed,
  GraphWrite,
  JourneyCommand,
  JourneyFacts,
  JourneyMode,
  JourneyProgress,
  JourneyStep,
  MethodAvailability,
  StopReason,
} from '../core/journey/journeyTypes.js';
import type { DirectoryUser } from '../core/rosterUser.js';
import type { NightSteps, UserOutcome } from '../core/waveTally.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import { readJourneyMemberships } from '../adapters/graph/readJourneyMemberships.js';
import { addGroupMember } from '../adapters/graph/groupMembership.js';
import { readLiveMethods } from '../adapters/graph/readLiveMethods.js';
import { createMobileMethod, readMobilePhone, readPerUserMfaState, setPerUserMfaState, updateMobileMethod } from '../adapters/graph/userAuthentication.js';
import type { RosterRow } from '../adapters/tables/rosterTable.js';
import type { RolloutPorts } from './rolloutPorts.js';

export interface JourneyRunContext {
  /** Tonight's wave: every write is recorded with it. */
  readonly waveId: string;
  readonly config: Config;
  readonly clock: () => Date;
  readonly ports: Pick<RolloutPorts, 'gateway' | 'roster' | 'failures'>;
  /** What the user can do MFA with tonight (the methods policy and the calendar). */
  readonly availability: (user: DirectoryUser) => MethodAvailability;
  /**
   * The night's sign-ins that satisfied MFA (user id, lower case → ISO instant), when they could be read; null: not
   * read (no licence or permission, or not yet): no user is then seen doing MFA.
   */
  readonly mfaSignIns: ReadonlyMap<string, string> | null;
  /** Asked before every Graph write: the error the run stopped on (storage failed, the lease was lost), or null. */
  readonly writesStopped: () => RolloutError | null;
  /** Asked before the user's first table write: false once the wave stops starting users. */
  readonly mayBegin: () => boolean;
}

export type JourneyRunResult =
  | { readonly kind: 'outcome'; readonly outcome: Exclude<UserOutcome, { kind: 'skipped' }>; readonly reason: StopReason; readonly progress: JourneyProgress; readonly row: RosterRow }
  /** The row changed under the run (ETag): left as the row says, for the next run. */
  | { readonly kind: 'skipped' }
  /** The wave stopped starting users before this one wrote anything: left as it was. */
  | { readonly kind: 'notStarted' };

/** Errors after which a write may still have landed: Graph is read back before anything else is decided. */
function outcomeUnknown(write: GraphWrite, error: RolloutError): boolean {
  if (error.code === 'GRAPH_TIMEOUT' || error.code === 'GRAPH_MALFORMED_RESPONSE' || error.code === 'GRAPH_UNAVAILABLE' || error.code === 'GRAPH_RETRY_BUDGET_EXHAUSTED') return true;
  if (error.code === 'GRAPH_THROTTLED') return true; // a batched write can land despite its item's 429 (docs/graph-behaviour.md#json-batching)
  // a create Graph refuses may be our own earlier write (a mobile exists): compare numbers, never the message
  return write.kind === 'createMobileMethod' && error.httpStatus === 400;
}

/**
 * A create of the mobile that Graph refused (400) and the read-back shows not done, named by comparing numbers
 * (`classifyMobileCreateRefusal`), never by Graph's message (docs/graph-behaviour.md#phone-methods): another number
 * there -> GRAPH_PHONE_DUPLICATE, no mobile -> GRAPH_PHONE_INVALID (the number itself refused); the same number ->
 * unchanged (the journey sees the write landed). Graph's status, code and request-id are kept.
 */
function nameRefusedCreate(refused: RolloutError, sentGraphNumber: string, mobileNow: string | null, userId: string): RolloutError {
  const kind = classifyMobileCreateRefusal(sentGraphNumber, mobileNow, undefined);
  if (kind === 'alreadyThere') return refused;
  const details = {
    httpStatus: 400,
    ...(refused.requestId === undefined ? {} : { requestId: refused.requestId }),
    ...(refused.graphCode === undefined ? {} : { graphCode: refused.graphCode }),
  };
  return kind === 'conflict'
    ? new RolloutError('GRAPH_PHONE_DUPLICATE', `phoneMethods.create: Graph refused the mobile of user ${userId}: the user has a mobile phone method with another number`, details)
    : new RolloutError('GRAPH_PHONE_INVALID', `phoneMethods.create: Graph refused the number for user ${userId} (the user has no mobile phone method): ${refused.message}`, details);
}

/**
 * A write sent and never answered (the client's timeout, a dropped connection: no HTTP status): Graph may apply it
 * after the read-back looked (docs/graph-behaviour.md#errors).
 */
function unanswered(error: RolloutError): boolean {
  return error.httpStatus === undefined && (error.code === 'GRAPH_TIMEOUT' || error.code === 'GRAPH_UNAVAILABLE');
}

/**
 * Runs one user's night: asks the journey (`nextJourneyCommand`) what to do, does exactly that (reads Graph, records
 * the intent, makes the one write, records the outcome), and asks again until it says stop. Every table write goes
 * through the row's ETag; a write that failed in a way that may still have landed is read back before anything else
 * (never retried blind); one never answered and not seen landed stays in flight for the next run to settle. A failure is recorded on the row (failed or parked) and in the failures table with its
 * request-id. Throws when Table Storage fails or `writesStopped` answers: the run stops, the row stays as recorded
 * (in flight after an intent) for the next run to reconcile.
 *
 * `resolveOnly`: only settle a write-ahead record a run that died left (the night's reconcile, before planning).
 */
export async function runJourney(row: RosterRow, mode: JourneyMode, context: JourneyRunContext, options: { readonly resolveOnly?: boolean } = {}): Promise<JourneyRunResult> {
  const { config, ports } = context;
  const user = row.user.directory;
  let current = row;
  let progress = row.user.progress;
  let began = false;
  let facts: JourneyFacts = { availability: context.availability(user), memberships: new Set(user.groupIds.map((id) => id.toLowerCase())) };
  let lostAnswer: { errorCode: string; requestId: string | null } | undefined;
  let lostError: RolloutError | undefined;
  /** The number of a mobile create Graph refused (400) tonight: the read-back decides what the refusal was. */
  let refusedCreate: string | undefined;
  const steps: { nudged?: boolean; registered?: boolean; phishingResistant?: boolean; phoneRetired?: boolean } = {};
  let phoneMethodWritten = false;
  let wroteAnything = false;

  const persist = async (next: JourneyProgress): Promise<'ok' | 'conflict'> => {
    try {
      current = await ports.roster.writeProgress(current, next);
      progress = next;
      began = true;
      return 'ok';
    } catch (error) {
      const failure = toRolloutError(error);
      if (failure.code === 'TABLE_CONFLICT') return 'conflict';
      throw failure;
    }
  };
  const recordFailure = async (failed: Extract<JourneyProgress, { state: 'failed' | 'parked' }>, error: { code: string; message: string; httpStatus?: number | undefined; graphCode?: string | undefined; requestId?: string | undefined | null }) => {
    await ports.failures.record({
      waveId: failed.failure.waveId, userId: user.id, upn: user.userPrincipalName, step: failed.failure.step, errorCode: error.code,
      httpStatus: error.httpStatus ?? null, graphCode: error.graphCode ?? null, requestId: error.requestId ?? null,
      attempt: failed.journey.attempts, at: context.clock().toISOString(), message: error.message,
    });
  };
  const finished = (outcome: Exclude<UserOutcome, { kind: 'skipped' }>, reason: StopReason): JourneyRunResult => ({ kind: 'outcome', outcome, reason, progress, row: current });
  const failedOutcome = (error: { readonly code: string; readonly message: string }, reason: StopReason = 'failed'): JourneyRunResult =>
    finished({ kind: 'failed', errorCode: error.code, message: error.message, phoneMethodWritten, advanced: mode === 'advance', ...steps }, reason);

  for (let turn = 0; turn < 64; turn += 1) {
    const command: JourneyCommand = nextJourneyCommand(progress, facts, {
      mode, waveId: context.waveId, now: context.clock(), settings: config, ...(lostAnswer === undefined ? {} : { lostAnswer }),
    });
    switch (command.kind) {
      case 'read': {
        try {
          facts = await readFacts(command.needs, facts, user, context);
          if (refusedCreate !== undefined && lostError !== undefined && facts.methods !== undefined) {
            lostError = nameRefusedCreate(lostError, refusedCreate, facts.methods.mobileNumber, user.id);
            lostAnswer = { errorCode: lostError.code, requestId: lostError.requestId ?? null };
            refusedCreate = undefined;
          }
        } catch (caught) {
          const error = toRolloutError(caught);
          // a reconcile that cannot read leaves the row in flight for the next night, spending no attempt
          if (error.code === 'TABLE_UNAVAILABLE' || error === context.writesStopped() || options.resolveOnly === true) throw error;
          if (!began && !context.mayBegin()) return { kind: 'notStarted' };
          const failed = failStep(progress, { step: 'read', waveId: context.waveId, errorCode: error.code, requestId: error.requestId ?? null }, config, context.clock());
          if ((await persist(failed)) === 'conflict') return { kind: 'skipped' };
          await recordFailure(failed, error);
          return failedOutcome(error);
        }
        break;
      }
      case 'write': {
        if (!began && !context.mayBegin()) return { kind: 'notStarted' };
        const stopped = context.writesStopped();
        if (stopped !== null) throw stopped;
        if ((await persist(command.progress)) === 'conflict') return { kind: 'skipped' };
        try {
          await makeWrite(command.write, user.id, context);
        } catch (caught) {
          const error = toRolloutError(caught);
          if (error.code === 'TABLE_UNAVAILABLE') throw error;
          if (outcomeUnknown(command.write, error)) {
            // the write may have landed: read back what decides it, then let the journey judge (landed, or failed tonight)
            lostAnswer = { errorCode: error.code, requestId: error.requestId ?? null };
            lostError = error;
            if (command.write.kind === 'createMobileMethod' && error.httpStatus === 400) refusedCreate = command.write.graphNumber;
            facts = forget(facts, command.write);
            break;
          }
          const failed = failStep(command.progress, { step: command.step, waveId: context.waveId, errorCode: error.code, requestId: error.requestId ?? null }, config, context.clock());
          if ((await persist(failed)) === 'conflict') return { kind: 'skipped' };
          await recordFailure(failed, error);
          return failedOutcome(error);
        }
        wroteAnything = true;
        noteStep(steps, command.step);
        if (command.write.kind === 'createMobileMethod') phoneMethodWritten = true;
        facts = factsAfterWrite(facts, command.write);
        if ((await persist(completeWrite(command.progress, context.clock()))) === 'conflict') return { kind: 'skipped' };
        break;
      }
      case 'record': {
        if (!began && !context.mayBegin()) return { kind: 'notStarted' };
        if (command.note === 'pendingNotLanded' && lostError !== undefined && progress.state === 'inFlight' && unanswered(lostError)) {
          // never answered: Graph may still be applying the write, so "not there yet" is no verdict. The write-ahead
          // record stays for the next run's reconcile, which records it as this wave's if it landed, or retries it
          const error = { code: lostError.code, message: `${lostError.message}; read back: not there yet, left in flight for the next run to settle`, requestId: null };
          await ports.failures.record({
            waveId: context.waveId, userId: user.id, upn: user.userPrincipalName, step: progress.pending.step, errorCode: error.code,
            httpStatus: null, graphCode: null, requestId: null, attempt: progress.journey.attempts + 1, at: context.clock().toISOString(), message: error.message,
          });
          return failedOutcome(error);
        }
        if ((await persist(command.progress)) === 'conflict') return { kind: 'skipped' };
        if (command.note === 'registered') steps.registered = true;
        if (command.note === 'pendingLanded' && lostAnswer !== undefined) {
          // the lost answer's write landed after all: it counts as written tonight
          wroteAnything = true;
          if (progress.state === 'active') noteLanded(steps, progress, context.waveId, (landed) => { if (landed === 'phoneMethod') phoneMethodWritten = true; });
          lostAnswer = undefined;
          lostError = undefined;
        }
        if (command.note === 'pendingNotLanded') {
          const failed = progress as Extract<JourneyProgress, { state: 'failed' | 'parked' }>;
          // tonight's lost answer is recorded as Graph gave it (status, Graph's code, request-id, message), with the read-back's verdict
          const error = lostError === undefined
            ? { code: failed.failure.errorCode, message: `the run of wave ${failed.failure.waveId} stopped during step ${failed.failure.step}; Graph shows the write not done, so it is retried`, requestId: failed.failure.requestId }
            : { code: lostError.code, message: `${lostError.message}; read back: the write is not done`, requestId: lostError.requestId ?? null, httpStatus: lostError.httpStatus, graphCode: lostError.graphCode };
          await recordFailure(failed, error);
          if (lostAnswer !== undefined) return failedOutcome(error);
        }
        if (options.resolveOnly === true && (command.note === 'pendingLanded' || command.note === 'pendingNotLanded')) {
          return finished({ kind: 'checked', ...steps }, 'checked');
        }
        break;
      }
      case 'stop': {
        if (options.resolveOnly === true) return finished({ kind: 'checked', ...steps }, command.reason);
        if (command.progress !== progress) {
          if (!began && !context.mayBegin()) return { kind: 'notStarted' };
          if ((await persist(command.progress)) === 'conflict') return { kind: 'skipped' };
        }
        if (command.reason === 'notReady' && (progress.state === 'failed' || progress.state === 'parked')) {
          const error = new RolloutError('USER_NOT_READY', `the user has no way to do MFA on the ${config.targetMethod} track tonight (${command.notReadyReason ?? 'no usable phone'}), though the plan thought so; nothing was written`);
          await recordFailure(progress, { code: error.code, message: error.message });
          return failedOutcome(error, 'notReady');
        }
        if (command.reason === 'failed' || command.reason === 'parked' || command.reason === 'rolledBack') {
          return finished({ kind: 'checked', ...steps }, command.reason);
        }
        if (mode === 'check') return finished({ kind: 'checked', ...steps }, command.reason);
        const journey = progress.state === 'new' || progress.state === 'announced' ? null : progress.journey;
        const enforced = journey?.steps.enforceMfa !== undefined;
        if (!enforced && mode === 'enter') return finished({ kind: 'awaitingTap', ...steps }, command.reason);
        return finished({ kind: 'enforced', alreadyDone: !wroteAnything, phoneMethodWritten, advanced: mode === 'advance', ...steps }, command.reason);
      }
    }
  }
  throw new RolloutError('INTERNAL', `runJourney: the journey of user ${user.id} did not settle within 64 commands`);
}


function noteStep(steps: { -readonly [K in keyof NightSteps]: NightSteps[K] }, step: JourneyStep): void {
  if (step === 'joinCampaign') steps.nudged = true;
  if (step === 'joinPhishingResistant') steps.phishingResistant = true;
  if (step === 'joinPhoneRetired') steps.phoneRetired = true;
}

/** The step a landed write completed is the newest of tonight's wave in the journey. */
function noteLanded(steps: { -readonly [K in keyof NightSteps]: NightSteps[K] }, progress: Extract<JourneyProgress, { state: 'active' }>, waveId: string, onStep: (step: JourneyStep) => void): void {
  for (const [step, record] of Object.entries(progress.journey.steps) as [JourneyStep, { waveId: string; wrote: boolean }][]) {
    if (record.waveId === waveId && record.wrote) {
      noteStep(steps, step);
      onStep(step);
    }
  }
}

/** Drops what tonight's facts said about a write's target, so the journey reads it again (a lost answer). */
function forget(facts: JourneyFacts, write: GraphWrite): JourneyFacts {
  switch (write.kind) {
    case 'createMobileMethod':
    case 'updateMobileMethod': {
      const { methods: _methods, ...rest } = facts;
      return rest;
    }
    case 'setPerUserMfaState': {
      const { perUserMfaState: _state, ...rest } = facts;
      return rest;
    }
    case 'addGroupMember':
      return { ...facts, membershipsLive: false };
  }
}

async function readFacts(needs: readonly FactNeed[], facts: JourneyFacts, user: DirectoryUser, context: JourneyRunContext): Promise<JourneyFacts> {
  const { gateway } = context.ports;
  const { config } = context;
  const read = await Promise.all(needs.map(async (need): Promise<Partial<JourneyFacts>> => {
    switch (need) {
      case 'methods':
        return { methods: await readLiveMethods(gateway, user.id) };
      case 'syncedMobile':
        return { syncedMobile: classifyMobile(await readMobilePhone(gateway, user.id), config.defaultPhoneRegion) };
      case 'perUserMfaState':
        return { perUserMfaState: await readPerUserMfaState(gateway, user.id) };
      case 'memberships':
        return { memberships: await readJourneyMemberships(gateway, user.id, journeyGroupIds(config)), membershipsLive: true };
      case 'mfaSignIn':
        return { lastMfaSignInAt: context.mfaSignIns?.get(user.id.toLowerCase()) ?? null };
    }
  }));
  return Object.assign({}, facts, ...read) as JourneyFacts;
}

/** The groups the journey writes to: the MFA group and the campaign, phishing-resistant and phone-retired groups. */
export function journeyGroupIds(config: Pick<Config, 'caGroupId' | 'campaignGroupId' | 'phishingResistantGroupId' | 'phoneRetiredGroupId'>): string[] {
  return [config.caGroupId, config.campaignGroupId, config.phishingResistantGroupId, config.phoneRetiredGroupId].filter((id): id is string => id !== undefined);
}

async function makeWrite(write: GraphWrite, userId: string, context: JourneyRunContext): Promise<void> {
  const { gateway } = context.ports;
  switch (write.kind) {
    case 'createMobileMethod':
      return createMobileMethod(gateway, userId, write.graphNumber);
    case 'updateMobileMethod':
      return updateMobileMethod(gateway, userId, write.graphNumber);
    case 'setPerUserMfaState':
      return setPerUserMfaState(gateway, userId, write.state);
    case 'addGroupMember':
      await addGroupMember(gateway, write.groupId, userId);
      return;
  }
}
