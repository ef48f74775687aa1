import { conditionalAccessPolicies } from '../conditionalAccess/conditionalAccessPolicies.js';
import { policyRequiresMfa, type PolicySubject } from '../conditionalAccess/policyRequiresMfa.js';
import { createRandom } from './random.js';
import { registrationSnapshot } from '../report/registrationSnapshot.js';
import type { SeededTenant } from './seedTenant.js';
import { createSlidingWindowLimit, type SlidingWindowLimit } from '../quota/slidingWindowLimit.js';
import { createMailboxes, type Mailboxes } from '../mail/createMailboxes.js';
import {
  globalAdministratorRoleId,
  graphDateTime,
  phoneMethodIds,
  type ConditionalAccessPolicy,
  type ConditionalAccessSettings,
  type DirectorySyncSetting,
  type OtherAuthenticationMethod,
  type PerUserMfaState,
  type PhoneMethod,
  type PhoneType,
  type RegistrationReportSettings,
  type RegistrationSnapshot,
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

/** Graph refuses to delete a mobile while an alternate mobile exists, and any phone that is the user's default MFA method. */
export type DeletePhoneMethodResult =
  | { readonly ok: true; readonly method: PhoneMethod }
  | { readonly ok: false; readonly reason: 'notFound' | 'alternateMobilePresent' | 'defaultMethod' };

/** One interactive sign-in as the sign-in log keeps it (beta `auditLogs/signIns`), on the sandbox clock. */
export interface SignInRecord {
  readonly id: string;
  /** Sandbox clock, ms. */
  readonly atMs: number;
  readonly userId: string;
  /** `multiFactorAuthentication` when MFA was demanded and done, else `singleFactorAuthentication`. */
  readonly authenticationRequirement: 'multiFactorAuthentication' | 'singleFactorAuthentication';
  /** The second factor used (`SMS`, `Voice`, `Authenticator App`, `FIDO2 security key`), or null for a single-factor sign-in. */
  readonly secondFactor: string | null;
}

/** All or nothing: on failure nobody was added, and `id` is the first offending id as given. */
export type AddMembersResult =
  | { readonly ok: true; readonly added: readonly string[] }
  | { readonly ok: false; readonly reason: 'notFound' | 'alreadyMember'; readonly id: string };

/** What one sign-in did (TenantState.signIn). */
export interface SignInOutcome {
  /** MFA was demanded: per-user state `enabled`/`enforced`, or an enforced Conditional Access policy requiring `mfa`. */
  readonly mfaRequired: boolean;
  /** MFA was demanded, the user had no strong method, and registered Microsoft Authenticator during the sign-in. */
  readonly registeredAuthenticator: boolean;
  /** Per-user `enabled` became `enforced` (Graph's rule, now that a strong method is registered). */
  readonly enforced: boolean;
  /** When the report shows the user's methods as they are after this sign-in (sandbox clock). */
  readonly reportVisibleAt: Date;
}

/** Graph's per-family request limits (graph-notes §3, §6), on real time. */
export interface FamilyLimits {
  /** 1 request per second per tenant (key: the tenant id). */
  readonly conditionalAccess: SlidingWindowLimit;
  /** 5 requests per 10 s per app and tenant (key: the calling app id). */
  readonly registrationReport: SlidingWindowLimit;
}

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
  /** Refused as Graph refuses (docs/graph-behaviour.md#phone-methods): a mobile beside an alternate mobile, or the default MFA method. */
  deletePhoneMethod(userId: string, methodId: string): DeletePhoneMethodResult;
  /**
   * The id of the user's default MFA method: the one set with setDefaultMfaMethod while it is registered, else the
   * first strong method they registered; null without one.
   */
  defaultMfaMethodId(userId: string): string | null;
  /** As a user changing their default method in My Sign-Ins; null goes back to the first registered. */
  setDefaultMfaMethod(userId: string, methodId: string | null): void;
  otherMethods(userId: string): readonly OtherAuthenticationMethod[];
  /** A phone, Microsoft Authenticator or FIDO2 method is registered. */
  hasStrongMethod(userId: string): boolean;
  perUserMfaState(userId: string): PerUserMfaState;
  /** Applies Graph's rule: `enabled` on a user with a registered strong method becomes `enforced`. Returns the state stored. */
  setPerUserMfaState(userId: string, requested: PerUserMfaState): PerUserMfaState;
  directorySync(): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  setDirectorySync(change: Partial<DirectorySyncSetting>): void;
  setRoles(roles: readonly string[]): void;

  readonly limits: FamilyLimits;
  isGroupMember(groupId: string, userId: string): boolean;
  /** Adds users (by object id) to a group, all or nothing: an unknown id, a member or a repeated id adds nobody. */
  addGroupMembers(groupId: string, userIds: readonly string[]): AddMembersResult;
  /** Returns false when the user is not a member. */
  removeGroupMember(groupId: string, userId: string): boolean;
  /** Directory role template ids the user holds (break-glass accounts: Global Administrator). */
  userRoles(userId: string): readonly string[];
  /** Registers Microsoft Authenticator (push) for the user, as a sign-in's interrupt registration does. */
  addAuthenticatorMethod(userId: string): OtherAuthenticationMethod;
  conditionalAccessPolicies(): readonly ConditionalAccessPolicy[];
  conditionalAccessSettings(): Readonly<ConditionalAccessSettings>;
  /** A new scenario replaces the policy set (modifiedDateTime: now); `throttled` switches the 1 rps limit. */
  setConditionalAccess(change: Partial<ConditionalAccessSettings>): void;
  /** Whether a sign-in now would demand MFA of the user: per-user `enabled`/`enforced`, or an enforced CA policy. */
  mfaRequired(userId: string): boolean;
  /**
   * The user's entry as the registration report shows it now: their methods as they were `lagMinutes` ago (the
   * report refreshes on its own after any method change, sign-in or not), else as generated. Undefined for unknown
   * and disabled accounts.
   */
  registrationEntry(userId: string): RegistrationSnapshot | undefined;
  /** registrationEntry for many users at one instant (the list endpoint): cheap per user. */
  registrationView(): (user: SandboxUser) => RegistrationSnapshot | undefined;
  registrationReportSettings(): Readonly<RegistrationReportSettings>;
  setRegistrationReport(change: Partial<RegistrationReportSettings>): void;
  /**
   * One interactive sign-in, kept in the sign-in log: when MFA is demanded and no strong method is registered, the
   * user registers Microsoft Authenticator (a method change the report shows after the lag); per-user `enabled` with a
   * strong method becomes `enforced`. Undefined (nothing happens) for unknown and disabled accounts.
   */
  signIn(userId: string): SignInOutcome | undefined;
  /** The sign-in log, oldest first. */
  signIns(): readonly SignInRecord[];
  /** Exchange Online's side of `sendMail`: the per-mailbox limits and every accepted message (sandbox clock). */
  readonly mail: Mailboxes;
}

