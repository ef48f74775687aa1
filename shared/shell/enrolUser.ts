import type { Config } from '../config/configSchema.js';
import { classifyMobile } from '../core/classifyMobile.js';
import { decideEnrolment } from '../core/enrolmentDecision.js';
import { completeEnforced, fail, isInState, startWrite, type EnforceOutcome } from '../core/rolloutState.js';
import type { PerUserMfaState } from '../core/rosterUser.js';
import { RolloutError, toRolloutError } from '../errors/RolloutError.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import { addGroupMember } from '../adapters/graph/groupMembership.js';
import { createOrConfirmMobileMethod } from '../adapters/graph/createOrConfirmMobileMethod.js';
import {
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
}

export type EnrolmentResult =
  | ({ readonly kind: 'enforced' } & EnforceOutcome)
  | { readonly kind: 'failed'; readonly error: RolloutError; readonly parked: boolean }
  /**
   * The row changed under the run (ETag, HTTP 412): the user is left as the row says. Before the intent was recorded
   * nothing was written to Graph; after it, the row stays in flight (or as the other writer left it) and the next
   * run's reconcile reads Graph to resolve it. Either way the rest of the wave goes on.
   */
  | { readonly kind: 'skipped'; readonly reason: 'rowChanged' };

/**
 * Enrols one user, write-ahead. Graph is read first (the synced mobile, the methods, the per-user state; the
 * MFA group membership comes from tonight's roster refresh) and the writes are decided from its answers
 * (`decideEnrolment`), so a rerun writes only what is still missing; then the intent (wave, step and what is
 * about to be written) is recorded with the row's ETag before the first write, and the outcome after the last.
 * A failure is recorded in the roster (failed or parked) and in the failures table with its request-id.
 */
export async function enrolUser(row: RosterRow, context: EnrolmentContext): Promise<EnrolmentResult> {
  const { config, gateway, roster, waveId } = context;
  const userId = row.user.directory.id;
  const progress = row.user.progress;
  if (!isInState(progress, 'new', 'announced', 'failed')) {
    throw new RolloutError('INTERNAL', `enrolUser: user ${userId} is ${progress.state}, not plannable`);
  }

  let current = row;
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
    if (decision.phoneWrite?.action === 'create') {
      const created = await createOrConfirmMobileMethod(gateway, userId, decision.phoneWrite.graphNumber, config.defaultPhoneRegion);
      if (created.kind === 'conflict' || created.kind === 'invalid') throw created.error;
    }
    if (decision.phoneWrite?.action === 'update') await updateMobileMethod(gateway, userId, decision.phoneWrite.graphNumber);

    current = await roster.writeProgress(current, startWrite(inFlightOf(current), waveId, 'enforce', context.clock(), intent));
    if (decision.setMfaState !== null) await setPerUserMfaState(gateway, userId, decision.setMfaState);
    if (decision.addToMfaGroup) await addGroupMember(gateway, config.caGroupId ?? '', userId);

    const outcome: EnforceOutcome = {
      previousMfaState: intent.previousMfaState,
      phoneMethodCreated: intent.createsPhoneMethod,
      alreadyDone: intent.alreadyDone,
      phoneConflict: intent.phoneConflict,
    };
    await roster.writeProgress(current, completeEnforced(inFlightOf(current), outcome, context.clock()));
    return { kind: 'enforced', ...outcome };
  } catch (caught) {
    const error = toRolloutError(caught);
    if (error.code === 'TABLE_UNAVAILABLE') throw error; // outcomes cannot be recorded: the run stops
    // the row changed under the run (HTTP 412): only this user is left as it is, for the next run's reconcile
    if (error.code === 'TABLE_CONFLICT') return { kind: 'skipped', reason: 'rowChanged' };
    try {
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
      return { kind: 'failed', error, parked: next.state === 'parked' };
    } catch (recording) {
      if (toRolloutError(recording).code === 'TABLE_CONFLICT') return { kind: 'skipped', reason: 'rowChanged' };
      throw recording;
    }
  }
}

function inFlightOf(row: RosterRow) {
  const progress = row.user.progress;
  if (!isInState(progress, 'inFlight')) throw new RolloutError('INTERNAL', `enrolUser: the intent record of user ${row.user.directory.id} is missing`);
  return progress;
}
