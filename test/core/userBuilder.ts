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

/** Progress of a user whose last write failed. */
export function failed(attempts: number, errorCode = 'GRAPH_UNAVAILABLE'): RolloutProgress {
  return {
    state: 'failed',
    waveId: 'w-failed',
    failedAt: daysFrom(now, -1).toISOString(),
    attempts,
    errorCode,
    requestId: 'req-1',
    announcedAt: daysFrom(now, -10).toISOString(),
  };
}
