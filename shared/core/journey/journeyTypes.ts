/**
 * One user's journey to a phishing-resistant method, as data. Microsoft retires its SMS and voice delivery on the
 * retirement date (docs/graph-behaviour.md#sms-and-voice-retirement), so a pre-registered phone is a bridge, not a
 * destination:
 *
 *   enter:   [phone bridge: mobile method, while SMS works for the user] -> require MFA -> join the campaign group
 *   check:   each night (within a budget) the live methods are read: the target method seen -> registered
 *   advance: require MFA (users who had no method) -> join the phishing-resistant group -> join the phone-retired group
 *
 * Every Graph write is a step, recorded write-ahead (`pending`) and then as done, with the wave that wrote it, so a
 * rollback of a wave undoes exactly its steps and a run that dies mid-write is reconciled from Graph.
 * `nextJourneyCommand` decides; the shell only executes the commands it returns.
 */

import type { MobileClassification } from '../classifyMobile.js';
import type { PerUserMfaState } from '../rosterUser.js';

/** What the waves move users to (MFA_TARGET_METHOD). `phone` is the bridge as a destination (no passkey track). */
export type TargetMethod = 'passkey' | 'authenticator' | 'phone';

/** `waves`: the rollout's campaign group is the registration campaign's target; `microsoftManaged`: left as it is. */
export type CampaignMode = 'waves' | 'microsoftManaged';

/** Who delivers SMS and voice codes (MFA_SMS_DELIVERY); only a customer-managed provider outlives the retirement date. */
export type SmsDelivery = 'microsoft' | 'customerManaged';

/** The settings the journey decides with (a subset of Config, named here so the core does not depend on all of it). */
export interface JourneySettings {
  readonly strategy: 'perUserMfa' | 'conditionalAccessGroup';
  readonly perUserState: 'enabled' | 'enforced';
  readonly caGroupId: string | undefined;
  readonly overwriteConflictingPhone: boolean;
  readonly maxAttempts: number;
  readonly targetMethod: TargetMethod;
  readonly campaignMode: CampaignMode;
  readonly campaignGroupId: string | undefined;
  readonly phishingResistantGroupId: string | undefined;
  readonly retirePhoneAfterPasskey: boolean;
  readonly phoneRetiredGroupId: string | undefined;
  readonly smsDelivery: SmsDelivery;
  /** Days after MFA is required of a user before the sign-in log is read for their MFA (MFA_VERIFY_AFTER_DAYS). */
  readonly verifyAfterDays: number;
  /** `YYYY-MM-DD` (UTC): from this day Microsoft no longer delivers SMS/voice codes. */
  readonly smsRetirementDate: string;
  /** `YYYY-MM-DD`: the same for Global Administrators (a later date in one revision of Microsoft's FAQ). */
  readonly smsRetirementDateAdmins: string;
}

/** The Graph writes of a journey, in the order a user meets them. */
export type JourneyStep = 'phoneMethod' | 'enforceMfa' | 'joinCampaign' | 'joinPhishingResistant' | 'joinPhoneRetired';

export const journeySteps: readonly JourneyStep[] = ['phoneMethod', 'enforceMfa', 'joinCampaign', 'joinPhishingResistant', 'joinPhoneRetired'];

/** The steps a night may take for a user, by why the planner picked them. */
export const stepsOfMode = {
  enter: ['phoneMethod', 'enforceMfa', 'joinCampaign'],
  advance: ['enforceMfa', 'joinPhishingResistant', 'joinPhoneRetired'],
  check: [],
} as const satisfies Record<string, readonly JourneyStep[]>;

/** Why a user is attended tonight: entering the journey, moving on after registering, or only having a look. */
export type JourneyMode = keyof typeof stepsOfMode;

/** One Graph write, as data. */
export type GraphWrite =
  | { readonly kind: 'createMobileMethod'; readonly graphNumber: string }
  | { readonly kind: 'updateMobileMethod'; readonly graphNumber: string }
  | { readonly kind: 'setPerUserMfaState'; readonly state: 'enabled' | 'enforced' }
  | { readonly kind: 'addGroupMember'; readonly groupId: string };

/** A step that is done: which wave did it, when, and whether the rollout wrote it (false: Graph already had it). */
export interface StepRecord {
  readonly waveId: string;
  readonly at: string;
  readonly wrote: boolean;
}

export interface PhoneStepRecord extends StepRecord {
  readonly action: 'create' | 'update';
}

export interface EnforceStepRecord extends StepRecord {
  /** Per-user MFA state before the write (rollback restores it); null for the group strategy. */
  readonly previousMfaState: PerUserMfaState | null;
  /** `mfaGroup`: the user was added to MFA_CA_GROUP_ID. */
  readonly via: 'perUserMfa' | 'mfaGroup';
  /** The MFA group (strategy conditionalAccessGroup), kept so a rollback leaves the group it joined whatever the settings say later. */
  readonly groupId?: string;
}

