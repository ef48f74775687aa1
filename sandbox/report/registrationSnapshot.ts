import type { ModelledMethodId, ReadOnlyMethodId } from '../tenant/methodsPolicyModel.js';
import { isAuthenticatorPasskey } from '../tenant/passkeyAuthenticators.js';
import type { OtherAuthenticationMethod, PhoneMethod, RegistrationSnapshot } from '../tenant/tenantModel.js';

const phoneMethodNames = { mobile: 'mobilePhone', alternateMobile: 'alternateMobilePhone', office: 'officePhone' } as const;

/** Whether the methods policy lets the user use a method (tenant.methodAllowedFor, bound to the user). */
export type MethodAllowed = (method: ModelledMethodId | ReadOnlyMethodId) => boolean;

/** A method the report lists: its `methodsRegistered` string and whether the policy allows it for the user. */
interface Registered {
  readonly name: string;
  readonly allowed: boolean;
  readonly passwordless: boolean;
}

/** The `methodsRegistered` string of a passkey (docs/graph-behaviour.md#registration-report): by where it is kept. */
function passkeyName(method: Extract<OtherAuthenticationMethod, { kind: 'fido2' }>): string {
  if (method.passkeyType === 'synced') return 'passKeySynced';
  return isAuthenticatorPasskey(method) ? 'passKeyDeviceBoundAuthenticator' : 'passKeyDeviceBound';
}

/**
 * A user's registration-report entry computed from their methods and the methods policy
 * (docs/graph-behaviour.md#registration-report): `isMfaRegistered` when any strong method is registered,
 * `isMfaCapable` only when one of them is also allowed by the policy for the user, `isPasswordlessCapable` for an
 * allowed passkey. A mobile phone is usable for SMS or voice, an alternate or office phone for voice only. SSPR is not
 * enabled by policy (isSsprEnabled and isSsprCapable are always false), and one method counts as SSPR-registered.
 */
export function registrationSnapshot(phones: readonly PhoneMethod[], others: readonly OtherAuthenticationMethod[], computedAtMs: number, allowed: MethodAllowed): RegistrationSnapshot {
  const phoneTypes = new Set(phones.map((method) => method.phoneType));
  const registered: Registered[] = [];
  const add = (name: string, isAllowed: boolean, passwordless = false): void => {
    if (!registered.some((entry) => entry.name === name)) registered.push({ name, allowed: isAllowed, passwordless });
  };
  for (const type of ['mobile', 'alternateMobile', 'office'] as const) {
    if (phoneTypes.has(type)) add(phoneMethodNames[type], type === 'mobile' ? allowed('Sms') || allowed('Voice') : allowed('Voice'));
  }
  const hasAuthenticator = others.some((method) => method.kind === 'microsoftAuthenticator');
  if (hasAuthenticator) {
    add('microsoftAuthenticatorPush', allowed('MicrosoftAuthenticator'));
    add('softwareOneTimePasscode', allowed('MicrosoftAuthenticator'));
  }
  for (const method of others) {
    if (method.kind === 'fido2') add(passkeyName(method), allowed('Fido2'), true);
    if (method.kind === 'hardwareOath') add('hardwareOneTimePasscode', allowed('HardwareOath'));
  }
  const allowedPush = hasAuthenticator && allowed('MicrosoftAuthenticator');
  const usablePhone = (type: 'mobile' | 'alternateMobile' | 'office'): boolean => registered.some((entry) => entry.name === phoneMethodNames[type] && entry.allowed);
  const preferred = allowedPush
    ? 'push'
    : usablePhone('mobile')
      ? 'sms'
      : usablePhone('alternateMobile')
        ? 'voiceAlternateMobile'
        : usablePhone('office')
          ? 'voiceOffice'
          : registered.some((entry) => entry.name === 'hardwareOneTimePasscode' && entry.allowed)
            ? 'oath'
            : undefined;
  return {
    computedAtMs,
    methodsRegistered: registered.map((entry) => entry.name),
    isMfaRegistered: registered.length > 0,
    isMfaCapable: registered.some((entry) => entry.allowed),
    isPasswordlessCapable: registered.some((entry) => entry.passwordless && entry.allowed),
    isSsprRegistered: registered.length > 0,
    systemPreferredAuthenticationMethods: preferred === undefined ? [] : [preferred],
    userPreferredMethodForSecondaryAuthentication: preferred ?? 'none',
  };
}
