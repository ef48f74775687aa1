/**
 * What the rollout knows about one user: a directory snapshot (refreshed from Graph every night) and the
 * rollout's own progress for that user. No phone number is ever held here: only what the synced mobile
 * number *is* (its classification), so tables, logs and reports cannot leak it.
 */

/** What the synced `mobilePhone` profile value amounts to, decided by `classifyMobile`. */
export type PhoneStatus =
  | 'validMobile' // parses as a valid mobile (or fixed-line-or-mobile) number; writable as `+CC NNNN`
  | 'missing' // no mobile number synced
  | 'invalid' // present but not a valid number (typos, doubled prefixes, too short)
  | 'noCountryCode' // national format and no MFA_DEFAULT_PHONE_REGION to resolve it
  | 'landline' // valid, but a fixed line / VoIP / toll-free number: SMS impossible
  | 'hasExtension'; // valid, but carries an extension: not a mobile

/** Whether the user already has a strong MFA method (from `/authentication/methods`), if known. */
export type MethodsKnowledge = 'unknown' | 'none' | 'registered';

export interface DirectoryUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean;
  readonly userType: 'Member' | 'Guest';
  /** `true` synced now, `false` synced once and no longer, `null` never synced (cloud-only). */
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesLastSyncDateTime: string | null;
  readonly department: string | null;
  /**
   * The user's `mail` (their SMTP address), the notices' recipient: in hybrid tenants the UPN often is not an address.
   * Null: no mailbox address; absent: not read (a row from before it was).
   */
  readonly mail?: string | null;
  readonly phone: PhoneStatus;
  /** Ids of the configured groups (pilot, rings, exclusion) the user is a direct or nested member of. */
  readonly groupIds: readonly string[];
  readonly methods: MethodsKnowledge;
  /** When `methods` was last read from Graph (ISO), or null. */
  readonly methodsCheckedAt: string | null;
}

/** Per-user MFA state as Graph beta reports it. */
export type PerUserMfaState = 'disabled' | 'enabled' | 'enforced';

/** The Graph write steps of enrolling one user, in order. */
export type WriteStep = 'phoneMethod' | 'enforce';

/**
 * What an attempt is about to write, decided from Graph's answers before the first write and recorded with
 * the intent (write-ahead). A run that dies mid-write is recovered from it: the previous per-user state for
 * rollback, and whether a phone method found afterwards was created by the rollout.
 */
export interface WriteIntent {
  readonly previousMfaState: PerUserMfaState | null;
  readonly createsPhoneMethod: boolean;
  readonly phoneConflict: boolean;
  /** The user is already in the target state: nothing to write for the enforcement. */
  readonly alreadyDone: boolean;
}

/**
 * The rollout's progress for one user: a tagged union, changed only through `rolloutState` transitions.
 *   new -> announced -> inFlight -> enforced -> rolledBack
 *                         inFlight -> failed -> (retried) inFlight | parked
 */
export type RolloutProgress =
  | { readonly state: 'new' }
  | { readonly state: 'announced'; readonly waveId: string; readonly announcedAt: string }
  | {
      readonly state: 'inFlight';
      readonly waveId: string;
      readonly step: WriteStep;
      readonly since: string;
      readonly attempts: number;
      readonly announcedAt: string | null;
      readonly intent: WriteIntent;
    }
  | {
      readonly state: 'enforced';
      readonly waveId: string;
      readonly enforcedAt: string;
      readonly attempts: number;
      /** Per-user MFA state before the rollout wrote it (for rollback); `null` when the strategy does not use it. */
      readonly previousMfaState: PerUserMfaState | null;
      /** The rollout created the mobile phone method (rollback may remove it, with an explicit flag). */
      readonly phoneMethodCreated: boolean;
      /** The rollout wrote nothing: the user was already in the target state. */
      readonly alreadyDone: boolean;
      /** The user already had a mobile phone method that differs from the synced number; it was left as it was. */
      readonly phoneConflict: boolean;
      /** MFA-capable (a method the methods policy allows: the report's `isMfaCapable`, and live) at the last check. */
      readonly registration: 'unknown' | 'registered' | 'notRegistered';
      readonly verifiedAt: string | null;
      /** The latest sign-in since enforcement that satisfied MFA, as the sign-in log showed it (null: none seen). */
      readonly mfaSignInAt?: string | null;
      /** When the sign-in log was last read for this user (null or absent: never, or it was unavailable). */
      readonly mfaCheckedAt?: string | null;
    }
  | {
      readonly state: 'failed';
      readonly waveId: string;
      readonly failedAt: string;
      readonly attempts: number;
      readonly errorCode: string;
      readonly requestId: string | null;
      readonly announcedAt: string | null;
      /**
       * The failed attempt had already created the mobile phone method (absent: it had not). Carried into the retry,
       * which finds the method in place and writes nothing for it, so the enforced record (and a rollback) still know.
       */
      readonly phoneMethodCreated?: boolean;
    }
  | {
      readonly state: 'parked';
      readonly waveId: string;
      readonly parkedAt: string;
      readonly attempts: number;
      readonly errorCode: string;
      readonly requestId: string | null;
      /** As for `failed`: kept so that a user released by `mfa-rollout retry-parked` still knows the method is the rollout's. */
      readonly phoneMethodCreated?: boolean;
    }
  | { readonly state: 'rolledBack'; readonly waveId: string; readonly rolledBackAt: string; readonly rollbackWaveId: string };

export type RolloutState = RolloutProgress['state'];

export const rolloutStates: readonly RolloutState[] = ['new', 'announced', 'inFlight', 'enforced', 'failed', 'parked', 'rolledBack'];

export interface RosterUser {
  readonly directory: DirectoryUser;
  readonly progress: RolloutProgress;
  /** Whether the user was still present at the last roster refresh. */
  readonly present: boolean;
}
