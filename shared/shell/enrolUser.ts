import type { Config } from '../config/configSchema.js';
import { classifyMobile } from '../core/classifyMobile.js';
import { decideEnrolment } from '../core/enrolmentDecision.js';
import { completeEnforced, fail, isInState, startWrite, type EnforceOutcome } from '../core/rolloutState.js';
import type { PerUserMfaState } from '../core/rosterUser.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import { addGroupMember } from '../adapters/graph/groupMembership.js';
import {
  createMobileMethod,
  readMethods,
  readMobilePhone,
  readPerUserMfaState,
  setPerUserMfaState,
  updateMobileMethod,
} from '../adapters/graph/userAuthentication.js';
import type { FailuresTable } from '../adapters/tables/failuresTable.js';
import type { RosterRow, RosterTable } from '../adapters/tables/rosterTable.js';

export interface EnrolmentContext {
  readonly waveId: string;
  readonly config: Config;
  readonly clock: () => Date;
  readonly gateway: GraphGateway;
  readonly roster: RosterTable;
  readonly failures: FailuresTable;
  /**
   * Asked before every Graph write: the error the run stopped on (storage failed, the lease was lost), or null.
   * Once it answers, this user's next write never starts; the row stays as recorded (in flight after an intent),
   * for the next run's reconcile.
   */
  readonly writesStopped: () => RolloutError | null;
  /**
   * Asked before the user's first write (the intent record): false once the wave stops starting users (the breaker
   * tripped, the time budget is spent). A user who has written nothing yet is then left as they are, unattempted.
   */
  readonly mayBegin: () => boolean;
}

export type EnrolmentResult =
  /** `phoneMethodWritten`: this attempt created the mobile phone method (not an earlier one). */
  | ({ readonly kind: 'enforced'; readonly phoneMethodWritten: boolean } & EnforceOutcome)
  | { readonly kind: 'failed'; readonly error: RolloutError; readonly parked: boolean; readonly phoneMethodWritten: boolean }
  /**
   * The row changed under the run (ETag, HTTP 412): the user is left as the row says. Before the intent was recorded
   * nothing was written to Graph; after it, the row stays in flight (or as the other writer left it) and the next
   * run's reconcile reads Graph to resolve it. Either way the rest of the wave goes on.
   */
  | { readonly kind: 'skipped'; readonly reason: 'rowChanged' }
  /** The wave stopped starting users while this one was being read: nothing was written, the user is left for later. */
  | { readonly kind: 'notStarted' };

/**
 * Enrols one user, write-ahead. Graph is read first (the synced mobile, the methods, the per-user state; the
 * MFA group membership comes from tonight's roster refresh) and the writes are decided from its answers
 * (`decideEnrolment`), so a rerun writes only what is still missing; then the intent (wave, step and what is
 * about to be written) is recorded with the row's ETag before the first write, and the outcome after the last.
 * A failure is recorded in the roster (failed or parked) and in the failures table with its request-id. Throws
 * (nothing recorded) when Table Storage fails or `writesStopped` answers: the run stops.
 */
