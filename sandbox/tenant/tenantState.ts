import { builtInStrengths } from '../conditionalAccess/authenticationStrengths.js';
import { conditionalAccessPolicies, type ConditionalAccessSet } from '../conditionalAccess/conditionalAccessPolicies.js';
import { caOutcome, type CaOutcome, type PolicySubject, type SignInContext } from '../conditionalAccess/caOutcome.js';
import { createRandom } from './random.js';
import { registrationSnapshot } from '../report/registrationSnapshot.js';
import type { SeededTenant } from './seedTenant.js';
import { createSlidingWindowLimit, type SlidingWindowLimit } from '../quota/slidingWindowLimit.js';
import { createMailboxes, type Mailboxes } from '../mail/createMailboxes.js';
import type { MethodsPolicy, ModelledMethodId, ReadOnlyMethodId } from './methodsPolicyModel.js';
import { createMethodsPolicyState, type MethodsPolicyState } from './methodsPolicyState.js';
import { passkeyMethod, type PasskeyKind } from './passkeyAuthenticators.js';
import { createTemporaryAccessPassStore, type TemporaryAccessPassStore } from './temporaryAccessPasses.js';
import {
  graphDateTime,
  type AuthenticationStrengthPolicy,
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
  type SandboxRoleAssignment,
  type SandboxUser,
} from './tenantModel.js';

/** What a user (or, for hardware tokens, an admin) can register through the admin API. */
export const registrableMethods = ['microsoftAuthenticator', 'passkeyDeviceBound', 'passkeyAuthenticator', 'passkeySynced', 'hardwareOath'] as const;
export type RegistrableMethod = (typeof registrableMethods)[number];

const passkeyKindOf: Readonly<Record<string, PasskeyKind>> = { passkeyDeviceBound: 'securityKey', passkeyAuthenticator: 'authenticator', passkeySynced: 'synced' };

/** The app registration the rollout signs in as, and the Graph application permissions consented to it. */
export interface AppRegistration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly displayName: string;
  roles: readonly string[];
  /**
   * The app has a service principal in this tenant (an admin consented): without one the token endpoint refuses it
   * (AADSTS700016, docs/graph-behaviour.md#multi-tenant-apps).
   */
  consented: boolean;
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

