import { factsAfterWrite, nextJourneyCommand } from '../../../shared/core/journey/nextJourneyCommand.js';
import { completeWrite, failStep } from '../../../shared/core/journey/journeyTransitions.js';
import type {
  GraphWrite,
  JourneyCommand,
  JourneyContext,
  JourneyFacts,
  JourneyProgress,
  JourneySettings,
  LiveMethods,
  MethodAvailability,
  StopReason,
} from '../../../shared/core/journey/journeyTypes.js';
import type { MobileClassification } from '../../../shared/core/classifyMobile.js';
import type { PerUserMfaState } from '../../../shared/core/rosterUser.js';

/** The journey's settings as a passkey rollout with every group configured would have them. */
export function journeySettings(overrides: Partial<JourneySettings> = {}): JourneySettings {
  return {
    strategy: 'perUserMfa',
    perUserState: 'enforced',
    caGroupId: undefined,
    overwriteConflictingPhone: false,
    maxAttempts: 3,
    targetMethod: 'passkey',
    campaignMode: 'waves',
    campaignGroupId: 'c0000000-0000-4000-8000-000000000001',
    phishingResistantGroupId: 'c0000000-0000-4000-8000-000000000002',
    retirePhoneAfterPasskey: true,
    phoneRetiredGroupId: 'c0000000-0000-4000-8000-000000000003',
    smsDelivery: 'microsoft',
    smsRetirementDate: '2027-02-01',
    smsRetirementDateAdmins: '2027-02-01',
    verifyAfterDays: 2,
    ...overrides,
  };
}

export const everythingAllowed: MethodAvailability = { phone: true, phoneBlockedBy: null, fido2: true, authenticator: true };

/** A user as Graph holds them, which the driver's writes change as Graph would. */
export interface GraphUser {
  methods: LiveMethods;
  syncedMobile: MobileClassification;
  perUserMfaState: PerUserMfaState;
  memberships: Set<string>;
  lastMfaSignInAt: string | null;
  /** Writes the driver made, in order. */
  readonly writes: GraphWrite[];
  /** Makes the next write of this kind fail with this code (and not land), once. */
  failNext?: { kind: GraphWrite['kind']; errorCode: string };
}

export function graphUser(overrides: Partial<Omit<GraphUser, 'writes'>> = {}): GraphUser {
  return {
    methods: { mobileNumber: null, hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0, ...overrides.methods },
    syncedMobile: overrides.syncedMobile ?? { status: 'validMobile', graphNumber: '+46 701234567' },
    perUserMfaState: overrides.perUserMfaState ?? 'disabled',
    memberships: overrides.memberships ?? new Set(),
    lastMfaSignInAt: overrides.lastMfaSignInAt ?? null,
    writes: [],
    ...(overrides.failNext === undefined ? {} : { failNext: overrides.failNext }),
  };
}

function apply(user: GraphUser, write: GraphWrite): void {
  switch (write.kind) {
    case 'createMobileMethod':
    case 'updateMobileMethod':
      user.methods = { ...user.methods, mobileNumber: write.graphNumber };
      break;
    case 'setPerUserMfaState':
      user.perUserMfaState = write.state;
      break;
    case 'addGroupMember':
      user.memberships.add(write.groupId.toLowerCase());
      break;
  }
}

export interface DriveResult {
  readonly progress: JourneyProgress;
  readonly reason: StopReason;
  readonly commands: JourneyCommand[];
  /** Every progress the shell would have persisted, in order (intent records included). */
  readonly persisted: JourneyProgress[];
  readonly notReadyReason?: string;
}

/**
 * Plays the shell's loop against an in-memory Graph user: reads fill the facts, writes change the user (or fail once
 * when told), records persist. Pure and synchronous: the journey's rules, end to end, without I/O.
 */
export function drive(progress: JourneyProgress, user: GraphUser, context: Omit<JourneyContext, 'settings'> & { settings?: JourneySettings }, availability: MethodAvailability = everythingAllowed): DriveResult {
  const settings = context.settings ?? journeySettings();
  const full: JourneyContext = { ...context, settings };
  let facts: JourneyFacts = { availability, memberships: new Set(user.memberships) };
  let current = progress;
  const commands: JourneyCommand[] = [];
  const persisted: JourneyProgress[] = [];
  for (let step = 0; step < 50; step += 1) {
    const command = nextJourneyCommand(current, facts, full);
    commands.push(command);
    switch (command.kind) {
      case 'read':
        for (const need of command.needs) {
          if (need === 'methods') facts = { ...facts, methods: structuredClone(user.methods) };
          if (need === 'syncedMobile') facts = { ...facts, syncedMobile: user.syncedMobile };
          if (need === 'perUserMfaState') facts = { ...facts, perUserMfaState: user.perUserMfaState };
          if (need === 'memberships') facts = { ...facts, memberships: new Set(user.memberships), membershipsLive: true };
          if (need === 'mfaSignIn') facts = { ...facts, lastMfaSignInAt: user.lastMfaSignInAt };
        }
        break;
      case 'write': {
        persisted.push(command.progress);
        if (user.failNext?.kind === command.write.kind) {
          const errorCode = user.failNext.errorCode;
          delete user.failNext;
          current = failStep(command.progress, { step: command.step, waveId: full.waveId, errorCode, requestId: 'req-x' }, settings, full.now);
          persisted.push(current);
          break;
        }
        user.writes.push(command.write);
        apply(user, command.write);
        facts = factsAfterWrite(facts, command.write);
        current = completeWrite(command.progress, full.now);
        persisted.push(current);
        break;
      }
      case 'record':
        current = command.progress;
        persisted.push(current);
        break;
      case 'stop':
        return { progress: command.progress, reason: command.reason, commands, persisted, ...(command.notReadyReason === undefined ? {} : { notReadyReason: command.notReadyReason }) };
    }
  }
  throw new Error('the journey did not stop within 50 commands');
}
