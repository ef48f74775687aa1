import type { Config } from '../config/configSchema.js';
import { createExclusionCheck, type ExclusionConfig } from './exclusions.js';
import type { MethodAvailability } from './journey/journeyTypes.js';
import type { DirectoryUser, PhoneStatus } from './rosterUser.js';

/** Why a (not excluded) user cannot be enrolled yet; a report groups by it. */
export type NotReadyReason =
  | 'accountDisabled'
  | 'notSynced'
  | 'mobileMissing'
  | 'mobileInvalid'
  | 'mobileNoCountryCode'
  | 'mobileIsLandline'
  | 'mobileHasExtension'
  /** Phone track: the methods policy enables neither SMS nor voice for the user. */
  | 'smsNotAllowed'
  /** Phone track: Microsoft no longer delivers SMS and voice codes to the user (the retirement date has come). */
  | 'smsRetired';

export const notReadyReasons: readonly NotReadyReason[] = [
  'accountDisabled',
  'notSynced',
  'mobileMissing',
  'mobileInvalid',
  'mobileNoCountryCode',
  'mobileIsLandline',
  'mobileHasExtension',
  'smsNotAllowed',
  'smsRetired',
];

/** How a ready user starts: with a method they have, through the phone bridge, or (no usable phone) with a helpdesk pass. */
export type EntryPath = 'existingMethod' | 'phoneBridge' | 'temporaryAccessPass';

export type Readiness =
  | { readonly ready: true; readonly needsPhoneMethod: boolean; readonly via: EntryPath }
  | { readonly ready: false; readonly reason: NotReadyReason };

export type ReadinessConfig = Pick<Config, 'allowCloudOnly' | 'targetMethod'>;

const phoneReasons: Record<Exclude<PhoneStatus, 'validMobile'>, NotReadyReason> = {
  missing: 'mobileMissing',
  invalid: 'mobileInvalid',
  noCountryCode: 'mobileNoCountryCode',
  landline: 'mobileIsLandline',
  hasExtension: 'mobileHasExtension',
};

/** The not-ready reasons that come from the synced mobile number. */
export const mobileReasons: readonly NotReadyReason[] = Object.values(phoneReasons);

/**
 * Whether a user can be enrolled, checked in this order:
 * 1. `accountDisabled`: `accountEnabled` is false.
 * 2. `notSynced`: `onPremisesSyncEnabled` is not `true`; with `allowCloudOnly` a cloud-only user (`null`) passes,
 *    but `false` (sync stopped for this user) never does.
 * 3. A user with a strong MFA method already (`methods: 'registered'`) is ready and needs no phone method.
 * 4. A `validMobile` whose phone works tonight (the methods policy enables SMS or voice for the user, and the codes
 *    are still delivered: `availability`, from the night's posture; absent, assumed) is ready through the phone bridge.
 * 5. On the passkey and Authenticator tracks everybody else is ready too, through a helpdesk Temporary Access Pass:
 *    they enter the journey (the campaign group) and are listed for the helpdesk instead of waiting forever.
 * 6. On the phone track, otherwise: SMS off for the user (`smsNotAllowed`) or retired (`smsRetired`), or the phone's
 *    reason (`mobileMissing`, `mobileInvalid`, ...), whether or not the methods were read: what holds the user back
 *    is the phone. Whether the shell will still read their methods (a user with another MFA method becomes ready
 *    without a phone) is a separate question, `probeDue`.
 * Exclusions are a separate check (`exclusions.ts`) that always runs first.
 */
export function readiness(user: DirectoryUser, config: ReadinessConfig, availability?: MethodAvailability): Readiness {
  if (!user.accountEnabled) return { ready: false, reason: 'accountDisabled' };
  const synced = user.onPremisesSyncEnabled === true || (config.allowCloudOnly && user.onPremisesSyncEnabled === null);
  if (!synced) return { ready: false, reason: 'notSynced' };
  if (user.methods === 'registered') return { ready: true, needsPhoneMethod: false, via: 'existingMethod' };
  const phoneWorks = availability?.phone ?? true;
  if (user.phone === 'validMobile' && phoneWorks) return { ready: true, needsPhoneMethod: true, via: 'phoneBridge' };
  if (config.targetMethod !== 'phone') return { ready: true, needsPhoneMethod: false, via: 'temporaryAccessPass' };
  if (user.phone === 'validMobile') return { ready: false, reason: availability?.phoneBlockedBy === 'retired' ? 'smsRetired' : 'smsNotAllowed' };
  return { ready: false, reason: phoneReasons[user.phone] };
}

/** How old a methods read may be before a user held back only by the phone is probed again. */
export const methodsProbeMaxAgeDays = 7;

const probeMaxAgeMs = methodsProbeMaxAgeDays * 24 * 60 * 60 * 1000;

/**
 * The shell should read this user's authentication methods from Graph: the user is eligible but for the phone
 * (not excluded, enabled, synced, no valid mobile), and the methods are unknown or were last read more than
 * `methodsProbeMaxAgeDays` days before `now` (or at an unreadable time). A strong method found by the probe
 * makes the user ready without a phone.
 */
export function needsMethodsProbe(user: DirectoryUser, config: ReadinessConfig & ExclusionConfig, now: Date): boolean {
  if (createExclusionCheck(config)(user) !== null) return false;
  return probeDue(user, readiness(user, config), now);
}

/** `needsMethodsProbe` for a user already known not to be excluded, with its readiness computed. */
export function probeDue(user: DirectoryUser, userReadiness: Readiness, now: Date): boolean {
  if (userReadiness.ready || userReadiness.reason === 'accountDisabled' || userReadiness.reason === 'notSynced') return false;
  if (user.methods === 'unknown' || user.methodsCheckedAt === null) return true;
  const checkedAt = Date.parse(user.methodsCheckedAt);
  return Number.isNaN(checkedAt) || now.getTime() - checkedAt > probeMaxAgeMs;
}