/** Graph's per-family request limits (docs/graph-behaviour.md#registration-report, docs/graph-behaviour.md#groups-and-membership), on real time. */
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
  /**
   * The user registers a method (the admin API's stand-in for a user setting one up): Microsoft Authenticator, a
   * passkey of a kind, or a hardware OATH token (an admin assigns those). Undefined for unknown users.
   */
  registerMethod(userId: string, kind: RegistrableMethod): OtherAuthenticationMethod | undefined;
  /** Removes a non-phone method by id (`DELETE …/fido2Methods/{id}`); undefined when the user has none with that id. */
  deleteOtherMethod(userId: string, methodId: string): OtherAuthenticationMethod | undefined;
  /** A phone, Microsoft Authenticator, passkey or hardware OATH method is registered. */
  hasStrongMethod(userId: string): boolean;
  perUserMfaState(userId: string): PerUserMfaState;
  /** Applies Graph's rule: `enabled` on a user with a registered strong method becomes `enforced`. Returns the state stored. */
  setPerUserMfaState(userId: string, requested: PerUserMfaState): PerUserMfaState;
  directorySync(): { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };
  setDirectorySync(change: Partial<DirectorySyncSetting>): void;
  setRoles(roles: readonly string[]): void;
  /** An admin of this tenant consents to the app (its service principal is created): tokens are issued from then on. */
  consent(): void;

  readonly limits: FamilyLimits;
  isGroupMember(groupId: string, userId: string): boolean;
  /** Adds users (by object id) to a group, all or nothing: an unknown id, a member or a repeated id adds nobody. */
  addGroupMembers(groupId: string, userIds: readonly string[]): AddMembersResult;
  /** Returns false when the user is not a member. */
  removeGroupMember(groupId: string, userId: string): boolean;
  /** Directory role template ids the user holds (break-glass accounts: Global Administrator; see the manifest). */
  userRoles(userId: string): readonly string[];
  /** The tenant's active directory role assignments (roleManagement/directory/roleAssignments). */
  roleAssignments(): readonly SandboxRoleAssignment[];
  /** Registers Microsoft Authenticator (push) for the user, as a sign-in's interrupt registration does. */
  addAuthenticatorMethod(userId: string): OtherAuthenticationMethod;
  conditionalAccessPolicies(): readonly ConditionalAccessPolicy[];
  /** The built-in authentication strengths and the custom ones of the policy set in force. */
  authenticationStrengths(): readonly AuthenticationStrengthPolicy[];
  conditionalAccessSettings(): Readonly<ConditionalAccessSettings>;
  /**
   * A new scenario replaces the policy set (modifiedDateTime: now; `custom` is set by setConditionalAccessPolicies
   * only); `throttled` switches the 1 rps limit; `expandStrength` how a policy's strength is rendered.
   */
  setConditionalAccess(change: Partial<ConditionalAccessSettings>): void;
  /** Replaces the policy set with a custom one (scenario `custom`), already checked as Graph checks a write. */
  setConditionalAccessPolicies(set: ConditionalAccessSet): void;
  /**
   * What Conditional Access does with a sign-in of the user (undefined for an unknown user): by default to Exchange
   * Online in a browser on Windows, from an untrusted location, on an unmanaged device, with no risk, with the user's
   * registered methods; `context` changes any of that.
   */
  conditionalAccessOutcome(userId: string, context?: Partial<SignInContext>): CaOutcome | undefined;
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

  /** The Authentication methods policy as it stands (docs/graph-behaviour.md#methods-policy-and-registration-campaign). */
  methodsPolicy(): MethodsPolicy;
  /** Whether the methods policy lets the user use the method (enabled, included, not excluded); false for unknown users. */
  methodAllowedFor(userId: string, method: ModelledMethodId | ReadOnlyMethodId): boolean;
  /** Users' Temporary Access Passes (digests only) and who may be given one. */
  readonly temporaryAccessPasses: TemporaryAccessPassStore;
  /** The methods policy and security defaults: scenario, writes (all or nothing, within Graph's limits). */
  readonly authenticationPolicies: MethodsPolicyState;
}

export interface TenantStateOptions {
  readonly seeded: SeededTenant;
  readonly clock: () => Date;
  readonly clientSecret: string;
  readonly roles: readonly string[];
  /** The app registration's client id (default: the seeded one); a multi-tenant app has the same id in every tenant. */
  readonly clientId?: string;
  /** The app has been consented in this tenant (default true). */
  readonly consented?: boolean;
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
    clientId: options.clientId ?? seeded.clientId,
    clientSecret: options.clientSecret,
    displayName: 'MFA Rollout',
    roles: [...options.roles],
    consented: options.consented ?? true,
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

  const groups = [...seeded.groups, seeded.mfaRequiredGroup, seeded.phishingResistantGroup, ...seeded.journeyGroups];
  const groupsById = new Map(groups.map((group) => [group.id.toLowerCase(), group]));
  const memberSets = new Map(groups.map((group) => [group.id.toLowerCase(), new Set(group.memberIds)]));
  const membersOf = (groupId: string): Set<string> => memberSets.get(groupId.toLowerCase()) ?? new Set();
  const rolesByUser = new Map<string, string[]>();
  for (const assignment of seeded.roleAssignments) rolesByUser.set(assignment.principalId, [...(rolesByUser.get(assignment.principalId) ?? []), assignment.roleDefinitionId]);
  const userRoles = (userId: string): readonly string[] => rolesByUser.get(userId) ?? [];

