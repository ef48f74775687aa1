import type { Journal, JournalEntry, RequestCounters } from '../stats/journal.js';
import type { SandboxManifest } from '../tenant/tenantModel.js';
import { graphDateTime } from '../tenant/graphDateTime.js';
import { createSandboxScenarios, type SandboxScenarios } from './sandboxScenarios.js';
import type { TenantState } from '../tenant/tenantState.js';

/** The directory-sync fields of /organization, as an admin sets them. */
export interface OrganizationChange {
  /** `true` (sync on), `false` (switched off), `null` (never synced). */
  readonly onPremisesSyncEnabled?: boolean | null;
  /** A fixed time (ISO 8601) or null; frozen until changed again. */
  readonly onPremisesLastSyncDateTime?: string | null;
  /** Alternative to a fixed time: the last sync is always this many minutes before the sandbox clock (default 20). */
  readonly lastSyncAgeMinutes?: number;
}

/** What tests and the admin API can do to a running sandbox. Validation errors are RangeErrors naming the field. */
export interface SandboxControls {
  manifest(): SandboxManifest;
  journal(since?: number): readonly JournalEntry[];
  counters(): RequestCounters;
  now(): Date;
  setNow(date: Date | string): Date;
  organization(): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  setOrganization(change: OrganizationChange): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  roles(): readonly string[];
  setRoles(roles: readonly string[]): readonly string[];
  /** Conditional Access scenarios, the registration report's settings and simulated sign-ins. */
  readonly scenarios: SandboxScenarios;
}

const isDate = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

export function createSandboxControls(tenant: TenantState, journal: Journal): SandboxControls {
  return {
    manifest: () => tenant.manifest,
    scenarios: createSandboxScenarios(tenant),
    journal: (since) => journal.entries(since),
    counters: () => journal.counters(),
    now: () => tenant.now(),
    setNow: (date) => {
      const value = typeof date === 'string' ? (isDate(date) ? new Date(date) : undefined) : date;
      if (value === undefined || Number.isNaN(value.getTime())) throw new RangeError("clock: expected 'now' to be an ISO 8601 date-time");
      tenant.setNow(value);
      return tenant.now();
    },
    organization: () => tenant.directorySync(),
    setOrganization: (change) => {
      const { onPremisesSyncEnabled, onPremisesLastSyncDateTime, lastSyncAgeMinutes } = change;
      if (onPremisesSyncEnabled !== undefined && onPremisesSyncEnabled !== null && typeof onPremisesSyncEnabled !== 'boolean') {
        throw new RangeError("organization: expected 'onPremisesSyncEnabled' to be true, false or null");
      }
      if (onPremisesLastSyncDateTime !== undefined && onPremisesLastSyncDateTime !== null && !isDate(onPremisesLastSyncDateTime)) {
        throw new RangeError("organization: expected 'onPremisesLastSyncDateTime' to be an ISO 8601 date-time or null");
      }
      if (lastSyncAgeMinutes !== undefined && !(typeof lastSyncAgeMinutes === 'number' && lastSyncAgeMinutes >= 0)) {
        throw new RangeError("organization: expected 'lastSyncAgeMinutes' to be a number of 0 or more");
      }
      if (onPremisesLastSyncDateTime !== undefined && lastSyncAgeMinutes !== undefined) {
        throw new RangeError("organization: give either 'onPremisesLastSyncDateTime' or 'lastSyncAgeMinutes', not both");
      }
      tenant.setDirectorySync({
        ...(onPremisesSyncEnabled === undefined ? {} : { onPremisesSyncEnabled }),
        ...(onPremisesLastSyncDateTime === undefined
          ? {}
          : { lastSync: { fixed: onPremisesLastSyncDateTime === null ? null : graphDateTime(new Date(onPremisesLastSyncDateTime)) } }),
        ...(lastSyncAgeMinutes === undefined ? {} : { lastSync: { ageMinutes: lastSyncAgeMinutes } }),
      });
      return tenant.directorySync();
    },
    roles: () => tenant.app.roles,
    setRoles: (roles) => {
      if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) throw new RangeError("roles: expected 'roles' to be a list of permission names");
      tenant.setRoles(roles);
      return tenant.app.roles;
    },
  };
}
