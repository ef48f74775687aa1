import { createRandom, type Random } from './random.js';
import { allUsers, type ExcludeTarget, type RegistrationCampaign } from './methodsPolicyModel.js';
import type { RegistrableMethod, TenantState } from './tenantState.js';

/**
 * Users who act, on the sandbox's clock: a day of interactive sign-ins and what Entra does to each one
 * (docs/graph-behaviour.md#methods-policy-and-registration-campaign, #temporary-access-pass, #sms-and-voice-retirement).
 *
 * Each simulated day a seeded share of the enabled accounts signs in, one at a time, in this order of rules:
 * 1. a user holding a usable Temporary Access Pass not yet used signs in with it and registers a passkey (the pass is used);
 * 2. on and after the SMS retirement date (Microsoft delivery only), a user whose only methods are SMS/voice and whom
 *    the sign-in asks for MFA meets the blocking passkey prompt: registers (with `registerProbability`) or the
 *    sign-in is blocked and recorded;
 * 3. otherwise the ordinary sign-in (`TenantState.signIn`); when it demanded MFA and the registration campaign
 *    targets the user for a method they lack (and the methods policy lets them register it), they are nudged:
 *    register with `registerProbability`, or snooze for `snoozeDurationInDays`; after the allowed snoozes (3, when
 *    `enforceRegistrationAfterAllowedSnoozes`) the prompt cannot be skipped and they register.
 * With `customerManaged` delivery SMS keeps working after the date and nobody is blocked for it.
 */

/** Who delivers SMS/voice codes in the simulated tenant: only a customer-managed provider outlives the date. */
export const simulatedSmsDeliveries = ['microsoft', 'customerManaged'] as const;
export type SimulatedSmsDelivery = (typeof simulatedSmsDeliveries)[number];

export interface SignInSimulationSettings {
  /** Chance (0–1) that a nudged or blocked user registers at that prompt. */
  readonly registerProbability: number;
  readonly smsDelivery: SimulatedSmsDelivery;
  /** `YYYY-MM-DD` (UTC): from this day Microsoft delivers no SMS/voice code. */
  readonly smsRetirementDate: string;
}

export const defaultSignInSimulation: SignInSimulationSettings = { registerProbability: 0.3, smsDelivery: 'microsoft', smsRetirementDate: '2027-02-01' };

/** The campaign allows this many snoozes when `enforceRegistrationAfterAllowedSnoozes` is true. */
export const allowedSnoozes = 3;

/** A sign-in the blocking prompt stopped: the user had only SMS/voice and did not register. */
export interface BlockedSignIn {
  readonly userId: string;
  readonly at: string;
}

export interface SimulatedDay {
  readonly seed: number;
  readonly signedIn: number;
  /** Sign-ins that demanded MFA. */
  readonly mfaSignIns: number;
  /** Registration-campaign prompts shown. */
  readonly nudged: number;
  readonly snoozed: number;
  /** Passkeys registered today, by every path below. */
  readonly passkeysRegistered: number;
  /** Of those: at a campaign prompt the user could have skipped, after the allowed snoozes, with a pass, at the blocking prompt. */
  readonly registeredAtNudge: number;
  readonly registeredEnforced: number;
  readonly registeredWithPass: number;
  readonly registeredAtBlock: number;
  /** Microsoft Authenticator registered by the ordinary sign-in (MFA demanded, no method at all). */
  readonly authenticatorRegistered: number;
  readonly blocked: number;
}

export interface SignInSimulation {
  settings(): SignInSimulationSettings;
  configure(change: Partial<SignInSimulationSettings>): SignInSimulationSettings;
  /** One simulated day of sign-ins on the sandbox clock. */
  day(options: { readonly share: number; readonly seed: number }): SimulatedDay;
  /** Every blocked sign-in so far, oldest first. */
  blockedSignIns(): readonly BlockedSignIn[];
  /** Snoozes of the campaign prompt so far, by user id (kept after the user registers). */
  snoozes(): Readonly<Record<string, number>>;
  /** The sums of every day so far. */
  totals(): Omit<SimulatedDay, 'seed'> & { readonly days: number };
}

interface SnoozeState {
  count: number;
  untilMs: number;
}

const dayMs = 86_400_000;
const emptyDay = { signedIn: 0, mfaSignIns: 0, nudged: 0, snoozed: 0, passkeysRegistered: 0, registeredAtNudge: 0, registeredEnforced: 0, registeredWithPass: 0, registeredAtBlock: 0, authenticatorRegistered: 0, blocked: 0 };
type DayCounts = { -readonly [key in keyof typeof emptyDay]: number };

/** The passkey a user sets up at a prompt: mostly in Microsoft Authenticator, some synced, a few on a security key. */
function passkeyKind(random: Random): RegistrableMethod {
  const roll = random.next();
  return roll < 0.6 ? 'passkeyAuthenticator' : roll < 0.9 ? 'passkeySynced' : 'passkeyDeviceBound';
}

/** The method a campaign target asks for, as the product's kinds name it (Graph compares `targetedAuthenticationMethod` without regard to case). */
function targetedKind(targeted: string): 'fido2' | 'microsoftAuthenticator' | null {
  const method = targeted.toLowerCase();
  return method === 'fido2' ? 'fido2' : method === 'microsoftauthenticator' ? 'microsoftAuthenticator' : null;
}