export interface GroupStepRecord extends StepRecord {
  readonly groupId: string;
}

export interface StepsDone {
  readonly phoneMethod?: PhoneStepRecord;
  readonly enforceMfa?: EnforceStepRecord;
  readonly joinCampaign?: GroupStepRecord;
  readonly joinPhishingResistant?: GroupStepRecord;
  readonly joinPhoneRetired?: GroupStepRecord;
}

/** The kind of passkey Graph reports (`fido2AuthenticationMethod.passkeyType`), or unknown when it says nothing. */
export type PasskeyType = 'deviceBound' | 'synced' | 'unknown';

/** The target method, the first time the rollout saw it registered. */
export interface RegistrationRecord {
  readonly method: 'passkey' | 'authenticator';
  /** When the rollout saw it (the night's clock). */
  readonly seenAt: string;
  /** The method's own `createdDateTime`, when Graph gives it. */
  readonly registeredAt: string | null;
  readonly passkeyType: PasskeyType | null;
  /** Registered before the user entered the journey (not a conversion of the campaign). */
  readonly hadBefore: boolean;
}

/** What the user's live methods amounted to at the last look (no number, no id: only kinds). */
export interface MethodsSummary {
  readonly phone: boolean;
  readonly passkey: boolean;
  readonly authenticator: boolean;
  /** Software or hardware OATH, Windows Hello for Business, platform credential. */
  readonly other: boolean;
}

/**
 * A Temporary Access Pass issued by `mfa-rollout issue-tap` (never the pass itself). Kept on the roster row, not in
 * the journey: the helpdesk may issue one to a user in any state, before a wave reaches them too.
 */
export interface TapRecord {
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly runId: string;
  /** Passes issued so far (a new one replaces the old in Graph). */
  readonly count: number;
}

export interface Journey {
  /** The wave (night) the user entered in, and when. */
  readonly enteredWaveId: string;
  readonly enteredAt: string;
  /** The notice, if any: when it went out and the date it promised. */
  readonly announcedAt: string | null;
  readonly enforceFrom: string | null;
  /** When the entry steps were over (null: entering, or retrying an entry step). */
  readonly entryCompleteAt: string | null;
  readonly steps: StepsDone;
  /** A mobile method with another number than the synced one was found and left as it is. */
  readonly phoneConflict: boolean;
  readonly registration: RegistrationRecord | null;
  /** The last night the live methods were read, and what they were. */
  readonly lastCheckedAt: string | null;
  readonly methods: MethodsSummary | null;
  /** The latest sign-in signal that the user did MFA after MFA was required of them. */
  readonly mfaSeenAt: string | null;
  /** Failed attempts at the step being attempted now (0 once a step is done). */
  readonly attempts: number;
}

/** The write-ahead record: what was about to be written, by which wave. */
export interface PendingWrite {
  readonly step: JourneyStep;
  readonly waveId: string;
  readonly since: string;
  readonly write: GraphWrite;
  /** Per-user MFA state read before `setPerUserMfaState`, so a reconciled record can still be rolled back. */
  readonly previousMfaState: PerUserMfaState | null;
}

export interface FailureRecord {
  /** The step that failed, or `read` when reading the user's facts failed before any write. */
  readonly step: JourneyStep | 'read';
  readonly waveId: string;
  readonly at: string;
  readonly errorCode: string;
  readonly requestId: string | null;
}

export interface RollbackRecord {
  readonly rollbackWaveId: string;
  readonly targetWaveId: string;
  readonly at: string;
}

/**
 * A user's progress: before the journey (new, announced) and in it. Every state from `inFlight` on carries the
 * journey; `inFlight` has a write-ahead record, `failed`/`parked` the failure, `rolledBack` the rollback that holds
 * the user until an operator readmits them.
 */
export type JourneyProgress =
  | { readonly state: 'new' }
  | {
      readonly state: 'announced';
      readonly waveId: string;
      readonly announcedAt: string;
      /**
       * The date the user was told MFA applies from (ISO): the night the ramp was projected to reach them, never
       * earlier than `announcedAt` + MFA_NOTICE_DAYS. The planner never enforces them before it. Absent on users
       * announced before the rollout recorded the date: only the notice period applies to them.
       */
      readonly enforceFrom?: string;
    }
  | { readonly state: 'inFlight'; readonly journey: Journey; readonly pending: PendingWrite }
  | { readonly state: 'active'; readonly journey: Journey }
  | { readonly state: 'failed'; readonly journey: Journey; readonly failure: FailureRecord }
  | { readonly state: 'parked'; readonly journey: Journey; readonly failure: FailureRecord }
  | { readonly state: 'rolledBack'; readonly journey: Journey; readonly rollback: RollbackRecord };

