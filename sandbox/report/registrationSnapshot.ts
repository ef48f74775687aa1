import type { OtherAuthenticationMethod, PhoneMethod, RegistrationSnapshot } from '../tenant/tenantModel.js';

const phoneMethodNames = { mobile: 'mobilePhone', alternateMobile: 'alternateMobilePhone', office: 'officePhone' } as const;

/**
 * A user's registration-report entry computed from their methods (graph-notes §3). Every registered method is allowed
 * by the sandbox's authentication-methods policy, so `isMfaCapable` equals `isMfaRegistered`; SSPR is not enabled by
 * policy (isSsprEnabled and isSsprCapable are always false), and one method counts as SSPR-registered.
 */
export function registrationSnapshot(phones: readonly PhoneMethod[], others: readonly OtherAuthenticationMethod[], computedAtMs: number): RegistrationSnapshot {
  const hasAuthenticator = others.some((method) => method.kind === 'microsoftAuthenticator');
  const hasFido2 = others.some((method) => method.kind === 'fido2');
  const phoneTypes = new Set(phones.map((method) => method.phoneType));
  const methodsRegistered: string[] = [];
  for (const type of ['mobile', 'alternateMobile', 'office'] as const) if (phoneTypes.has(type)) methodsRegistered.push(phoneMethodNames[type]);
  if (hasAuthenticator) methodsRegistered.push('microsoftAuthenticatorPush', 'softwareOneTimePasscode');
  if (hasFido2) methodsRegistered.push('fido2');
  const preferred = hasAuthenticator
    ? 'push'
    : phoneTypes.has('mobile')
      ? 'sms'
      : phoneTypes.has('alternateMobile')
        ? 'voiceAlternateMobile'
        : phoneTypes.has('office')
          ? 'voiceOffice'
          : undefined;
  const registered = methodsRegistered.length > 0;
  return {
    computedAtMs,
    methodsRegistered,
    isMfaRegistered: registered,
    isMfaCapable: registered,
    isPasswordlessCapable: hasFido2,
    isSsprRegistered: registered,
    systemPreferredAuthenticationMethods: preferred === undefined ? [] : [preferred],
    userPreferredMethodForSecondaryAuthentication: preferred ?? 'none',
  };
}
