import type { SyncHealth } from './syncHealth.js';
import { noJourneyCounts, type WaveSummary } from './waveHistory.js';
import type { WavePlan } from './wavePlan.js';
import type { WaveVerdict } from './waveTally.js';

/**
 * Every wave record the rollout writes is built here: a wave's start and close, a held night, and the resume and
 * rollback markers. The shell saves them; the core (ramp-up, halt, one wave per night) reads them back.
 */

const noCounts = {
  pilot: false, targetSize: 0, planned: 0, announced: 0, attempted: 0, enforced: 0, alreadyDone: 0, phoneMethodsRegistered: 0, failed: 0,
  skipped: {}, topErrors: [], targetWaveId: null, journey: noJourneyCounts,
} as const;

/** A wave as recorded when it starts, before any write of the night: `running` until it is closed. */
export function startedWave(waveId: string, now: Date, plan: WavePlan<unknown>, configHash: string): WaveSummary {
  return {
    ...noCounts, waveId, kind: 'enforce', status: 'running', startedAt: now.toISOString(), endedAt: null, pilot: plan.pilot,
    targetSize: plan.targetSize, planned: plan.enforce.length, skipped: nonZero(plan.waiting), reason: null, configHash,
  };
}

/** The started wave closed with what its tally decided (completed, halted or stopped by the time budget). */
export function closedWave(start: WaveSummary, announced: number, verdict: WaveVerdict, endedAt: Date): WaveSummary {
  const { rowChanged, ...counts } = verdict.counts;
  return {
    ...start, ...counts, announced, status: verdict.status, endedAt: endedAt.toISOString(), reason: verdict.reason, topErrors: verdict.topErrors,
    skipped: { ...start.skipped, ...(rowChanged > 0 ? { rowChanged } : {}) },
  };
}

/**
 * What a wave record whose run never counted it says of its counts: they are the start record's (planned, and 0
 * enforced), not what the wave did. `rollback --wave` still reaches every user it wrote (their journey records).
 */
export function countsAsAtStart(waveId: string): string {
  return `the counts are as saved at its start, not what the wave did (\`mfa-rollout rollback --wave ${waveId} --dry-run\` lists the users it wrote)`;
}

/**
 * The wave stopped on an error the run could not go on after (storage failed, the lease was lost...). The tally's
 * counts die with the error, so the record keeps the start's and says so.
 */
export function stoppedWave(wave: WaveSummary, failure: { readonly code: string; readonly message: string }, endedAt: Date): WaveSummary {
  return { ...wave, status: 'stopped', endedAt: endedAt.toISOString(), reason: `${failure.code}: ${failure.message}; ${countsAsAtStart(wave.waveId)}` };
}

/** A wave left `running` by a run that died, closed by the next run (one run at a time: the lease). */
export function diedWave(wave: WaveSummary): WaveSummary {
  return {
    ...wave, status: 'stopped',
    reason: `the run died before closing this wave (killed, timed out, recycled, or Table Storage failed); ${countsAsAtStart(wave.waveId)}; the users it left in flight are reconciled from Graph by the next run and stay in this wave (a rollback of it reaches them)`,
  };
}

/** A night held before anything was written: the tenant sync gate was closed, or the strategy preflight refused. */
export function heldWave(waveId: string, now: Date, reason: string, configHash: string): WaveSummary {
  return { ...noCounts, waveId, kind: 'held', status: 'held', startedAt: now.toISOString(), endedAt: now.toISOString(), reason, configHash };
}

/** The reason a closed sync gate holds the night, with the age (or lead) of the last sync when known. */
export function syncHeldReason(health: Extract<SyncHealth, { open: false }>): string {
  const detail = 'ageMinutes' in health ? ` (last sync ${health.ageMinutes} min ago)` : 'aheadMinutes' in health ? ` (last sync ${health.aheadMinutes} min in the future)` : '';
  return `${health.reason}${detail}`;
}

/** A resume or rollback record: it changes what the core decides, so it lives in the wave history. */
export function markerWave(kind: 'resume' | 'rollback', waveId: string, now: Date, targetWaveId: string, reason: string, configHash: string): WaveSummary {
  return { ...noCounts, waveId, kind, status: 'done', startedAt: now.toISOString(), endedAt: now.toISOString(), reason, targetWaveId, configHash };
}

/** What a rollback did to the users of the wave it undid, for its record. */
export interface RollbackCounts {
  /** Users the rollback set out to undo. */
  readonly attempted: number;
  readonly reverted: number;
  readonly failed: number;
  /** Mobile phone methods kept because Graph refuses to delete them (the default MFA method, or the alternate mobile). */
  readonly phonesKept: number;
}

/** The record of one rollback: the marker the core reads (the brake on the ramp), with what it did in words and counts. */
export function rollbackMarkerWave(waveId: string, now: Date, targetWaveId: string, counts: RollbackCounts, configHash: string): WaveSummary {
  const failed = counts.failed > 0 ? `; ${counts.failed} failed (run it again)` : '';
  const kept = counts.phonesKept > 0 ? `; ${counts.phonesKept} mobile(s) kept: Graph refuses to delete them (default MFA method or alternate mobile)` : '';
  return {
    ...markerWave('rollback', waveId, now, targetWaveId, `rolled back ${counts.reverted} of ${counts.attempted} user(s)${failed}${kept}`, configHash),
    attempted: counts.attempted, enforced: counts.reverted, failed: counts.failed,
  };
}

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
}