  const conditionalAccess: ConditionalAccessSettings = { scenario: 'default', throttled: true, expandStrength: true };
  let policies: readonly ConditionalAccessPolicy[] = seeded.conditionalAccessPolicies;
  let customStrengths: readonly AuthenticationStrengthPolicy[] = [];
  const authenticationStrengths = (): readonly AuthenticationStrengthPolicy[] => [...builtInStrengths, ...customStrengths];
  const strengthById = (id: string): AuthenticationStrengthPolicy | undefined => authenticationStrengths().find((strength) => strength.id === id.toLowerCase());
  // The authentication method modes a user can use (authentication strengths' allowedCombinations speak these).
  const methodModes = (userId: string): string[] => [
    'password',
    ...phoneMethods(userId).flatMap((method) => (method.phoneType === 'office' ? ['voice'] : ['sms', 'voice'])),
    ...otherMethods(userId).map((method) => (method.kind === 'fido2' ? 'fido2' : 'microsoftAuthenticatorPush')),
  ];
  const conditionalAccessOutcome = (userId: string, context: Partial<SignInContext> = {}): CaOutcome | undefined => {
    const user = byId.get(userId.toLowerCase());
    if (user === undefined) return undefined;
    const subject: PolicySubject = { id: user.id, isGuest: user.userType === 'Guest', roles: userRoles(user.id), isMemberOf: (groupId) => membersOf(groupId).has(user.id) };
    const signIn: SignInContext = {
      appId: '00000002-0000-0ff1-ce00-000000000000', clientAppType: 'browser', platform: 'windows', locationIds: [], trustedLocation: false,
      compliantDevice: false, domainJoinedDevice: false, signInRisk: 'none', userRisk: 'none', methodModes: methodModes(user.id), ...context,
    };
    return caOutcome(policies, subject, signIn, strengthById);
  };
  const mfaRequired = (userId: string): boolean => {
    if (perUserMfaState(userId) !== 'disabled') return true;
    const outcome = conditionalAccessOutcome(userId);
    return outcome === 'mfa' || outcome === 'mfaUnsatisfiable';
  };

  const [ring] = seeded.groups.filter((group) => seeded.manifest.groups.rings.some((candidate) => candidate.id === group.id));
  const authenticationPolicies = createMethodsPolicyState({
    ids: { outsideGroupId: seeded.manifest.groups.exclusion, otherGroupId: ring?.id ?? seeded.manifest.groups.pilot },
    now,
    targetExists: (target) => (target.targetType === 'group' ? groupsById.has(target.id.toLowerCase()) : byId.has(target.id.toLowerCase())),
  });

  const methodAllowedFor = (userId: string, method: ModelledMethodId | ReadOnlyMethodId): boolean => {
    const user = byId.get(userId.toLowerCase());
    return user !== undefined && authenticationPolicies.allowedFor(method, user.id, (groupId) => membersOf(groupId).has(user.id));
  };
  const allowedFor = (userId: string) => (method: ModelledMethodId | ReadOnlyMethodId): boolean => methodAllowedFor(userId, method);
  const policyKey = (userId: string): string =>
    (['Sms', 'Voice', 'Fido2', 'MicrosoftAuthenticator', 'HardwareOath'] as const).map((method) => (methodAllowedFor(userId, method) ? '1' : '0')).join('');