export async function enrolUser(row: RosterRow, context: EnrolmentContext): Promise<EnrolmentResult> {
  const { config, gateway, roster, waveId } = context;
  const userId = row.user.directory.id;
  const progress = row.user.progress;
  if (!isInState(progress, 'new', 'announced', 'failed')) {
    throw new RolloutError('INTERNAL', `enrolUser: user ${userId} is ${progress.state}, not plannable`);
  }

  let current = row;
  let phoneMethodWritten = false;
  const mayWrite = () => {
    const stopped = context.writesStopped();
    if (stopped !== null) throw stopped;
  };
  // an earlier attempt created the mobile method and then failed (or its run died): the method is still the rollout's
  const createdEarlier = isInState(progress, 'failed') && progress.phoneMethodCreated === true;
  try {
    const [mobilePhone, methods, mfaState] = await Promise.all([
      readMobilePhone(gateway, userId),
      readMethods(gateway, userId),
      config.strategy === 'perUserMfa' ? readPerUserMfaState(gateway, userId) : Promise.resolve<PerUserMfaState | null>(null),
    ]);
    const mobileMethod = methods.phoneMethods.find((method) => method.phoneType === 'mobile');
    const decision = decideEnrolment(
      {
        synced: classifyMobile(mobilePhone, config.defaultPhoneRegion),
        mobileMethodNumber: mobileMethod === undefined ? null : classifyMobile(mobileMethod.phoneNumber, config.defaultPhoneRegion).graphNumber ?? mobileMethod.phoneNumber,
        hasStrongMethod: methods.strongMethods.length > 0,
        mfaState,
        inMfaGroup: config.strategy === 'conditionalAccessGroup' ? row.user.directory.groupIds.includes(config.caGroupId ?? '') : null,
      },
      config,
    );
    if (!context.mayBegin()) return { kind: 'notStarted' };
    if (decision.kind === 'notReady') {
      throw new RolloutError('USER_NOT_READY', `enrolUser: user ${userId} has no valid synced mobile (${decision.phone}) and no MFA method`);
    }
    const intent = createdEarlier && mobileMethod !== undefined && !decision.intent.phoneConflict ? { ...decision.intent, createsPhoneMethod: true } : decision.intent;

    try {
      current = await roster.writeProgress(current, startWrite(progress, waveId, 'phoneMethod', context.clock(), intent));
    } catch (error) {
      if (toRolloutError(error).code === 'TABLE_CONFLICT') return { kind: 'skipped', reason: 'rowChanged' };
      throw error;
    }
    if (decision.phoneWrite !== null) mayWrite();
    if (decision.phoneWrite?.action === 'create') {
      await createOrFindMobileMethod(gateway, userId, decision.phoneWrite.graphNumber, config);
      phoneMethodWritten = true;
    }
    if (decision.phoneWrite?.action === 'update') await updateMobileMethod(gateway, userId, decision.phoneWrite.graphNumber);

    current = await roster.writeProgress(current, startWrite(inFlightOf(current), waveId, 'enforce', context.clock(), intent));
    if (decision.setMfaState !== null || decision.addToMfaGroup) mayWrite();
    if (decision.setMfaState !== null) await setPerUserMfaState(gateway, userId, decision.setMfaState);
    if (decision.addToMfaGroup) await addGroupMember(gateway, config.caGroupId ?? '', userId);

    const outcome: EnforceOutcome = {
      previousMfaState: intent.previousMfaState,
      phoneMethodCreated: intent.createsPhoneMethod,
      alreadyDone: intent.alreadyDone,
      phoneConflict: intent.phoneConflict,
    };
    await roster.writeProgress(current, completeEnforced(inFlightOf(current), outcome, context.clock()));
    return { kind: 'enforced', ...outcome, phoneMethodWritten };
  } catch (caught) {
    const error = toRolloutError(caught);
    if (error.code === 'TABLE_UNAVAILABLE') throw error; // outcomes cannot be recorded: the run stops
    if (error === context.writesStopped()) throw error; // the run stopped: the row stays as recorded
    // the row changed under the run (HTTP 412): only this user is left as it is, for the next run's reconcile
    if (error.code === 'TABLE_CONFLICT') return { kind: 'skipped', reason: 'rowChanged' };
    try {
      if (!isInState(current.user.progress, 'inFlight') && !context.mayBegin()) return { kind: 'notStarted' };
      if (!isInState(current.user.progress, 'inFlight')) {
        // failed before any intent was recorded (a read failed): record the attempt the same way
        current = await roster.writeProgress(current, startWrite(progress, waveId, 'phoneMethod', context.clock(), { previousMfaState: null, createsPhoneMethod: createdEarlier, phoneConflict: false, alreadyDone: false }));
      }
      const inFlight = inFlightOf(current);
      const next = fail(inFlight, { errorCode: error.code, requestId: error.requestId ?? null }, config, context.clock(), createdEarlier && inFlight.intent.createsPhoneMethod);
      await context.failures.record({
        waveId,
        userId,
        upn: current.user.directory.userPrincipalName,
        step: inFlight.step,
        errorCode: error.code,
        httpStatus: error.httpStatus ?? null,
        graphCode: error.graphCode ?? null,
        requestId: error.requestId ?? null,
        attempt: inFlight.attempts,
        at: context.clock().toISOString(),
        message: error.message,
      });
      await roster.writeProgress(current, next);
      return { kind: 'failed', error, parked: next.state === 'parked', phoneMethodWritten };
    } catch (recording) {
      if (toRolloutError(recording).code === 'TABLE_CONFLICT') return { kind: 'skipped', reason: 'rowChanged' };
      throw recording;
    }
  }
}

/**
 * Creates the mobile phone method. Graph refuses a create when a mobile method exists: if that method carries the
 * synced number, it is this very write that landed before (a retry after an answer that was lost or unreadable),
 * so the write is done; anything else stays an error.
 */
async function createOrFindMobileMethod(gateway: GraphGateway, userId: string, graphNumber: string, config: Config): Promise<void> {
  try {
    await createMobileMethod(gateway, userId, graphNumber);
  } catch (error) {
    if (toRolloutError(error).code !== 'GRAPH_PHONE_DUPLICATE') throw error;
    const mobile = (await readMethods(gateway, userId)).phoneMethods.find((method) => method.phoneType === 'mobile');
    const found = mobile === undefined ? null : classifyMobile(mobile.phoneNumber, config.defaultPhoneRegion).graphNumber ?? mobile.phoneNumber;
    if (found !== graphNumber) throw error;
  }
}

function inFlightOf(row: RosterRow) {
  const progress = row.user.progress;
  if (!isInState(progress, 'inFlight')) throw new RolloutError('INTERNAL', `enrolUser: the intent record of user ${row.user.directory.id} is missing`);
  return progress;
}
