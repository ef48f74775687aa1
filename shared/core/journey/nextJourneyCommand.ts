import { completeWrite, failStep, recordFoundDone, recordIntent, workingJourney } from './journeyTransitions.js';
import type {
  FactNeed,
  GraphWrite,
  Journey,
  JourneyCommand,
  JourneyContext,
  JourneyFacts,
  JourneyProgress,
  JourneyStep,
  LiveMethods,
  MethodsSummary,
  NotReadyForTrack,
  RegistrationRecord,
  StopReason,
} from './journeyTypes.js';
import { stepsOfMode } from './journeyTypes.js';
import { verificationDue } from './journeyStanding.js';

/**
 * The journey's one decision: given a user's recorded progress, what Graph says about them tonight (the facts the
 * shell has read so far), the settings, the mode the planner picked them for and `now`, the next command. Pure.
 *
 * The shell runs a loop: `read` -> add the facts, ask again; `write` -> persist the intent, write, persist
 * `completeWrite` (or `failStep`), ask again; `record` -> persist, ask again; `stop` -> persist if changed, done.
 * It never amends a decision.
 *
 * - A write-ahead record left by a run that died (`inFlight`) is resolved first, from Graph: landed -> the step is
 *   done (with the wave that wrote it); not landed -> the attempt failed (RUN_INTERRUPTED), and the step is tried
 *   again. A write whose answer was lost or refused tonight is read back the same way (never retried blind) and, if it
 *   did not land, counts as tonight's failed attempt with its own error.
 * - The target method (a passkey, or Microsoft Authenticator) seen in the live methods and allowed by the policy
 *   is recorded as registered, once; a registration that disappears is recorded as lost and the user is never
 *   moved on without it.
 * - enter: the phone bridge (create the `mobile` method from the synced number, only while SMS works for the user
 *   and only when the user has no method to do MFA with; a different existing number is a conflict, kept unless
 *   MFA_OVERWRITE_CONFLICTING_PHONE), then require MFA (per-user state, or the MFA group) once the user has a usable
 *   method, then join the campaign group (passkey and Authenticator tracks, campaign mode `waves`). A user with no
 *   usable method joins the campaign and waits for a Temporary Access Pass; on the phone track they are not ready.
 * - advance (registered users): require MFA if not yet, join the phishing-resistant group (passkey track, only
 *   with a passkey seen tonight), join the phone-retired group (MFA_RETIRE_PHONE_AFTER_PASSKEY).
 * - check: read, record what was seen, stop.
 * Every night that reads the methods records the last look (`lastCheckedAt`, a summary of the kinds).
 */
