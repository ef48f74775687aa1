/**
 * The record of one night (a wave, a held night, a resume marker or a rollback), as the core reads it
 * to decide ramp-up and halting. The waves table holds one per night; the core never sees the table.
 */

export type WaveKind =
  | 'enforce' // a wave that announced and/or enforced users
  | 'held' // the tenant gate was closed (sync stale or off); nothing was written
  | 'resume' // an operator (or the auto-resume rule) lifted a halt
  | 'rollback'; // an operator undid a wave

export type WaveStatus =
  | 'running' // started, not closed: the process died or is still running
  | 'completed' // every planned user got an outcome
  | 'stopped' // stopped cleanly by the time budget; the rest continues next night
  | 'halted' // the failure-rate breaker stopped it
  | 'held'
  | 'done'; // resume and rollback records

export interface ErrorCount {
  readonly code: string;
  readonly count: number;
}

/** What a wave did on the way to passkeys, users counted once per thing tonight (see the journey, `journeyTypes.ts`). */
export interface JourneyCounts {
  /** Joined the campaign group tonight (the registration campaign nudges them). */
  readonly nudged: number;
  /** The target method (a passkey, or Microsoft Authenticator) first seen tonight. */
  readonly registered: number;
  /** Joined the phishing-resistant group tonight. */
  readonly phishingResistant: number;
  /** Joined the phone-retired group tonight (the Sms and Voice configurations exclude it). */
  readonly phoneRetired: number;
  /** Entered tonight with no method to do MFA with: listed for a helpdesk Temporary Access Pass. */
  readonly awaitingTap: number;
  /** Users whose live methods were read on a check night. */
  readonly checked: number;
  /** Registered users moved on tonight (their advance steps attempted). */
  readonly advanced: number;
}

export const noJourneyCounts: JourneyCounts = { nudged: 0, registered: 0, phishingResistant: 0, phoneRetired: 0, awaitingTap: 0, checked: 0, advanced: 0 };

export interface WaveSummary {
  readonly waveId: string;
  readonly kind: WaveKind;
  readonly status: WaveStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** The pilot wave enforces only pilot-ring users; ramp-up starts after it. */
  readonly pilot: boolean;
  /** Size the planner aimed for. */
  readonly targetSize: number;
  /** Users selected for enforcement tonight. */
  readonly planned: number;
  /** Users newly announced tonight (notice period). */
  readonly announced: number;
  /** Users whose writes were attempted (planned minus those not reached before a halt or the time budget). */
  readonly attempted: number;
  readonly enforced: number;
  /** Of `enforced`: users already in the target state (no write needed). */
  readonly alreadyDone: number;
  readonly phoneMethodsRegistered: number;
  readonly failed: number;
  /** Users not written tonight, by reason (not ready, excluded, waiting for notice...). */
  readonly skipped: Readonly<Record<string, number>>;
  /** Why the wave halted or the night was held. */
  readonly reason: string | null;
  readonly topErrors: readonly ErrorCount[];
  /** Wave this record acts on (rollback, resume). */
  readonly targetWaveId: string | null;
  /** Hash of the config the night ran with, so a report can show when settings changed. */
  readonly configHash: string;
  /** The journey's counts of the night (all 0 on records written before the passkey track). */
  readonly journey: JourneyCounts;
}
