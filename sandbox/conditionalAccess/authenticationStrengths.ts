import type { AuthenticationStrengthPolicy } from '../tenant/tenantModel.js';

const builtInDate = '2021-12-01T00:00:00Z';

const builtIn = (id: string, displayName: string, description: string, allowedCombinations: readonly string[]): AuthenticationStrengthPolicy => ({
  id, displayName, description, policyType: 'builtIn', requirementsSatisfied: 'mfa', allowedCombinations, createdDateTime: builtInDate, modifiedDateTime: builtInDate,
});

/**
 * The three built-in authentication strengths exactly as Graph's v1.0 list example shows them (ids, names,
 * descriptions, combinations; docs/graph-behaviour.md#authentication-strengths). They are the same in every tenant and
 * can be neither changed nor deleted.
 */
export const builtInStrengths: readonly AuthenticationStrengthPolicy[] = [
  builtIn('00000000-0000-0000-0000-000000000002', 'Multifactor authentication', 'Combinations of methods that satisfy strong authentication, such as a password + SMS', [
    'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse',
    'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,hardwareOath', 'password,x509CertificateSingleFactor',
    'password,x509CertificateMultiFactor', 'password,sms', 'password,voice', 'federatedMultiFactor', 'microsoftAuthenticatorPush,federatedSingleFactor',
    'softwareOath,federatedSingleFactor', 'hardwareOath,federatedSingleFactor', 'sms,federatedSingleFactor', 'voice,federatedSingleFactor',
  ]),
  builtIn('00000000-0000-0000-0000-000000000003', 'Passwordless MFA', 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator', [
    'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush',
  ]),
  builtIn('00000000-0000-0000-0000-000000000004', 'Phishing resistant MFA', 'Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key', [
    'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor',
  ]),
];

/** The built-in strengths by their role in the scenarios. */
export const builtInStrengthIds = {
  multifactor: '00000000-0000-0000-0000-000000000002',
  passwordless: '00000000-0000-0000-0000-000000000003',
  phishingResistant: '00000000-0000-0000-0000-000000000004',
} as const;

/** The authentication method modes Graph accepts in `allowedCombinations` (authenticationMethodModes). */
export const authenticationMethodModes: readonly string[] = [
  'password', 'voice', 'hardwareOath', 'softwareOath', 'sms', 'fido2', 'windowsHelloForBusiness', 'microsoftAuthenticatorPush', 'deviceBasedPush',
  'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse', 'email', 'x509CertificateSingleFactor', 'x509CertificateMultiFactor',
  'federatedSingleFactor', 'federatedMultiFactor', 'qrCodePin',
];
