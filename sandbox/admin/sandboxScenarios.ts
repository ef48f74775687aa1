import { createRandom } from '../tenant/random.js';
import {
  conditionalAccessScenarios,
  type ConditionalAccessPolicy,
  type ConditionalAccessScenario,
  type RegistrationReportSettings,
} from '../tenant/tenantModel.js';
import type { TenantState } from '../tenant/tenantState.js';

export interface ConditionalAccessView {
  readonly scenario: ConditionalAccessScenario;
  /** The 1 request/s limit of the Conditional Access API is on. */
  readonly throttled: boolean;
  readonly policies: readonly ConditionalAccessPolicy[];
}

export interface ConditionalAccessChange {
  /** Replaces the policy set: `default`, `reportOnly`, `disabled`, `missingBreakGlassExclusion`, `noMfaGrant`, `allUsersMfa`, `none`. */
  readonly scenario?: ConditionalAccessScenario;
  readonly throttled?: boolean;
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

/** Conditional Access scenarios, the registration report and simulated sign-ins: `/_sandbox/{conditionalAccess,registrationReport,signIn,signInNight}`. Validation errors are RangeErrors naming the field. */
export interface SandboxScenarios {
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
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createSandboxScenarios(tenant: TenantState): SandboxScenarios {
  let nights = 0;
  const conditionalAccess = (): ConditionalAccessView => ({ ...tenant.conditionalAccessSettings(), policies: tenant.conditionalAccessPolicies() });

  return {
    conditionalAccess,
    setConditionalAccess: (change) => {
      if (!isRecord(change)) throw new RangeError('conditionalAccess: expected an object with `scenario` and/or `throttled`');
      const { scenario, throttled } = change;
      if (scenario !== undefined && !(conditionalAccessScenarios as readonly unknown[]).includes(scenario)) {
        throw new RangeError(`conditionalAccess: expected 'scenario' to be one of ${conditionalAccessScenarios.join(', ')}`);
      }
      if (throttled !== undefined && typeof throttled !== 'boolean') throw new RangeError("conditionalAccess: expected 'throttled' to be true or false");
      tenant.setConditionalAccess({ ...(scenario === undefined ? {} : { scenario: scenario as ConditionalAccessScenario }), ...(throttled === undefined ? {} : { throttled }) });
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
  };
}
