import type { GraphWrite, Journey, JourneyStep, StepsDone } from '../../shared/core/journey/journeyTypes.js';
import type { DirectoryUser, RolloutProgress, RosterUser } from '../../shared/core/rosterUser.js';

/** The fixed clock of the core tests: 01:00 UTC, the default nightly schedule. */
export const now = new Date('2026-11-25T01:00:00.000Z');

/** `now` moved by whole days (negative: earlier). */
export function daysFrom(base: Date, days: number): Date {
  return new Date(base.getTime() + days * 24 * 60 * 60 * 1000);
}

/** A GUID-shaped object id that is readable in a failing test: `userId(7)` ends in ...000000000007. */
export function userId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A synced, enabled member with a valid mobile and no known strong method: ready, needs the phone method. */
export function directoryUser(overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  const id = overrides.id ?? userId(1);
  return {
    id,
    userPrincipalName: `user-${id.slice(-4)}@contoso.com`,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: '2026-11-25T00:30:00.000Z',
    department: 'Sales',
    phone: 'validMobile',
    groupIds: [],
    methods: 'none',
    methodsCheckedAt: '2026-11-24T01:00:00.000Z',
    ...overrides,
  };
}

export interface RosterUserOverrides extends Partial<DirectoryUser> {
  readonly progress?: RolloutProgress;
  readonly present?: boolean;
}

/** A roster row: `directoryUser(overrides)` in state `new`, present, unless told otherwise. */
export function rosterUser(overrides: RosterUserOverrides = {}): RosterUser {
  const { progress = { state: 'new' }, present = true, ...directory } = overrides;
  return { directory: directoryUser(directory), progress, present };
}

/** `count` ready users with ids `userId(first)`, `userId(first + 1)`, ... */
export function rosterUsers(count: number, overrides: RosterUserOverrides = {}, first = 1): RosterUser[] {
  return Array.from({ length: count }, (_, index) => rosterUser({ ...overrides, id: userId(first + index) }));
}

/** Progress of a user announced `daysAgo` days before `at`. */
export function announced(daysAgo: number, at: Date = now): RolloutProgress {
  return { state: 'announced', waveId: 'w-announce', announcedAt: daysFrom(at, -daysAgo).toISOString() };
}

/** A journey begun `daysAgo` days before `now` by wave `waveId`, with the given steps done and fields set. */
export function journey(overrides: Partial<Journey> & { readonly waveId?: string; readonly daysAgo?: number } = {}): Journey {
  const { waveId = 'w', daysAgo = 1, ...fields } = overrides;
  const at = daysFrom(now, -daysAgo).toISOString();
  return {
    enteredWaveId: waveId, enteredAt: at, announcedAt: daysFrom(now, -10).toISOString(), enforceFrom: null, entryCompleteAt: null,
    steps: {}, phoneConflict: false, registration: null, lastCheckedAt: null, methods: null, mfaSeenAt: null, attempts: 0,
    ...fields,
  };
}

/** The entry steps done by `waveId` (mobile created, MFA required per user, in the campaign group) `daysAgo` days before `now`. */
export function enteredSteps(waveId = 'w', daysAgo = 1, options: { readonly phone?: boolean; readonly previousMfaState?: 'disabled' | 'enabled' } = {}): StepsDone {
  const step = { waveId, at: daysFrom(now, -daysAgo).toISOString(), wrote: true };
  return {
    ...(options.phone === false ? {} : { phoneMethod: { ...step, action: 'create' as const } }),
    enforceMfa: { ...step, via: 'perUserMfa', previousMfaState: options.previousMfaState ?? 'disabled' },
    joinCampaign: { ...step, groupId: 'c0000000-0000-4000-8000-00000000ca11' },
  };
}

/** Progress of a user the wave `waveId` brought in `daysAgo` days before `now`: MFA required, awaiting registration. */
export function enforced(waveId = 'w', daysAgo = 1, fields: Partial<Journey> = {}): RolloutProgress {
  const at = daysFrom(now, -daysAgo).toISOString();
  return { state: 'active', journey: journey({ waveId, daysAgo, steps: enteredSteps(waveId, daysAgo), entryCompleteAt: at, ...fields }) };
}

/** Progress of a user whose run died before the answer of `step` by `waveId` came back. */
export function inFlight(waveId = 'w', step: JourneyStep = 'enforceMfa', fields: Partial<Journey> = {}): RolloutProgress {
  const write: GraphWrite = step === 'phoneMethod' ? { kind: 'createMobileMethod', graphNumber: '+46 701234567' } : step === 'enforceMfa' ? { kind: 'setPerUserMfaState', state: 'enforced' } : { kind: 'addGroupMember', groupId: 'g' };
  return { state: 'inFlight', journey: journey({ waveId, ...fields }), pending: { step, waveId, since: now.toISOString(), write, previousMfaState: step === 'enforceMfa' ? 'disabled' : null } };
}

/** Progress of a user whose last write failed (`attempts` so far, by wave `w-failed`, the day before `now`). */
export function failed(attempts: number, errorCode = 'GRAPH_UNAVAILABLE', fields: Partial<Journey> = {}): RolloutProgress {
  return {
    state: 'failed',
    journey: journey({ waveId: 'w-failed', attempts, ...fields }),
    failure: { step: 'enforceMfa', waveId: 'w-failed', at: daysFrom(now, -1).toISOString(), errorCode, requestId: 'req-1' },
  };
}

/** Progress of a user parked after `attempts` failures. */
export function parked(attempts = 3, errorCode = 'GRAPH_UNAVAILABLE', fields: Partial<Journey> = {}): RolloutProgress {
  const progress = failed(attempts, errorCode, fields);
  if (progress.state !== 'failed') throw new Error('unreachable');
  return { state: 'parked', journey: progress.journey, failure: progress.failure };
}

/** Progress of a user a rollback (`rollbackWaveId`) of `targetWaveId` holds. */
export function rolledBack(targetWaveId = 'w', rollbackWaveId = 'rb', fields: Partial<Journey> = {}): RolloutProgress {
  return { state: 'rolledBack', journey: journey({ waveId: targetWaveId, ...fields }), rollback: { rollbackWaveId, targetWaveId, at: now.toISOString() } };
}
