import { graphDateTime } from './graphDateTime.js';
import type { SeededTenant } from './seedTenant.js';
import {
  phoneMethodIds,
  type DirectorySyncSetting,
  type OtherAuthenticationMethod,
  type PerUserMfaState,
  type PhoneMethod,
  type PhoneType,
  type SandboxGroup,
  type SandboxManifest,
  type SandboxOrganization,
  type SandboxUser,
} from './tenantModel.js';

/** The app registration the rollout signs in as, and the Graph application permissions consented to it. */
export interface AppRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly displayName: string;
  roles: readonly string[];
}

export type AddPhoneMethodResult =
  | { readonly ok: true; readonly method: PhoneMethod }
  | { readonly ok: false; readonly reason: 'alreadyExists' | 'mobileRequired' };

/** The live, in-memory tenant: what Graph reads and writes. Tests assert on it directly. */
export interface TenantState {
  readonly tenantId: string;
  readonly organization: SandboxOrganization;
  readonly users: readonly SandboxUser[];
  readonly groups: readonly SandboxGroup[];
  readonly manifest: SandboxManifest;
  readonly app: AppRegistration;
  /** The sandbox clock: the injected clock plus whatever offset setNow introduced. */
  now(): Date;
  /** Moves the sandbox clock so that now() returns `date` at this instant; time keeps flowing from there. */
  setNow(date: Date): void;
  /** By object id or by UPN, both case-insensitive. */
  findUser(idOrUpn: string): SandboxUser | undefined;
  findGroup(id: string): SandboxGroup | undefined;
  phoneMethods(userId: string): readonly PhoneMethod[];
  addPhoneMethod(userId: string, phoneType: PhoneType, phoneNumber: string): AddPhoneMethodResult;
  /** Returns false when the user has no method with this id. */
  updatePhoneMethod(userId: string, methodId: string, phoneNumber: string): boolean;
  deletePhoneMethod(userId: string, methodId: string): PhoneMethod | undefined;
  otherMethods(userId: string): readonly OtherAuthenticationMethod[];
  /** A phone, Microsoft Authenticator or FIDO2 method is registered. */
  hasStrongMethod(userId: string): boolean;
  perUserMfaState(userId: string): PerUserMfaState;
  /** Applies Graph's rule: `enabled` on a user with a registered strong method becomes `enforced`. Returns the state stored. */
  setPerUserMfaState(userId: string, requested: PerUserMfaState): PerUserMfaState;
  directorySync(): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  setDirectorySync(change: Partial<DirectorySyncSetting>): void;
  setRoles(roles: readonly string[]): void;
}

export interface TenantStateOptions {
  readonly seeded: SeededTenant;
  readonly clock: () => Date;
  readonly clientSecret: string;
  readonly roles: readonly string[];
}

export function createTenantState(options: TenantStateOptions): TenantState {
  const { seeded, clock } = options;
  let offsetMs = 0;
  const now = (): Date => new Date(clock().getTime() + offsetMs);
  const byId = new Map<string, SandboxUser>();
  const byUpn = new Map<string, SandboxUser>();
  for (const user of seeded.users) {
    byId.set(user.id.toLowerCase(), user);
    byUpn.set(user.userPrincipalName.toLowerCase(), user);
  }
  const groupsById = new Map(seeded.groups.map((group) => [group.id.toLowerCase(), group]));
  const phones = seeded.phoneMethods;
  const mfaStates = seeded.mfaStates;
  const sync: DirectorySyncSetting = { onPremisesSyncEnabled: true, lastSync: { ageMinutes: 20 } };
  const app: AppRegistration = {
    clientId: seeded.clientId,
    clientSecret: options.clientSecret,
    displayName: 'MFA Rollout',
    roles: [...options.roles],
  };

  const phoneMethods = (userId: string): readonly PhoneMethod[] => phones.get(userId) ?? [];
  const otherMethods = (userId: string): readonly OtherAuthenticationMethod[] => seeded.otherMethods.get(userId) ?? [];
  const hasStrongMethod = (userId: string): boolean => phoneMethods(userId).length > 0 || otherMethods(userId).length > 0;

  return {
    tenantId: seeded.tenantId,
    organization: seeded.organization,
    users: seeded.users,
    groups: seeded.groups,
    manifest: seeded.manifest,
    app,
    now,
    setNow: (date) => {
      offsetMs = date.getTime() - clock().getTime();
    },
    findUser: (idOrUpn) => {
      const key = idOrUpn.toLowerCase();
      return byId.get(key) ?? byUpn.get(key);
    },
    findGroup: (id) => groupsById.get(id.toLowerCase()),
    phoneMethods,
    addPhoneMethod: (userId, phoneType, phoneNumber) => {
      const existing = phoneMethods(userId);
      if (existing.some((method) => method.phoneType === phoneType)) return { ok: false, reason: 'alreadyExists' };
      if (phoneType === 'alternateMobile' && !existing.some((method) => method.phoneType === 'mobile')) return { ok: false, reason: 'mobileRequired' };
      const method: PhoneMethod = {
        id: phoneMethodIds[phoneType],
        phoneType,
        phoneNumber,
        smsSignInState: phoneType === 'mobile' ? 'notAllowedByPolicy' : 'notSupported',
      };
      phones.set(userId, [...existing, method]);
      return { ok: true, method };
    },
    updatePhoneMethod: (userId, methodId, phoneNumber) => {
      const method = phoneMethods(userId).find((candidate) => candidate.id === methodId.toLowerCase());
      if (method === undefined) return false;
      method.phoneNumber = phoneNumber;
      return true;
    },
    deletePhoneMethod: (userId, methodId) => {
      const existing = phoneMethods(userId);
      const method = existing.find((candidate) => candidate.id === methodId.toLowerCase());
      if (method !== undefined) phones.set(userId, existing.filter((candidate) => candidate !== method));
      return method;
    },
    otherMethods,
    hasStrongMethod,
    perUserMfaState: (userId) => mfaStates.get(userId) ?? 'disabled',
    setPerUserMfaState: (userId, requested) => {
      const stored = requested === 'enabled' && hasStrongMethod(userId) ? 'enforced' : requested;
      mfaStates.set(userId, stored);
      return stored;
    },
    directorySync: () => ({
      onPremisesSyncEnabled: sync.onPremisesSyncEnabled,
      onPremisesLastSyncDateTime:
        'fixed' in sync.lastSync ? sync.lastSync.fixed : graphDateTime(new Date(now().getTime() - sync.lastSync.ageMinutes * 60_000)),
    }),
    setDirectorySync: (change) => {
      if (change.onPremisesSyncEnabled !== undefined) sync.onPremisesSyncEnabled = change.onPremisesSyncEnabled;
      if (change.lastSync !== undefined) sync.lastSync = change.lastSync;
    },
    setRoles: (roles) => {
      app.roles = [...roles];
    },
  };
}
