import { customPolicySet } from '../conditionalAccess/customPolicySet.js';
import { createRandom } from '../tenant/random.js';
import {
  conditionalAccessScenarios,
  graphDateTime,
  type AuthenticationStrengthPolicy,
  type ConditionalAccessPolicy,
  type ConditionalAccessScenario,
  type RegistrationReportSettings,
} from '../tenant/tenantModel.js';
import { methodsPolicyScenarios, type MethodsPolicy, type MethodsPolicyScenario, type SecurityDefaults } from '../tenant/methodsPolicyModel.js';
import { temporaryAccessPassIssuances, type MethodUsabilityReason, type TemporaryAccessPassIssuance } from '../tenant/temporaryAccessPasses.js';
import { registrableMethods, type RegistrableMethod, type TenantState } from '../tenant/tenantState.js';
import type { OtherAuthenticationMethod } from '../tenant/tenantModel.js';
import { createSignInSimulation, simulatedSmsDeliveries, type BlockedSignIn, type SignInSimulation, type SignInSimulationSettings, type SimulatedDay } from '../tenant/simulateSignIns.js';

/** The directory-sync fields of /organization, as an admin sets them. */
export interface OrganizationChange {
  /** `true` (sync on), `false` (switched off), `null` (never synced). */
  readonly onPremisesSyncEnabled?: boolean | null;
  /** A fixed time (ISO 8601) or null; frozen until changed again. */
  readonly onPremisesLastSyncDateTime?: string | null;
  /** Alternative to a fixed time: the last sync is always this many minutes before the sandbox clock (default 20). */
  readonly lastSyncAgeMinutes?: number;
}

export interface DirectorySyncView {
  readonly onPremisesSyncEnabled: boolean | null;
  readonly onPremisesLastSyncDateTime: string | null;
}

export interface ConditionalAccessView {
  /** The named policy set in force, or `custom` after `policies` were set. */
  readonly scenario: ConditionalAccessScenario | 'custom';
  /** The 1 request/s limit of the Conditional Access API is on. */
  readonly throttled: boolean;
  /** Policies list their authentication strength expanded (true) or as `{"id"}` only. */
  readonly expandStrength: boolean;
  readonly policies: readonly ConditionalAccessPolicy[];
  /** The built-in strengths and the custom ones in force. */
  readonly strengths: readonly AuthenticationStrengthPolicy[];
}

export interface ConditionalAccessChange {
  /** Replaces the policy set with a named one (conditionalAccessScenarios in tenant/tenantModel.ts). */
  readonly scenario?: ConditionalAccessScenario;
  /**
   * Replaces the policy set with these policies (the sandbox's policy fields; omitted ones default to all users, all
   * cloud apps and client apps, grant `mfa`), checked as Graph checks a write: `mfa` with a strength is refused.
   */
  readonly policies?: readonly unknown[];
  /** Custom authentication strengths the `policies` may refer to: `{id, displayName, allowedCombinations}`. */
  readonly strengths?: readonly unknown[];
  readonly throttled?: boolean;
  readonly expandStrength?: boolean;
}

export type RegistrationReportChange = Partial<Readonly<RegistrationReportSettings>>;

export interface SignInResult {
  readonly userId: string;
  readonly mfaRequired: boolean;
  readonly registeredAuthenticator: boolean;
  readonly enforced: boolean;
  /** When the report shows the entry this sign-in recomputed (sandbox clock, ISO 8601). */
  readonly reportVisibleAt: string;
}

export interface SignInNightOptions {
  /** Share (0–1) of the users who must do MFA that sign in tonight. */
  readonly share: number;
  /** Picks who signs in (default: the tenant seed and the number of nights run so far). */
  readonly seed?: number;
}

export interface SignInNightResult {
  readonly seed: number;
  /** Enabled accounts a sign-in would demand MFA of (per-user `enabled`/`enforced`, or an enforced CA policy). */
  readonly candidates: number;
  readonly signedIn: number;
  /** Signed-in users without a strong method, who registered Microsoft Authenticator. */
  readonly registeredAuthenticator: number;
  /** Per-user `enabled` that became `enforced`. */
  readonly enforced: number;
  /** When the report shows tonight's recomputed entries (sandbox clock, ISO 8601). */
  readonly reportVisibleAt: string;
}

