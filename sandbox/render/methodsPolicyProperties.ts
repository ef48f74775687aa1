import type { GraphVersion } from '../http/graphRoute.js';
import { allUsers, methodConfigurationTypes, readOnlyMethodStates, type MethodConfiguration, type MethodsPolicy, type SecurityDefaults } from '../tenant/methodsPolicyModel.js';

/** Where an answer's `@odata.context` points: the sandbox's origin and the version asked for. */
export interface RenderTarget {
  readonly origin: string;
  readonly version: GraphVersion;
}

const policyPath = 'policies/authenticationMethodsPolicy';
const configurationsPath = `${policyPath}/authenticationMethodConfigurations`;
const metadata = (target: RenderTarget, fragment: string): string => `${target.origin}/${target.version}/$metadata#${fragment}`;
const everyone = { targetType: 'group', id: allUsers, isRegistrationRequired: false };

/** An external authentication method: listed by Graph with a GUID id, never read by the rollout. */
export const externalMethodId = 'fda55161-0d73-48ec-b29f-d29689e3d1b6';

/**
 * The built-in methods the rollout never reads, and one external method (GUID id): Graph lists them among the
 * configurations, so a reader must pick its configurations by id and ignore the rest. Read only in the sandbox.
 */
export const readOnlyConfigurations: readonly Readonly<Record<string, unknown>>[] = [
  { '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethodConfiguration', id: 'SoftwareOath', state: readOnlyMethodStates.SoftwareOath, excludeTargets: [], includeTargets: [everyone] },
  { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethodConfiguration', id: 'HardwareOath', state: readOnlyMethodStates.HardwareOath, excludeTargets: [], includeTargets: [everyone] },
  { '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration', id: 'Email', state: readOnlyMethodStates.Email, allowExternalIdToUseEmailOtp: 'default', excludeTargets: [], includeTargets: [everyone] },
  {
    '@odata.type': '#microsoft.graph.x509CertificateAuthenticationMethodConfiguration',
    id: 'X509Certificate',
    state: readOnlyMethodStates.X509Certificate,
    certificateUserBindings: [{ x509CertificateField: 'PrincipalName', userProperty: 'onPremisesUserPrincipalName', priority: 1 }],
    authenticationModeConfiguration: { x509CertificateAuthenticationDefaultMode: 'x509CertificateSingleFactor', rules: [] },
    excludeTargets: [],
    includeTargets: [everyone],
  },
  {
    '@odata.type': '#microsoft.graph.externalAuthenticationMethodConfiguration',
    id: externalMethodId,
    state: 'disabled',
    displayName: 'Adatum MFA',
    appId: '73f7c26a-3c3f-4c1f-9b4a-6f1e2d3c4b5a',
    openIdConnectSetting: { clientId: 'adatum-mfa', discoveryUrl: 'https://mfa.adatum.com/.well-known/openid-configuration' },
    excludeTargets: [],
    includeTarget: { targetType: 'group', id: allUsers },
  },
];

/** One modelled configuration as Graph shows it inside the policy (with Fido2's `includeTargets` annotation). */
export function renderConfiguration(configuration: MethodConfiguration, target: RenderTarget): Record<string, unknown> {
  const annotation =
    configuration.id === 'Fido2'
      ? { 'includeTargets@odata.context': metadata(target, `${configurationsPath}('Fido2')/microsoft.graph.fido2AuthenticationMethodConfiguration/includeTargets`) }
      : {};
  const { includeTargets, ...rest } = configuration;
  return { '@odata.type': methodConfigurationTypes[configuration.id], ...rest, ...annotation, includeTargets };
}

/**
 * The policy as Graph answers it: v1.0 and beta alike carry the campaign's snooze enforcement, system-preferred MFA
 * and suspicious-activity reporting (the current v1.0 example does); beta adds the Authenticator platform settings
 * and, once written, `optOutSettings`. `expand`: the configurations, every built-in method and the external one (the
 * GET); the PATCH answer has none.
 */
export function renderMethodsPolicy(policy: MethodsPolicy, target: RenderTarget, expand: boolean): Record<string, unknown> {
  const beta = target.version === 'beta';
  const configurations = Object.values(policy.authenticationMethodConfigurations).map((configuration) => renderConfiguration(configuration, target));
  return {
    '@odata.context': metadata(target, 'authenticationMethodsPolicy'),
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description:
      'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: policy.lastModifiedDateTime,
    policyVersion: policy.policyVersion,
    policyMigrationState: policy.policyMigrationState,
    registrationEnforcement: policy.registrationEnforcement,
    systemCredentialPreferences: policy.systemCredentialPreferences,
    reportSuspiciousActivitySettings: policy.reportSuspiciousActivitySettings,
    ...(beta ? { microsoftAuthenticatorPlatformSettings: policy.microsoftAuthenticatorPlatformSettings } : {}),
    ...(beta && policy.optOutSettings !== null ? { optOutSettings: policy.optOutSettings } : {}),
    ...(expand
      ? {
          'authenticationMethodConfigurations@odata.context': metadata(target, configurationsPath),
          authenticationMethodConfigurations: [...configurations, ...readOnlyConfigurations],
        }
      : {}),
  };
}

/** The fixed id and texts of the security defaults policy. */
export const securityDefaultsProperties = {
  id: '00000000-0000-0000-0000-000000000005',
  displayName: 'Security Defaults',
  description:
    'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
} as const;

/** `GET /policies/identitySecurityDefaultsEnforcementPolicy`, every property or the `$select`ed ones. */
export function renderSecurityDefaults(securityDefaults: SecurityDefaults, target: RenderTarget, select: readonly string[] | null): Record<string, unknown> {
  const all: Record<string, unknown> = { ...securityDefaultsProperties, isEnabled: securityDefaults.isEnabled };
  const names = select ?? Object.keys(all);
  const selection = select === null ? '' : `(${select.join(',')})`;
  const body: Record<string, unknown> = { '@odata.context': metadata(target, `policies/identitySecurityDefaultsEnforcementPolicy${selection}/$entity`) };
  for (const name of names) body[name] = all[name];
  return body;
}
