import type { PerUserMfaState } from '../rosterUser.js';
import { stepsWrittenBy } from './journeyTransitions.js';
import type { Journey, JourneyStep } from './journeyTypes.js';

/** One Graph write that undoes one step. */
export type UndoWrite =
  | { readonly step: JourneyStep; readonly kind: 'restorePerUserMfaState'; readonly state: PerUserMfaState }
  | { readonly step: JourneyStep; readonly kind: 'removeGroupMember'; readonly groupId: string }
  | { readonly step: JourneyStep; readonly kind: 'deleteMobileMethod' };

export interface RollbackPlan {
  /** The undo writes, newest step first (a user leaves the phishing-resistant policy before MFA stops being required). */
  readonly undo: readonly UndoWrite[];
  /** Steps the wave wrote that stay: the mobile method without `--remove-phone-methods`. */
  readonly kept: readonly JourneyStep[];
}

const undoOrder: readonly JourneyStep[] = ['joinPhoneRetired', 'joinPhishingResistant', 'joinCampaign', 'enforceMfa', 'phoneMethod'];

/**
 * What a rollback of `targetWaveId` writes for one user: exactly the steps that wave wrote (never what it found
 * already done), undone in reverse order — out of the phone-retired and phishing-resistant groups, out of the
 * campaign group, per-user MFA back to the state recorded before the write (or out of the MFA group), and the
 * mobile method the wave created only when asked to remove phone methods.
 */
export function rollbackPlan(journey: Journey, targetWaveId: string, options: { readonly removePhoneMethods: boolean; readonly caGroupId: string | undefined }): RollbackPlan {
  const written = new Set(stepsWrittenBy(journey, targetWaveId));
  const undo: UndoWrite[] = [];
  const kept: JourneyStep[] = [];
  for (const step of undoOrder) {
    if (!written.has(step)) continue;
    const { steps } = journey;
    switch (step) {
      case 'phoneMethod':
        if (options.removePhoneMethods) undo.push({ step, kind: 'deleteMobileMethod' });
        else kept.push(step);
        break;
      case 'enforceMfa': {
        const record = steps.enforceMfa;
        if (record === undefined) break;
        if (record.via === 'perUserMfa') undo.push({ step, kind: 'restorePerUserMfaState', state: record.previousMfaState ?? 'disabled' });
        else undo.push({ step, kind: 'removeGroupMember', groupId: record.groupId ?? options.caGroupId ?? '' });
        break;
      }
      case 'joinCampaign':
      case 'joinPhishingResistant':
      case 'joinPhoneRetired': {
        const record = steps[step];
        if (record !== undefined) undo.push({ step, kind: 'removeGroupMember', groupId: record.groupId });
        break;
      }
    }
  }
  return { undo, kept };
}
