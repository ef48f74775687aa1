import type { Config } from '../config/configSchema.js';
import type { MobileClassification } from './classifyMobile.js';
import type { PerUserMfaState, WriteIntent } from './rosterUser.js';

/** What Graph said about a user just before the first write (phone numbers already classified). */
export interface EnrolmentFacts {
  /** The synced `mobilePhone`, classified. */
  readonly synced: MobileClassification;
  /** The existing `mobile` phone method in Graph's form, or null when there is none. */
  readonly mobileMethodNumber: string | null;
  /** The user has any strong (MFA-capable) method, phone methods included. */
  readonly hasStrongMethod: boolean;
  /** Per-user MFA state now (null when the strategy does not use it). */
  readonly mfaState: PerUserMfaState | null;
  /** Strategy `conditionalAccessGroup`: already a member of the MFA group (null when the strategy does not use it). */
  readonly inMfaGroup: boolean | null;
}

export type EnrolmentDecision =
  | { readonly kind: 'notReady'; readonly phone: MobileClassification['status'] }
  | {
      readonly kind: 'write';
      readonly intent: WriteIntent;
      /** The phone method write, if any, with the number in Graph's `+CC NNNN` form. */
      readonly phoneWrite: { readonly action: 'create' | 'update'; readonly graphNumber: string } | null;
      /** The per-user MFA state to set, or null when there is nothing to set. */
      readonly setMfaState: PerUserMfaState | null;
      /** Strategy `conditionalAccessGroup`: add the user to the MFA group. */
      readonly addToMfaGroup: boolean;
    };

/**
 * Decides what to write for one user from what Graph says now:
 * - no mobile method and a valid synced mobile: create it (the number IT provisioned in AD);
 * - no mobile method, no valid synced mobile: fine only with another strong method, else not ready;
 * - a mobile method with a different number: a conflict, left as it is unless
 *   `overwriteConflictingPhone` (the user still has a working MFA phone, so enforcement goes ahead);
 * - per-user MFA: set the configured state unless the user is already there (or already `enforced`);
 * - Conditional Access group: add the user to the group unless they are a member already.
 * Nobody is ever enforced without a phone method or another strong method.
 */
export function decideEnrolment(facts: EnrolmentFacts, config: Pick<Config, 'strategy' | 'perUserState' | 'overwriteConflictingPhone'>): EnrolmentDecision {
  const syncedNumber = facts.synced.status === 'validMobile' ? facts.synced.graphNumber ?? null : null;
  let phoneWrite: { action: 'create' | 'update'; graphNumber: string } | null = null;
  let phoneConflict = false;
  if (facts.mobileMethodNumber === null) {
    if (syncedNumber !== null) phoneWrite = { action: 'create', graphNumber: syncedNumber };
    else if (!facts.hasStrongMethod) return { kind: 'notReady', phone: facts.synced.status };
  } else if (syncedNumber !== null && syncedNumber !== facts.mobileMethodNumber) {
    if (config.overwriteConflictingPhone) phoneWrite = { action: 'update', graphNumber: syncedNumber };
    else phoneConflict = true;
  }
  let setMfaState: PerUserMfaState | null = null;
  let addToMfaGroup = false;
  if (config.strategy === 'perUserMfa') {
    const done = facts.mfaState === 'enforced' || facts.mfaState === config.perUserState;
    if (!done) setMfaState = config.perUserState;
  } else {
    addToMfaGroup = facts.inMfaGroup !== true;
  }
  return {
    kind: 'write',
    intent: {
      previousMfaState: facts.mfaState,
      createsPhoneMethod: phoneWrite?.action === 'create',
      phoneConflict,
      alreadyDone: config.strategy === 'perUserMfa' ? setMfaState === null : !addToMfaGroup,
    },
    phoneWrite,
    setMfaState,
    addToMfaGroup,
  };
}