export interface TenantStateOptions {
  readonly seeded: SeededTenant;
  readonly clock: () => Date;
  readonly clientSecret: string;
  readonly roles: readonly string[];
  /** Real time in ms for the per-family request limits (default Date.now). */
  readonly realNow?: () => number;
  /** Shortens the per-family limit windows like the quotas' `timeScale` (default 1: Graph's own). */
  readonly limitTimeScale?: number;
}

/** Generation-time report entries are dated this long before the sandbox started. */
const generationAgeMs = 24 * 60 * 60_000;
const authenticatorDevices = ['iPhone 15', 'iPhone 14', 'Pixel 8', 'Galaxy S24', 'iPhone SE'];

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

  // The order methods were registered in, for the default MFA method (generated ones: phones first, in type order)
  let registrations = 0;
  const registeredOrder = new Map<string, number>();
  const noteRegistration = (userId: string, methodId: string): void => {
    registeredOrder.set(`${userId}|${methodId}`, (registrations += 1));
  };
  for (const [userId, methods] of phones) for (const method of methods) noteRegistration(userId, method.id);
  for (const [userId, methods] of seeded.otherMethods) for (const method of methods) noteRegistration(userId, method.id);
  const chosenDefaults = new Map<string, string>();
  const strongMethodIds = (userId: string): string[] => [...phoneMethods(userId).map((method) => method.id), ...otherMethods(userId).map((method) => method.id)];
  const defaultMfaMethodId = (userId: string): string | null => {
    const registered = strongMethodIds(userId);
    const chosen = chosenDefaults.get(userId);
    if (chosen !== undefined && registered.includes(chosen)) return chosen;
    const order = (methodId: string): number => registeredOrder.get(`${userId}|${methodId}`) ?? Number.MAX_SAFE_INTEGER;
    return registered.sort((a, b) => order(a) - order(b))[0] ?? null;
  };
  const hasStrongMethod = (userId: string): boolean => phoneMethods(userId).length > 0 || otherMethods(userId).length > 0;
  const perUserMfaState = (userId: string): PerUserMfaState => mfaStates.get(userId) ?? 'disabled';
  const setPerUserMfaState = (userId: string, requested: PerUserMfaState): PerUserMfaState => {
    const stored = requested === 'enabled' && hasStrongMethod(userId) ? 'enforced' : requested;
    mfaStates.set(userId, stored);
    return stored;
  };

  const groups = [...seeded.groups, seeded.mfaRequiredGroup];
  const groupsById = new Map(groups.map((group) => [group.id.toLowerCase(), group]));
  const memberSets = new Map(groups.map((group) => [group.id.toLowerCase(), new Set(group.memberIds)]));
  const membersOf = (groupId: string): Set<string> => memberSets.get(groupId.toLowerCase()) ?? new Set();
  const breakGlassIds = new Set(seeded.conditionalAccessIds.breakGlassIds);
  const userRoles = (userId: string): readonly string[] => (breakGlassIds.has(userId) ? [globalAdministratorRoleId] : []);

  const conditionalAccess: ConditionalAccessSettings = { scenario: 'default', throttled: true };
  let policies: readonly ConditionalAccessPolicy[] = seeded.conditionalAccessPolicies;
  const mfaRequired = (userId: string): boolean => {
    if (perUserMfaState(userId) !== 'disabled') return true;
    const user = byId.get(userId.toLowerCase());
    if (user === undefined) return false;
    const subject: PolicySubject = { id: user.id, isGuest: user.userType === 'Guest', roles: userRoles(user.id), isMemberOf: (groupId) => membersOf(groupId).has(user.id) };
    return policies.some((policy) => policyRequiresMfa(policy, subject));
  };

  // The registration report: one generation-time entry per user (shared objects for equal method sets), plus an entry
  // computed at every method change, each visible `lagMinutes` after it was computed: the report refreshes on its own
  // within hours of any change, sign-in or not (docs/graph-behaviour.md#registration-report).
  const report: RegistrationReportSettings = { lagMinutes: 60, licensed: true, throttled: true, pageSize: 100 };
  const generatedAtMs = now().getTime() - generationAgeMs;
  const noMethods = registrationSnapshot([], [], generatedAtMs);
  const generationEntries = new Map<string, RegistrationSnapshot>();
  const entryByMethods = new Map<string, RegistrationSnapshot>();
  for (const [userId, methods] of [...phones, ...seeded.otherMethods] as [string, readonly unknown[]][]) {
    if (methods.length === 0 || generationEntries.has(userId)) continue;
    const key = `${phoneMethods(userId).map((method) => method.phoneType).join(',')}|${otherMethods(userId).map((method) => method.kind).join(',')}`;
    let entry = entryByMethods.get(key);
    if (entry === undefined) {
      entry = registrationSnapshot(phoneMethods(userId), otherMethods(userId), generatedAtMs);
      entryByMethods.set(key, entry);
    }
    generationEntries.set(userId, entry);
  }
  const changedEntries = new Map<string, RegistrationSnapshot[]>();
  const visibleEntry = (user: SandboxUser, cutoffMs: number): RegistrationSnapshot | undefined => {
    if (!user.accountEnabled) return undefined;
    const pending = changedEntries.get(user.id);
    let visible: RegistrationSnapshot | undefined;
    if (pending !== undefined) for (const entry of pending) if (entry.computedAtMs <= cutoffMs) visible = entry;
    return visible ?? generationEntries.get(user.id) ?? noMethods;
  };
  const reportCutoff = (): number => now().getTime() - report.lagMinutes * 60_000;
  const registrationEntry = (userId: string): RegistrationSnapshot | undefined => {
    const user = byId.get(userId.toLowerCase());
    return user === undefined ? undefined : visibleEntry(user, reportCutoff());
  };
  /** A method was added, changed or removed: the report shows the new set after the lag. */
  const methodsChanged = (userId: string): void => {
    const at = now().getTime();
    // keep the newest entry already visible and every one still waiting out the lag
    const earlier = changedEntries.get(userId) ?? [];
    const newestVisible = earlier.findLastIndex((entry) => entry.computedAtMs <= at - report.lagMinutes * 60_000);
    changedEntries.set(userId, [...earlier.slice(Math.max(0, newestVisible)), registrationSnapshot(phoneMethods(userId), otherMethods(userId), at)]);
  };
  const signInLog: SignInRecord[] = [];
  const secondFactorOf = (userId: string): string | null => {
    const methodId = defaultMfaMethodId(userId);
    const phone = phoneMethods(userId).find((method) => method.id === methodId);
    if (phone !== undefined) return phone.phoneType === 'mobile' ? 'SMS' : 'Voice';
    const other = otherMethods(userId).find((method) => method.id === methodId);
    return other === undefined ? null : other.kind === 'fido2' ? 'FIDO2 security key' : 'Authenticator App';
  };

  const methodRandom = createRandom((seeded.manifest.seed ^ 0x0a17e) >>> 0);
  const addAuthenticatorMethod = (userId: string): OtherAuthenticationMethod => {
    const method: OtherAuthenticationMethod = {
      kind: 'microsoftAuthenticator',
      id: methodRandom.guid(),
      displayName: methodRandom.pick(authenticatorDevices),
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: '6.2409.6094',
      createdDateTime: graphDateTime(now()),
    };
    seeded.otherMethods.set(userId, [...otherMethods(userId), method]);
    noteRegistration(userId, method.id);
    methodsChanged(userId);
    return method;
  };

  const realNow = options.realNow ?? Date.now;
  const limits: FamilyLimits = {
    conditionalAccess: createSlidingWindowLimit({ limit: 1, windowMs: 1_000 / (options.limitTimeScale ?? 1), now: realNow }),
    registrationReport: createSlidingWindowLimit({ limit: 5, windowMs: 10_000 / (options.limitTimeScale ?? 1), now: realNow }),
  };

  return {
    tenantId: seeded.tenantId,
    organization: seeded.organization,
    users: seeded.users,
    groups,
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
      noteRegistration(userId, method.id);
      methodsChanged(userId);
      return { ok: true, method };
    },
    updatePhoneMethod: (userId, methodId, phoneNumber) => {
      const method = phoneMethods(userId).find((candidate) => candidate.id === methodId.toLowerCase());
      if (method === undefined) return false;
      method.phoneNumber = phoneNumber;
      methodsChanged(userId);
      return true;
    },
    deletePhoneMethod: (userId, methodId) => {
      const existing = phoneMethods(userId);
      const method = existing.find((candidate) => candidate.id === methodId.toLowerCase());
      if (method === undefined) return { ok: false, reason: 'notFound' };
      if (method.phoneType === 'mobile' && existing.some((candidate) => candidate.phoneType === 'alternateMobile')) return { ok: false, reason: 'alternateMobilePresent' };
      if (defaultMfaMethodId(userId) === method.id) return { ok: false, reason: 'defaultMethod' };
      phones.set(userId, existing.filter((candidate) => candidate !== method));
      methodsChanged(userId);
      return { ok: true, method };
    },
    defaultMfaMethodId,
    setDefaultMfaMethod: (userId, methodId) => {
      if (methodId === null) chosenDefaults.delete(userId);
      else chosenDefaults.set(userId, methodId.toLowerCase());
    },
    otherMethods,
    hasStrongMethod,
    perUserMfaState,
    setPerUserMfaState,
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

    limits,
    isGroupMember: (groupId, userId) => membersOf(groupId).has(byId.get(userId.toLowerCase())?.id ?? userId),
    addGroupMembers: (groupId, userIds) => {
      const group = groupsById.get(groupId.toLowerCase());
      const members = membersOf(groupId);
      const adding: string[] = [];
      for (const given of userIds) {
        const user = byId.get(given.toLowerCase());
        if (group === undefined || user === undefined) return { ok: false, reason: 'notFound', id: given };
        if (members.has(user.id) || adding.includes(user.id)) return { ok: false, reason: 'alreadyMember', id: given };
        adding.push(user.id);
      }
      for (const id of adding) {
        members.add(id);
        group?.memberIds.push(id);
      }
      return { ok: true, added: adding };
    },
    removeGroupMember: (groupId, userId) => {
      const group = groupsById.get(groupId.toLowerCase());
      const id = byId.get(userId.toLowerCase())?.id ?? userId;
      const members = membersOf(groupId);
      if (group === undefined || !members.delete(id)) return false;
      group.memberIds.splice(group.memberIds.indexOf(id), 1);
      return true;
    },
    userRoles,
    addAuthenticatorMethod,
    conditionalAccessPolicies: () => policies,
    conditionalAccessSettings: () => ({ ...conditionalAccess }),
    setConditionalAccess: (change) => {
      if (change.throttled !== undefined) conditionalAccess.throttled = change.throttled;
      if (change.scenario !== undefined) {
        conditionalAccess.scenario = change.scenario;
        policies = conditionalAccessPolicies(change.scenario, seeded.conditionalAccessIds, graphDateTime(now()));
      }
    },
    mfaRequired,
    registrationEntry,
    registrationView: () => {
      const cutoffMs = reportCutoff();
      return (user) => visibleEntry(user, cutoffMs);
    },
    registrationReportSettings: () => ({ ...report }),
    setRegistrationReport: (change) => {
      if (change.lagMinutes !== undefined) report.lagMinutes = change.lagMinutes;
      if (change.licensed !== undefined) report.licensed = change.licensed;
      if (change.throttled !== undefined) report.throttled = change.throttled;
      if (change.pageSize !== undefined) report.pageSize = change.pageSize;
    },
    signIn: (userId) => {
      const user = byId.get(userId.toLowerCase());
      if (user === undefined || !user.accountEnabled) return undefined;
      const required = mfaRequired(user.id);
      const registeredAuthenticator = required && !hasStrongMethod(user.id);
      if (registeredAuthenticator) addAuthenticatorMethod(user.id);
      const enforced = perUserMfaState(user.id) === 'enabled' && setPerUserMfaState(user.id, 'enabled') === 'enforced';
      const at = now().getTime();
      const secondFactor = required ? secondFactorOf(user.id) : null;
      signInLog.push({ id: methodRandom.guid(), atMs: at, userId: user.id, authenticationRequirement: secondFactor === null ? 'singleFactorAuthentication' : 'multiFactorAuthentication', secondFactor });
      const newest = changedEntries.get(user.id)?.at(-1)?.computedAtMs ?? generatedAtMs;
      return { mfaRequired: required, registeredAuthenticator, enforced, reportVisibleAt: new Date(Math.max(at, newest + report.lagMinutes * 60_000)) };
    },
    signIns: () => signInLog,
    mail: createMailboxes(now),
  };
}