export interface SimulateSignInsOptions {
  /** Share (0–1) of the enabled accounts that sign in today. */
  readonly share: number;
  /** Picks who signs in and what they do (default: the tenant seed and the number of days simulated so far). */
  readonly seed?: number;
}

/** The users-who-act simulation as an admin sees it: its settings, the sums so far and every blocked sign-in. */
export interface SignInSimulationView {
  readonly settings: SignInSimulationSettings;
  readonly totals: ReturnType<SignInSimulation['totals']>;
  readonly blockedSignIns: readonly BlockedSignIn[];
  /** Campaign prompts snoozed so far, by user id (cleared when the user registers). */
  readonly snoozes: Readonly<Record<string, number>>;
}

export interface MethodsPolicyView {
  /** The scenario last switched to; writes over Graph since then are in `policy`. */
  readonly scenario: MethodsPolicyScenario;
  readonly policy: MethodsPolicy;
  readonly securityDefaults: SecurityDefaults;
  /** The policy serialized, in bytes (Graph refuses to save more than 20 KB). */
  readonly serializedBytes: number;
}

export interface MethodsPolicyChange {
  /** Replaces the policy and security defaults with a named state (see methodsPolicyScenarios). */
  readonly scenario?: MethodsPolicyScenario;
  /** Switches security defaults; on only while no Conditional Access policy is enabled, as in Entra. */
  readonly securityDefaults?: boolean;
}

export interface RegisteredMethod {
  readonly userId: string;
  readonly method: OtherAuthenticationMethod;
}

/** A user's Temporary Access Pass as an admin sees it: whether one is issued and usable, never the pass. */
export type TemporaryAccessPassView =
  | { readonly userId: string; readonly issued: false }
  | {
      readonly userId: string;
      readonly issued: true;
      readonly id: string;
      readonly createdDateTime: string;
      readonly startDateTime: string;
      readonly lifetimeInMinutes: number;
      readonly isUsableOnce: boolean;
      readonly isUsable: boolean;
      readonly methodUsabilityReason: MethodUsabilityReason;
    };

/**
 * What tests and the admin API do to a running tenant, checked as admin input (RangeErrors naming the field): the
 * clock, directory sync, the app's consented roles, the Conditional Access scenario, the registration report's
 * settings and simulated sign-ins. Reads of the live tenant go to `TenantState`; quotas and faults are `TrafficControls`.
 */
export interface SandboxControls {
  setNow(date: Date | string): Date;
  organization(): DirectorySyncView;
  setOrganization(change: OrganizationChange): DirectorySyncView;
  roles(): readonly string[];
  setRoles(roles: readonly string[]): readonly string[];
  /** Whether the app is consented in this tenant (has a service principal); without it the token endpoint refuses the app. */
  consented(): boolean;
  /**
   * An admin of the tenant consents to the app, as clicking its admin-consent URL and accepting does: the permissions
   * it asks for (`roles()`) are granted and new tokens are issued. Idempotent. Returns `consented()` (true).
   */
  consent(): boolean;
  conditionalAccess(): ConditionalAccessView;
  setConditionalAccess(change: ConditionalAccessChange): ConditionalAccessView;
  registrationReport(): RegistrationReportSettings;
  setRegistrationReport(change: RegistrationReportChange): RegistrationReportSettings;
  /** One user (object id or UPN) signs in interactively; see TenantState.signIn. */
  signIn(user: string): SignInResult;
  /**
   * A night of sign-ins: a seeded random `share` of the users who must do MFA sign in, each with TenantState.signIn's
   * effects (Authenticator registered when they had no strong method, `enabled` → `enforced`, report entry recomputed
   * and visible after the lag). Everyone else stays as they were.
   */
  signInNight(options: SignInNightOptions): SignInNightResult;
  /**
   * A day of users who act (tenant/simulateSignIns.ts): a seeded share of the enabled accounts signs in; Temporary
   * Access Pass holders register a passkey, the registration campaign nudges (register, snooze, or enforced after the
   * allowed snoozes), and after the SMS retirement date SMS-only users meet the blocking prompt.
   */
  simulateSignIns(options: SimulateSignInsOptions): SimulatedDay;
  signInSimulation(): SignInSimulationView;
  /** `registerProbability` (0–1), `smsDelivery` (`microsoft` | `customerManaged`), `smsRetirementDate` (YYYY-MM-DD). */
  setSignInSimulation(change: Partial<SignInSimulationSettings>): SignInSimulationView;
  methodsPolicy(): MethodsPolicyView;
  /**
   * A scenario replaces the Authentication methods policy and security defaults; `securityDefaultsOn` also removes the
   * Conditional Access policies (scenario `none`), since Entra allows only one of the two.
   */
  setMethodsPolicy(change: MethodsPolicyChange): MethodsPolicyView;
  /**
   * The user (object id or UPN) registers a method, as they would at a sign-in or in My Security Info: Microsoft
   * Authenticator, a passkey (`passkeyDeviceBound` on a security key, `passkeyAuthenticator`, `passkeySynced`), or a
   * hardware OATH token an admin assigned. Tests and the rehearsal use it as "the user registered".
   */
  registerMethod(user: string, method: RegistrableMethod): RegisteredMethod;
  /** The user's Temporary Access Pass: issued or not, usable or why not (never the pass). */
  temporaryAccessPass(user: string): TemporaryAccessPassView;
  /** Whether `pass` is the user's current Temporary Access Pass (nothing is consumed). */
  checkTemporaryAccessPass(user: string, pass: string): boolean;
  /** `policyScoped` (default, what tenants answer) or `anyone` (the documented reading): see temporaryAccessPasses.ts. */
  temporaryAccessPassIssuance(): TemporaryAccessPassIssuance;
  setTemporaryAccessPassIssuance(issuance: TemporaryAccessPassIssuance): TemporaryAccessPassIssuance;
}

