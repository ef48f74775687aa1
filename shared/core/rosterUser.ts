import type { JourneyProgress } from './journey/journeyTypes.js';

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

/**
 * The rollout's progress for one user: before the journey (new, announced) and in it (in flight, active, failed,
 * parked, rolled back), changed only through the journey's transitions (`shared/core/journey/journeyTransitions.ts`,
 * plus `announce` in `rolloutState.ts`). See `journeyTypes.ts`.
 */
export type RolloutProgress = JourneyProgress;

export type RolloutState = RolloutProgress['state'];

export const rolloutStates: readonly RolloutState[] = ['new', 'announced', 'inFlight', 'active', 'failed', 'parked', 'rolledBack'];

export interface RosterUser {
  readonly directory: DirectoryUser;
  readonly progress: RolloutProgress;
  /** Whether the user was still present at the last roster refresh. */
  readonly present: boolean;
}