  // The registration report: one generation-time entry per user (shared objects for equal method sets), plus an entry
  // computed at every method change, each visible `lagMinutes` after it was computed: the report refreshes on its own
  // within hours of any change, sign-in or not (docs/graph-behaviour.md#registration-report).
  const report: RegistrationReportSettings = { lagMinutes: 60, licensed: true, throttled: true, pageSize: 100 };
  const generatedAtMs = now().getTime() - generationAgeMs;
  const noMethods = registrationSnapshot([], [], generatedAtMs, () => false);
  const generationEntries = new Map<string, RegistrationSnapshot>();
  const entryByMethods = new Map<string, RegistrationSnapshot>();
  for (const [userId, methods] of [...phones, ...seeded.otherMethods] as [string, readonly unknown[]][]) {
    if (methods.length === 0 || generationEntries.has(userId)) continue;
    const others = otherMethods(userId);
    const passkeys = others.map((method) => (method.kind === 'fido2' ? `${method.passkeyType}:${method.aaGuid}` : method.kind)).join(',');
    const key = `${phoneMethods(userId).map((method) => method.phoneType).join(',')}|${passkeys}|${policyKey(userId)}`;
    let entry = entryByMethods.get(key);
    if (entry === undefined) {
      entry = registrationSnapshot(phoneMethods(userId), others, generatedAtMs, allowedFor(userId));
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
  /** A method was added, changed or removed (or the user signed in): the report shows the user as now after the lag. */
  const methodsChanged = (userId: string): void => {
    const at = now().getTime();
    // keep the newest entry already visible and every one still waiting out the lag
    const earlier = changedEntries.get(userId) ?? [];
    const newestVisible = earlier.findLastIndex((entry) => entry.computedAtMs <= at - report.lagMinutes * 60_000);
    changedEntries.set(userId, [...earlier.slice(Math.max(0, newestVisible)), registrationSnapshot(phoneMethods(userId), otherMethods(userId), at, allowedFor(userId))]);
  };
  const signInLog: SignInRecord[] = [];
  const secondFactorOf = (userId: string): string | null => {
    const methodId = defaultMfaMethodId(userId);
    const phone = phoneMethods(userId).find((method) => method.id === methodId);
    if (phone !== undefined) return phone.phoneType === 'mobile' ? 'SMS' : 'Voice';
    const other = otherMethods(userId).find((method) => method.id === methodId);
    if (other === undefined) return null;
    return other.kind === 'fido2' ? 'FIDO2 security key' : other.kind === 'hardwareOath' ? 'OATH verification code' : 'Authenticator App';
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
  const registerMethod = (userId: string, kind: RegistrableMethod): OtherAuthenticationMethod | undefined => {
    const user = byId.get(userId.toLowerCase());
    if (user === undefined) return undefined;
    if (kind === 'microsoftAuthenticator') return addAuthenticatorMethod(user.id);
    const createdDateTime = graphDateTime(now());
    const passkeyKind = passkeyKindOf[kind];
    const method: OtherAuthenticationMethod =
      passkeyKind === undefined ? { kind: 'hardwareOath', id: methodRandom.guid(), createdDateTime } : passkeyMethod(methodRandom, passkeyKind, createdDateTime);
    seeded.otherMethods.set(user.id, [...otherMethods(user.id), method]);
    noteRegistration(user.id, method.id);
    methodsChanged(user.id);
    return method;
  };
  const deleteOtherMethod = (userId: string, methodId: string): OtherAuthenticationMethod | undefined => {
    const existing = otherMethods(userId);
    const method = existing.find((candidate) => candidate.id === methodId.toLowerCase());
    if (method !== undefined) {
      seeded.otherMethods.set(userId, existing.filter((candidate) => candidate !== method));
      methodsChanged(userId);
    }
    return method;
  };
  const temporaryAccessPasses = createTemporaryAccessPassStore(now);

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
    registerMethod,
    deleteOtherMethod,
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
    consent: () => {
      app.consented = true;
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
    roleAssignments: () => seeded.roleAssignments,
    addAuthenticatorMethod,
    conditionalAccessPolicies: () => policies,
    authenticationStrengths,
    conditionalAccessSettings: () => ({ ...conditionalAccess }),
    setConditionalAccess: (change) => {
      if (change.throttled !== undefined) conditionalAccess.throttled = change.throttled;
      if (change.expandStrength !== undefined) conditionalAccess.expandStrength = change.expandStrength;
      if (change.scenario !== undefined && change.scenario !== 'custom') {
        conditionalAccess.scenario = change.scenario;
        ({ policies, customStrengths } = conditionalAccessPolicies(change.scenario, seeded.conditionalAccessIds, graphDateTime(now())));
      }
    },
    setConditionalAccessPolicies: (set) => {
      conditionalAccess.scenario = 'custom';
      ({ policies, customStrengths } = set);
    },
    conditionalAccessOutcome,
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
      // a sign-in refreshes the entry too (what the methods policy allows the user now), shown after the lag
      if (!registeredAuthenticator) methodsChanged(user.id);
      return { mfaRequired: required, registeredAuthenticator, enforced, reportVisibleAt: new Date(at + report.lagMinutes * 60_000) };
    },
    signIns: () => signInLog,
    mail: createMailboxes(now),

    methodsPolicy: () => authenticationPolicies.policy(),
    methodAllowedFor,
    authenticationPolicies,
    temporaryAccessPasses,
  };
}