export function nextJourneyCommand(progress: JourneyProgress, facts: JourneyFacts, context: JourneyContext): JourneyCommand {
  switch (progress.state) {
    case 'parked':
      return { kind: 'stop', progress, reason: 'parked' };
    case 'rolledBack':
      return { kind: 'stop', progress, reason: 'rolledBack' };
    case 'inFlight':
      return resolvePending(progress, facts, context);
    case 'failed':
      // failed tonight already (a write, or the read-back of a lost answer): one attempt a night
      if (progress.failure.waveId === context.waveId) return { kind: 'stop', progress, reason: 'failed' };
      break;
    default:
      break;
  }

  const { settings, now, waveId, mode } = context;
  let journey = workingJourney(progress, waveId, now);
  const needs = neededFacts(journey, facts, context);
  if (needs.length > 0) return { kind: 'read', needs };
  const methods = facts.methods as LiveMethods;

  // what is there now, before anything else
  const seen = targetSeen(methods, facts, context);
  if (journey.registration === null && seen !== null) {
    const registration: RegistrationRecord = { ...seen, seenAt: now.toISOString(), hadBefore: journey.entryCompleteAt === null };
    return { kind: 'record', progress: asActive(progress, { ...journey, registration }), note: 'registered' };
  }
  if (journey.registration !== null && seen === null && settings.targetMethod !== 'phone') {
    return { kind: 'record', progress: asActive(progress, { ...journey, registration: null }), note: 'registrationLost' };
  }
  journey = observed(journey, methods, facts, now);
  if (journey.steps.joinPhishingResistant !== undefined && seen === null && settings.targetMethod === 'passkey') {
    // under the phishing-resistant policy without a passkey: only a helpdesk Temporary Access Pass lets the user in
    return { kind: 'stop', progress: asActive(progress, journey), reason: 'passkeyRemoved' };
  }

  const allowed: readonly JourneyStep[] = stepsOfMode[mode];
  const usable = usableMethods(methods, facts) > 0;
  const write = (step: JourneyStep, graphWrite: GraphWrite, previous: JourneyFacts['perUserMfaState'] | null = null): JourneyCommand => ({
    kind: 'write',
    step,
    write: graphWrite,
    progress: recordIntent(journey, step, graphWrite, waveId, now, previous ?? null),
  });
  const foundDone = (step: JourneyStep, graphWrite: GraphWrite, previous: JourneyFacts['perUserMfaState'] | null = null): JourneyCommand => ({
    kind: 'record',
    progress: asActive(progress, recordFoundDone(journey, step, graphWrite, waveId, now, previous ?? null)),
    note: 'stepFoundDone',
  });

  // 1. the phone bridge
  if (allowed.includes('phoneMethod') && journey.steps.phoneMethod === undefined && journey.steps.enforceMfa === undefined) {
    const synced = facts.syncedMobile;
    const syncedNumber = synced?.status === 'validMobile' ? (synced.graphNumber ?? null) : null;
    if (methods.mobileNumber === null) {
      if (!usable && syncedNumber !== null && facts.availability.phone) return write('phoneMethod', { kind: 'createMobileMethod', graphNumber: syncedNumber });
    } else if (syncedNumber !== null && syncedNumber !== methods.mobileNumber) {
      if (settings.overwriteConflictingPhone) return write('phoneMethod', { kind: 'updateMobileMethod', graphNumber: syncedNumber });
      if (!journey.phoneConflict) return { kind: 'record', progress: asActive(progress, { ...journey, phoneConflict: true }), note: 'phoneConflict' };
    }
  }

  // 2. MFA is required of the user once they have something to do it with
  if (allowed.includes('enforceMfa') && journey.steps.enforceMfa === undefined && usable) {
    if (settings.strategy === 'perUserMfa') {
      const current = facts.perUserMfaState ?? 'disabled';
      const graphWrite: GraphWrite = { kind: 'setPerUserMfaState', state: settings.perUserState };
      // `enforced` is further than `enabled`: a user already enforced is never stepped back
      if (current === 'enforced' || current === settings.perUserState) return foundDone('enforceMfa', graphWrite, current);
      return write('enforceMfa', graphWrite, current);
    }
    const groupId = settings.caGroupId ?? '';
    const graphWrite: GraphWrite = { kind: 'addGroupMember', groupId };
    return facts.memberships.has(groupId.toLowerCase()) ? foundDone('enforceMfa', graphWrite) : write('enforceMfa', graphWrite);
  }
  if (mode === 'enter' && !usable && settings.targetMethod === 'phone') {
    return notReady(progress, journey, facts, context);
  }

  // 3. the nudge: the campaign group, which the registration campaign (and the Fido2 configuration) include
  const track = settings.targetMethod !== 'phone';
  if (allowed.includes('joinCampaign') && track && settings.campaignMode === 'waves' && settings.campaignGroupId !== undefined && journey.registration === null && journey.steps.joinCampaign === undefined) {
    const graphWrite: GraphWrite = { kind: 'addGroupMember', groupId: settings.campaignGroupId };
    return facts.memberships.has(settings.campaignGroupId.toLowerCase()) ? foundDone('joinCampaign', graphWrite) : write('joinCampaign', graphWrite);
  }

  // 4. registered: under the phishing-resistant policy (only with a passkey seen tonight), then off SMS
  if (journey.registration !== null && journey.steps.enforceMfa !== undefined) {
    if (allowed.includes('joinPhishingResistant') && settings.targetMethod === 'passkey' && settings.phishingResistantGroupId !== undefined && journey.steps.joinPhishingResistant === undefined && seen?.method === 'passkey') {
      const graphWrite: GraphWrite = { kind: 'addGroupMember', groupId: settings.phishingResistantGroupId };
      return facts.memberships.has(settings.phishingResistantGroupId.toLowerCase()) ? foundDone('joinPhishingResistant', graphWrite) : write('joinPhishingResistant', graphWrite);
    }
    if (allowed.includes('joinPhoneRetired') && track && settings.retirePhoneAfterPasskey && settings.phoneRetiredGroupId !== undefined && journey.steps.joinPhoneRetired === undefined) {
      const graphWrite: GraphWrite = { kind: 'addGroupMember', groupId: settings.phoneRetiredGroupId };
      return facts.memberships.has(settings.phoneRetiredGroupId.toLowerCase()) ? foundDone('joinPhoneRetired', graphWrite) : write('joinPhoneRetired', graphWrite);
    }
  }

  if (mode === 'enter' && journey.entryCompleteAt === null) journey = { ...journey, entryCompleteAt: now.toISOString() };
  return { kind: 'stop', progress: asActive(progress, journey), reason: stopReason(journey, usable, mode, context) };
}