const isDate = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createSandboxControls(tenant: TenantState): SandboxControls {
  let nights = 0;
  let simulatedDays = 0;
  const simulation = createSignInSimulation(tenant);
  const simulationView = (): SignInSimulationView => ({ settings: simulation.settings(), totals: simulation.totals(), blockedSignIns: simulation.blockedSignIns(), snoozes: simulation.snoozes() });
  const userOf = (operation: string, user: unknown) => {
    const found = typeof user === 'string' ? tenant.findUser(user) : undefined;
    if (found === undefined) throw new RangeError(`${operation}: expected 'user' to name a user of the tenant (object id or UPN)`);
    return found;
  };
  const passes = tenant.temporaryAccessPasses;
  const conditionalAccess = (): ConditionalAccessView => ({ ...tenant.conditionalAccessSettings(), policies: tenant.conditionalAccessPolicies(), strengths: tenant.authenticationStrengths() });
  const policies = tenant.authenticationPolicies;
  const methodsPolicy = (): MethodsPolicyView => ({ scenario: policies.scenario(), policy: policies.policy(), securityDefaults: policies.securityDefaults(), serializedBytes: policies.serializedBytes() });

  return {
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
    consented: () => tenant.app.consented,
    consent: () => {
      tenant.consent();
      return tenant.app.consented;
    },
    conditionalAccess,
    setConditionalAccess: (change) => {
      if (!isRecord(change)) throw new RangeError('conditionalAccess: expected an object with `scenario` or `policies`, `throttled`, `expandStrength`');
      const { scenario, throttled, expandStrength, policies, strengths } = change;
      if (scenario !== undefined && !(conditionalAccessScenarios as readonly unknown[]).includes(scenario)) {
        throw new RangeError(`conditionalAccess: expected 'scenario' to be one of ${conditionalAccessScenarios.join(', ')}`);
      }
      if (scenario !== undefined && policies !== undefined) throw new RangeError("conditionalAccess: give either 'scenario' or 'policies', not both");
      if (strengths !== undefined && policies === undefined) throw new RangeError("conditionalAccess: 'strengths' go with 'policies'");
      if (throttled !== undefined && typeof throttled !== 'boolean') throw new RangeError("conditionalAccess: expected 'throttled' to be true or false");
      if (expandStrength !== undefined && typeof expandStrength !== 'boolean') throw new RangeError("conditionalAccess: expected 'expandStrength' to be true or false");
      const custom = policies === undefined ? undefined : customPolicySet(policies, strengths, graphDateTime(tenant.now()));
      tenant.setConditionalAccess({
        ...(scenario === undefined ? {} : { scenario: scenario as ConditionalAccessScenario }),
        ...(throttled === undefined ? {} : { throttled }),
        ...(expandStrength === undefined ? {} : { expandStrength }),
      });
      if (custom !== undefined) tenant.setConditionalAccessPolicies(custom);
      return conditionalAccess();
    },
    registrationReport: () => tenant.registrationReportSettings(),
    setRegistrationReport: (change) => {
      if (!isRecord(change)) throw new RangeError('registrationReport: expected an object with `lagMinutes`, `licensed`, `throttled` and/or `pageSize`');
      const { lagMinutes, licensed, throttled, pageSize } = change;
      if (lagMinutes !== undefined && !(typeof lagMinutes === 'number' && Number.isFinite(lagMinutes) && lagMinutes >= 0)) {
        throw new RangeError("registrationReport: expected 'lagMinutes' to be a number of 0 or more");
      }
      if (licensed !== undefined && typeof licensed !== 'boolean') throw new RangeError("registrationReport: expected 'licensed' to be true or false");
      if (throttled !== undefined && typeof throttled !== 'boolean') throw new RangeError("registrationReport: expected 'throttled' to be true or false");
      if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 999)) {
        throw new RangeError("registrationReport: expected 'pageSize' to be a whole number from 1 to 999");
      }
      tenant.setRegistrationReport({
        ...(lagMinutes === undefined ? {} : { lagMinutes }),
        ...(licensed === undefined ? {} : { licensed }),
        ...(throttled === undefined ? {} : { throttled }),
        ...(pageSize === undefined ? {} : { pageSize }),
      });
      return tenant.registrationReportSettings();
    },
    signIn: (user) => {
      if (typeof user !== 'string') throw new RangeError("signIn: expected 'user' to be an object id or a UPN");
      const found = tenant.findUser(user);
      const outcome = found === undefined ? undefined : tenant.signIn(found.id);
      if (found === undefined || outcome === undefined) throw new RangeError("signIn: expected 'user' to name an enabled account of the tenant");
      return { userId: found.id, ...outcome, reportVisibleAt: outcome.reportVisibleAt.toISOString() };
    },
    signInNight: (options) => {
      const { share, seed } = isRecord(options) ? options : ({} as Record<string, unknown>);
      if (!(typeof share === 'number' && share >= 0 && share <= 1)) throw new RangeError("signInNight: expected 'share' to be a number from 0 to 1");
      if (seed !== undefined && !Number.isInteger(seed)) throw new RangeError("signInNight: expected 'seed' to be a whole number");
      nights += 1;
      const nightSeed = typeof seed === 'number' ? seed : tenant.manifest.seed * 1000 + nights;
      const candidates = tenant.users.filter((user) => user.accountEnabled && tenant.mfaRequired(user.id)).map((user) => user.id);
      const picked = createRandom(nightSeed).shuffle([...candidates]).slice(0, Math.round(share * candidates.length));
      let registeredAuthenticator = 0;
      let enforced = 0;
      for (const userId of picked) {
        const outcome = tenant.signIn(userId);
        if (outcome?.registeredAuthenticator === true) registeredAuthenticator += 1;
        if (outcome?.enforced === true) enforced += 1;
      }
      const lagMs = tenant.registrationReportSettings().lagMinutes * 60_000;
      return {
        seed: nightSeed,
        candidates: candidates.length,
        signedIn: picked.length,
        registeredAuthenticator,
        enforced,
        reportVisibleAt: new Date(tenant.now().getTime() + lagMs).toISOString(),
      };
    },
    simulateSignIns: (options) => {
      const { share, seed } = isRecord(options) ? options : ({} as Record<string, unknown>);
      if (!(typeof share === 'number' && share >= 0 && share <= 1)) throw new RangeError("simulateSignIns: expected 'share' to be a number from 0 to 1");
      if (seed !== undefined && !Number.isInteger(seed)) throw new RangeError("simulateSignIns: expected 'seed' to be a whole number");
      simulatedDays += 1;
      return simulation.day({ share, seed: typeof seed === 'number' ? seed : tenant.manifest.seed * 1000 + simulatedDays });
    },
    signInSimulation: simulationView,
    setSignInSimulation: (change) => {
      if (!isRecord(change)) throw new RangeError('signInSimulation: expected an object with `registerProbability`, `smsDelivery` and/or `smsRetirementDate`');
      const { registerProbability, smsDelivery, smsRetirementDate } = change;
      if (registerProbability !== undefined && !(typeof registerProbability === 'number' && registerProbability >= 0 && registerProbability <= 1)) {
        throw new RangeError("signInSimulation: expected 'registerProbability' to be a number from 0 to 1");
      }
      if (smsDelivery !== undefined && !(simulatedSmsDeliveries as readonly unknown[]).includes(smsDelivery)) {
        throw new RangeError(`signInSimulation: expected 'smsDelivery' to be one of ${simulatedSmsDeliveries.join(', ')}`);
      }
      if (smsRetirementDate !== undefined && !(typeof smsRetirementDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(smsRetirementDate) && isDate(smsRetirementDate))) {
        throw new RangeError("signInSimulation: expected 'smsRetirementDate' to be a date YYYY-MM-DD");
      }
      simulation.configure({
        ...(registerProbability === undefined ? {} : { registerProbability }),
        ...(smsDelivery === undefined ? {} : { smsDelivery }),
        ...(smsRetirementDate === undefined ? {} : { smsRetirementDate }),
      });
      return simulationView();
    },
    methodsPolicy,
    setMethodsPolicy: (change) => {
      if (!isRecord(change)) throw new RangeError('methodsPolicy: expected an object with `scenario` and/or `securityDefaults`');
      const { scenario, securityDefaults } = change;
      if (scenario !== undefined && !(methodsPolicyScenarios as readonly unknown[]).includes(scenario)) {
        throw new RangeError(`methodsPolicy: expected 'scenario' to be one of ${methodsPolicyScenarios.join(', ')}`);
      }
      if (securityDefaults !== undefined && typeof securityDefaults !== 'boolean') throw new RangeError("methodsPolicy: expected 'securityDefaults' to be true or false");
      if (scenario !== undefined) {
        policies.setScenario(scenario as MethodsPolicyScenario);
        if (policies.securityDefaults().isEnabled) tenant.setConditionalAccess({ scenario: 'none' }); // Entra allows no enabled Conditional Access policy beside security defaults
      }
      if (securityDefaults !== undefined) {
        if (securityDefaults && tenant.conditionalAccessPolicies().some((policy) => policy.state === 'enabled')) {
          throw new RangeError("methodsPolicy: security defaults cannot be on while a Conditional Access policy is enabled (switch conditionalAccess to 'disabled' or 'none' first)");
        }
        policies.setSecurityDefaults(securityDefaults);
      }
      return methodsPolicy();
    },
    registerMethod: (user, method) => {
      const found = userOf('registerMethod', user);
      if (!(registrableMethods as readonly unknown[]).includes(method)) throw new RangeError(`registerMethod: expected 'method' to be one of ${registrableMethods.join(', ')}`);
      const registered = tenant.registerMethod(found.id, method);
      if (registered === undefined) throw new RangeError("registerMethod: expected 'user' to name a user of the tenant (object id or UPN)");
      return { userId: found.id, method: registered };
    },
    temporaryAccessPass: (user) => {
      const found = userOf('temporaryAccessPass', user);
      const pass = passes.get(found.id);
      if (pass === undefined) return { userId: found.id, issued: false };
      const { id, createdDateTime, startDateTime, lifetimeInMinutes, isUsableOnce } = pass;
      return { userId: found.id, issued: true, id, createdDateTime, startDateTime, lifetimeInMinutes, isUsableOnce, ...passes.usability(pass, tenant.methodAllowedFor(found.id, 'TemporaryAccessPass')) };
    },
    checkTemporaryAccessPass: (user, pass) => {
      const found = userOf('checkTemporaryAccessPass', user);
      if (typeof pass !== 'string') throw new RangeError("checkTemporaryAccessPass: expected 'pass' to be a string");
      return passes.matches(found.id, pass);
    },
    temporaryAccessPassIssuance: () => passes.issuance(),
    setTemporaryAccessPassIssuance: (issuance) => {
      if (!(temporaryAccessPassIssuances as readonly unknown[]).includes(issuance)) {
        throw new RangeError(`temporaryAccessPassIssuance: expected 'issuance' to be one of ${temporaryAccessPassIssuances.join(', ')}`);
      }
      passes.setIssuance(issuance);
      return passes.issuance();
    },
  };
}