export type JourneyState = JourneyProgress['state'];

/** A progress that carries a journey. */
export type InJourney = Exclude<JourneyProgress, { readonly state: 'new' } | { readonly state: 'announced' }>;

/** The user's live authentication methods, read from Graph tonight (kept in memory only). */
export interface LiveMethods {
  /** The `mobile` phone method's number in Graph's `+CC NNN` form, or null when there is none. */
  readonly mobileNumber: string | null;
  readonly hasAlternateMobile: boolean;
  readonly passkeys: readonly { readonly createdDateTime: string | null; readonly passkeyType: PasskeyType }[];
  readonly authenticators: readonly { readonly createdDateTime: string | null }[];
  /** Other strong methods (OATH, Windows Hello for Business, platform credential), beta-only ones included. */
  readonly otherStrong: number;
}

/** The tenant's policy and calendar for one user tonight (see methodAvailability). */
export interface MethodAvailability {
  /** SMS or voice is enabled for the user by the methods policy, and delivered tonight (before the date, or a customer-managed provider). */
  readonly phone: boolean;
  /** Why `phone` is false, for the reports. */
  readonly phoneBlockedBy: 'policy' | 'retired' | null;
  readonly fido2: boolean;
  readonly authenticator: boolean;
}

/** What the shell read about the user tonight. The journey asks for what it lacks (`read`). */
export interface JourneyFacts {
  readonly availability: MethodAvailability;
  /** Journey group ids the user is a (transitive) member of: from tonight's roster refresh, or read live. */
  readonly memberships: ReadonlySet<string>;
  readonly methods?: LiveMethods;
  readonly syncedMobile?: MobileClassification;
  /** Per-user MFA state (strategy perUserMfa). */
  readonly perUserMfaState?: PerUserMfaState;
  /** The latest sign-in of the user that satisfied MFA, as a sign-in signal shows it (null: none seen). */
  readonly lastMfaSignInAt?: string | null;
  /** Memberships were read live after tonight's writes (not only the refresh's snapshot). */
  readonly membershipsLive?: boolean;
}

export type FactNeed = 'methods' | 'syncedMobile' | 'perUserMfaState' | 'memberships' | 'mfaSignIn';

/** Why the journey stops for tonight. */
export type StopReason =
  | 'finished' // every step the settings call for is done
  | 'awaitingRegistration' // in the campaign (or Microsoft's), the target method not seen yet
  | 'awaitingTap' // no method the user can do MFA with: a helpdesk Temporary Access Pass is the way in
  | 'readyToAdvance' // registered: a later night moves the user on (paced by the wave size)
  | 'checked' // a check night: looked, recorded
  | 'notReady' // entering: the user has no way in on this track (see notReadyReason)
  | 'failed'
  | 'parked'
  | 'rolledBack'
  | 'passkeyRemoved'; // registered once, gone now: never moved under the phishing-resistant policy

export interface JourneyContext {
  readonly mode: JourneyMode;
  /** Tonight's wave: every write of the night is recorded with it. */
  readonly waveId: string;
  readonly now: Date;
  readonly settings: JourneySettings;
  /**
   * The write-ahead record is this run's: the write's answer was lost or refused tonight (a timeout, an unreadable
   * answer, a 5xx, a 400 on a create), and Graph is read back before anything else. Not landed, the write counts as
   * tonight's failed attempt with this error. Absent: the record was left by a run that died.
   */
  readonly lostAnswer?: { readonly errorCode: string; readonly requestId: string | null };
}

export type JourneyCommand =
  /** Read these facts, add them to the facts, and ask again. */
  | { readonly kind: 'read'; readonly needs: readonly FactNeed[] }
  /** Persist `progress` (the write-ahead record), then make the write, then `completeWrite` or `failWrite`. */
  | { readonly kind: 'write'; readonly step: JourneyStep; readonly write: GraphWrite; readonly progress: Extract<JourneyProgress, { state: 'inFlight' }> }
  /** Persist `progress` (a table-only change: an observation, a step found done, a failure resolved), then ask again. */
  | { readonly kind: 'record'; readonly progress: JourneyProgress; readonly note: RecordNote }
  /** Nothing more tonight. Persist `progress` when it differs from what was read. */
  | { readonly kind: 'stop'; readonly progress: JourneyProgress; readonly reason: StopReason; readonly notReadyReason?: NotReadyForTrack };

export type RecordNote =
  | 'entered'
  | 'registered'
  | 'registrationLost'
  | 'stepFoundDone'
  | 'phoneConflict'
  | 'pendingLanded'
  | 'pendingNotLanded'
  | 'checked';

/** Why an entering user cannot start on this track tonight (their data changed since planning, or the phone track has no way). */
export type NotReadyForTrack = 'noUsablePhone' | MobileClassification['status'] | 'smsNotAllowed' | 'smsRetired';