/** What is still to read before deciding, by mode: the methods always; the synced mobile and the per-user state when they matter. */
function neededFacts(journey: Journey, facts: JourneyFacts, context: JourneyContext): FactNeed[] {
  const needs: FactNeed[] = [];
  if (facts.methods === undefined) needs.push('methods');
  const enforcePending = journey.steps.enforceMfa === undefined && context.mode !== 'check';
  if (context.mode === 'enter' && journey.steps.phoneMethod === undefined && journey.steps.enforceMfa === undefined && facts.syncedMobile === undefined) needs.push('syncedMobile');
  if (enforcePending && context.settings.strategy === 'perUserMfa' && facts.perUserMfaState === undefined) needs.push('perUserMfaState');
  if (context.mode === 'check' && verificationDue(journey, context.settings, context.now) && facts.lastMfaSignInAt === undefined) needs.push('mfaSignIn');
  return needs;
}

/** The target method as tonight's methods and the policy show it, or null. */
function targetSeen(methods: LiveMethods, facts: JourneyFacts, context: JourneyContext): Omit<RegistrationRecord, 'seenAt' | 'hadBefore'> | null {
  switch (context.settings.targetMethod) {
    case 'passkey': {
      if (!facts.availability.fido2) return null;
      const first = earliest(methods.passkeys);
      return first === undefined ? null : { method: 'passkey', registeredAt: first.createdDateTime, passkeyType: first.passkeyType };
    }
    case 'authenticator': {
      if (!facts.availability.authenticator) return null;
      const first = earliest(methods.authenticators);
      return first === undefined ? null : { method: 'authenticator', registeredAt: first.createdDateTime, passkeyType: null };
    }
    case 'phone':
      return null;
  }
}

function earliest<T extends { readonly createdDateTime: string | null }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => (a.createdDateTime ?? '9999').localeCompare(b.createdDateTime ?? '9999'))[0];
}

/** Methods the user can do MFA with tonight: a method counts only where the policy (and, for a phone, the calendar) allows it. */
export function usableMethods(methods: LiveMethods, facts: Pick<JourneyFacts, 'availability'>): number {
  const { availability } = facts;
  return (
    (availability.fido2 ? methods.passkeys.length : 0) +
    (availability.authenticator ? methods.authenticators.length : 0) +
    methods.otherStrong +
    (availability.phone && methods.mobileNumber !== null ? 1 : 0)
  );
}

export function summariseMethods(methods: LiveMethods): MethodsSummary {
  return { phone: methods.mobileNumber !== null || methods.hasAlternateMobile, passkey: methods.passkeys.length > 0, authenticator: methods.authenticators.length > 0, other: methods.otherStrong > 0 };
}

/** The last look at the user: when, which kinds of method, and a sign-in that proved MFA after it was required. */
function observed(journey: Journey, methods: LiveMethods, facts: JourneyFacts, now: Date): Journey {
  const enforcedAt = journey.steps.enforceMfa?.at;
  const signIn = facts.lastMfaSignInAt ?? null;
  const mfaSeenAt = signIn !== null && enforcedAt !== undefined && Date.parse(signIn) >= Date.parse(enforcedAt) ? signIn : journey.mfaSeenAt;
  return { ...journey, lastCheckedAt: now.toISOString(), methods: summariseMethods(methods), mfaSeenAt };
}