export function createSignInSimulation(tenant: TenantState, initial: SignInSimulationSettings = defaultSignInSimulation): SignInSimulation {
  let settings = initial;
  const snoozed = new Map<string, SnoozeState>();
  const blocked: BlockedSignIn[] = [];
  const totals: DayCounts & { days: number } = { ...emptyDay, days: 0 };

  const covers = (userId: string) => (target: ExcludeTarget): boolean =>
    target.targetType === 'user' ? target.id.toLowerCase() === userId.toLowerCase() : target.id === allUsers || tenant.isGroupMember(target.id, userId);
  /** The method the campaign would prompt this user for, or null (off, not targeted, excluded, already registered, not allowed). */
  const campaignPrompt = (campaign: RegistrationCampaign, userId: string): 'fido2' | 'microsoftAuthenticator' | null => {
    if (campaign.state === 'disabled' || campaign.excludeTargets.some(covers(userId))) return null;
    const target = campaign.includeTargets.find(covers(userId));
    const kind = target === undefined ? null : targetedKind(target.targetedAuthenticationMethod);
    if (kind === null) return null;
    const methods = tenant.otherMethods(userId);
    if (methods.some((method) => method.kind === kind)) return null;
    const fido2 = tenant.methodsPolicy().authenticationMethodConfigurations.Fido2;
    if (kind === 'fido2' && !(tenant.methodAllowedFor(userId, 'Fido2') && fido2.isSelfServiceRegistrationAllowed)) return null;
    if (kind === 'microsoftAuthenticator' && !tenant.methodAllowedFor(userId, 'MicrosoftAuthenticator')) return null;
    return kind;
  };
  const smsOnly = (userId: string): boolean => tenant.phoneMethods(userId).length > 0 && tenant.otherMethods(userId).length === 0;
  /** A pass never signed in with, and usable now (a multi-use pass, once used, is only a way in: the user already registered with it). */
  const unusedPass = (userId: string): boolean => {
    const pass = tenant.temporaryAccessPasses.get(userId);
    return pass !== undefined && !pass.used && tenant.temporaryAccessPasses.usability(pass, tenant.methodAllowedFor(userId, 'TemporaryAccessPass')).isUsable;
  };

  const signInOne = (userId: string, random: Random, counts: DayCounts): void => {
    const nowMs = tenant.now().getTime();
    counts.signedIn += 1;
    const register = (kind: RegistrableMethod, path: 'registeredAtNudge' | 'registeredEnforced' | 'registeredWithPass' | 'registeredAtBlock'): void => {
      tenant.registerMethod(userId, kind);
      if (kind !== 'microsoftAuthenticator') counts.passkeysRegistered += 1;
      counts[path] += 1;
    };
    if (unusedPass(userId)) {
      const pass = tenant.temporaryAccessPasses.get(userId);
      if (pass !== undefined) pass.used = true;
      if (tenant.methodAllowedFor(userId, 'Fido2')) register(passkeyKind(random), 'registeredWithPass');
      return;
    }
    const retired = settings.smsDelivery === 'microsoft' && nowMs >= Date.parse(`${settings.smsRetirementDate}T00:00:00Z`);
    if (retired && smsOnly(userId) && tenant.mfaRequired(userId)) {
      counts.mfaSignIns += 1;
      if (random.chance(settings.registerProbability)) {
        register(passkeyKind(random), 'registeredAtBlock');
        tenant.signIn(userId);
      } else {
        counts.blocked += 1;
        blocked.push({ userId, at: new Date(nowMs).toISOString() });
      }
      return;
    }
    const outcome = tenant.signIn(userId);
    if (outcome === undefined || !outcome.mfaRequired) return;
    counts.mfaSignIns += 1;
    if (outcome.registeredAuthenticator) counts.authenticatorRegistered += 1;
    const campaign = tenant.methodsPolicy().registrationEnforcement.authenticationMethodsRegistrationCampaign;
    const prompt = campaignPrompt(campaign, userId);
    const snooze = snoozed.get(userId) ?? { count: 0, untilMs: 0 };
    if (prompt === null || nowMs < snooze.untilMs) return;
    counts.nudged += 1;
    const kind: RegistrableMethod = prompt === 'fido2' ? passkeyKind(random) : 'microsoftAuthenticator';
    if (campaign.enforceRegistrationAfterAllowedSnoozes && snooze.count >= allowedSnoozes) register(kind, 'registeredEnforced');
    else if (random.chance(settings.registerProbability)) register(kind, 'registeredAtNudge');
    else {
      counts.snoozed += 1;
      snoozed.set(userId, { count: snooze.count + 1, untilMs: nowMs + campaign.snoozeDurationInDays * dayMs });
    }
  };

  return {
    settings: () => settings,
    configure: (change) => {
      settings = { ...settings, ...change };
      return settings;
    },
    day: ({ share, seed }) => {
      const random = createRandom(seed);
      const enabled = tenant.users.filter((user) => user.accountEnabled).map((user) => user.id);
      const picked = random.shuffle([...enabled]).slice(0, Math.round(share * enabled.length));
      const counts: DayCounts = { ...emptyDay };
      for (const userId of picked) signInOne(userId, random, counts);
      for (const key of Object.keys(emptyDay) as (keyof DayCounts)[]) totals[key] += counts[key];
      totals.days += 1;
      return { seed, ...counts };
    },
    blockedSignIns: () => [...blocked],
    snoozes: () => Object.fromEntries([...snoozed].map(([userId, state]) => [userId, state.count])),
    totals: () => ({ ...totals }),
  };
}