function stopReason(journey: Journey, usable: boolean, mode: JourneyContext['mode'], context: JourneyContext): StopReason {
  if (mode === 'check') return 'checked';
  if (context.settings.targetMethod === 'phone') return 'finished';
  if (journey.registration === null) return usable || journey.steps.enforceMfa !== undefined ? 'awaitingRegistration' : 'awaitingTap';
  return mode === 'advance' ? 'finished' : 'readyToAdvance';
}

/** The phone track and no way in: the planner thought otherwise (the directory changed since), so this attempt fails. */
function notReady(progress: JourneyProgress, journey: Journey, facts: JourneyFacts, context: JourneyContext): JourneyCommand {
  const synced = facts.syncedMobile;
  const reason: NotReadyForTrack =
    synced !== undefined && synced.status !== 'validMobile' ? synced.status : facts.availability.phoneBlockedBy === 'retired' ? 'smsRetired' : facts.availability.phoneBlockedBy === 'policy' ? 'smsNotAllowed' : 'noUsablePhone';
  const failed = failStep(asActive(progress, journey), { step: 'read', waveId: context.waveId, errorCode: 'USER_NOT_READY', requestId: null }, context.settings, context.now);
  return { kind: 'stop', progress: failed, reason: 'notReady', notReadyReason: reason };
}

/** A write-ahead record: did the write land? The facts that tell are read first. */
function resolvePending(progress: Extract<JourneyProgress, { state: 'inFlight' }>, facts: JourneyFacts, context: JourneyContext): JourneyCommand {
  const { write } = progress.pending;
  const needs: FactNeed[] = [];
  if ((write.kind === 'createMobileMethod' || write.kind === 'updateMobileMethod') && facts.methods === undefined) needs.push('methods');
  if (write.kind === 'setPerUserMfaState' && facts.perUserMfaState === undefined) needs.push('perUserMfaState');
  if (write.kind === 'addGroupMember' && facts.membershipsLive !== true) needs.push('memberships');
  if (needs.length > 0) return { kind: 'read', needs };
  if (landed(write, facts)) return { kind: 'record', progress: completeWrite(progress, context.now), note: 'pendingLanded' };
  const lost = context.lostAnswer;
  const failure = {
    step: progress.pending.step,
    // a run that died: its attempt belongs to its wave; a lost answer tonight: to tonight's, with its own error
    waveId: lost === undefined ? progress.pending.waveId : context.waveId,
    errorCode: lost?.errorCode ?? 'RUN_INTERRUPTED',
    requestId: lost?.requestId ?? null,
  };
  return { kind: 'record', progress: failStep(progress, failure, context.settings, context.now), note: 'pendingNotLanded' };
}

export function landed(write: GraphWrite, facts: JourneyFacts): boolean {
  switch (write.kind) {
    case 'createMobileMethod':
    case 'updateMobileMethod':
      return facts.methods?.mobileNumber === write.graphNumber;
    case 'setPerUserMfaState':
      return facts.perUserMfaState === write.state || facts.perUserMfaState === 'enforced';
    case 'addGroupMember':
      return facts.memberships.has(write.groupId.toLowerCase());
  }
}

/** What a write that Graph answered 2xx changed, so the facts of the rest of the night stay true without a read. */
export function factsAfterWrite(facts: JourneyFacts, write: GraphWrite): JourneyFacts {
  switch (write.kind) {
    case 'createMobileMethod':
    case 'updateMobileMethod':
      return facts.methods === undefined ? facts : { ...facts, methods: { ...facts.methods, mobileNumber: write.graphNumber } };
    case 'setPerUserMfaState':
      return { ...facts, perUserMfaState: write.state };
    case 'addGroupMember':
      return { ...facts, memberships: new Set([...facts.memberships, write.groupId.toLowerCase()]) };
  }
}

/** The progress once a night has done something for the user: active (a failure of an earlier night is over). */
function asActive(_progress: JourneyProgress, journey: Journey): JourneyProgress {
  return { state: 'active', journey };
}
