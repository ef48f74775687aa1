import type { SandboxHandle, SandboxTenantHandle } from '../sandbox/startSandbox.js';

/**
 * The app settings that point the rollout at a sandbox tenant exactly as at a real one: an https Graph
 * root, a client-secret credential against the sandbox's authority, the sandbox's CA as an extra trusted
 * authority, plus the generated tenant's break-glass accounts, groups (the journey's campaign and phone-retired
 * groups included) and home country. For a many-tenant sandbox: its first tenant.
 */
export function sandboxSettings(sandbox: SandboxHandle, tablesConnection: string, caFile: string): Record<string, string> {
  return { ...deploymentSandboxSettings(sandbox, tablesConnection, caFile), ...tenantSandboxSettings(sandbox, sandbox) };
}

/**
 * The deployment-level settings of a sandbox, the same for every tenant: tables, the Graph root, the authority, the
 * one multi-tenant app (client id and secret) and the CA. No tenant: add `tenantSandboxSettings` (or a registry entry).
 */
export function deploymentSandboxSettings(sandbox: SandboxHandle, tablesConnection: string, caFile: string): Record<string, string> {
  return {
    MFA_TABLES_CONNECTION: tablesConnection,
    MFA_GRAPH_BASE_URL: sandbox.url,
    MFA_AUTH_MODE: 'clientSecret',
    MFA_AUTHORITY_HOST: sandbox.origin,
    MFA_CLIENT_ID: sandbox.clientId,
    MFA_CLIENT_SECRET: sandbox.clientSecret,
    MFA_EXTRA_CA_FILE: caFile,
  };
}

/**
 * What one tenant of a sandbox needs of its own (a tenant registry entry's settings): its id, break-glass accounts,
 * groups, rings, home country and naming conventions. `tenant` is a handle from `sandbox.tenants` or a tenant id.
 */
export function tenantSandboxSettings(sandbox: SandboxHandle, tenant: SandboxTenantHandle | string): Record<string, string> {
  const { manifest, tenantId } = typeof tenant === 'string' ? sandbox.tenant(tenant) : tenant;
  const [first, second] = manifest.breakGlass;
  return {
    MFA_TENANT_ID: tenantId,
    // one by object id, one by UPN: both forms must hold
    MFA_BREAK_GLASS: [first?.id, second?.upn].filter((value): value is string => value !== undefined).join(','),
    MFA_EXCLUSION_GROUP_ID: manifest.groups.exclusion,
    // the Entra Connect sync account and this tenant's service-account naming convention
    MFA_EXCLUDE_UPN_PATTERNS: 'Sync_*,ADToAADSyncServiceAccount*,svc-*',
    MFA_PILOT_GROUP_ID: manifest.groups.pilot,
    MFA_RINGS: JSON.stringify(manifest.groups.rings.map((ring) => ({ name: ring.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 24), groupId: ring.id }))),
    MFA_DEFAULT_PHONE_REGION: manifest.homeCountry,
    // the group the tenant's MFA Conditional Access policy includes (used by strategy conditionalAccessGroup)
    MFA_CA_GROUP_ID: manifest.groups.mfaRequired,
    // the passkey journey's groups (the phishing-resistant one needs its Conditional Access policy: set it where a test has one)
    MFA_CAMPAIGN_GROUP_ID: manifest.groups.campaign,
    MFA_PHONE_RETIRED_GROUP_ID: manifest.groups.phoneRetired,
  };
}

/**
 * What the Functions host gives an app with a user-assigned managed identity, pointed at the sandbox's identity
 * endpoint: `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` (process environment variables the real ManagedIdentityCredential
 * reads; set them before its first use in a process) and the product's `MFA_MANAGED_IDENTITY_CLIENT_ID`. The auth mode
 * that exchanges the identity's token for each tenant's (workload identity federation) is the product's to name.
 */
export function workloadIdentitySandboxSettings(sandbox: Pick<SandboxHandle, 'workloadIdentity'>): Record<string, string> {
  const { identityEndpoint, identityHeader, managedIdentity } = sandbox.workloadIdentity;
  return { IDENTITY_ENDPOINT: identityEndpoint, IDENTITY_HEADER: identityHeader, MFA_MANAGED_IDENTITY_CLIENT_ID: managedIdentity.clientId };
}

/**
 * The phone track with a customer-managed SMS provider: the bridge as the destination, open whatever the date. For
 * the tests and labs that exercise the phone-bridge enrolment (the passkey track's own tests set it up instead).
 */
export const phoneTrackSettings = { MFA_TARGET_METHOD: 'phone', MFA_SMS_DELIVERY: 'customerManaged' } as const;

/** The product's default track, named for the tests that set it against helpers defaulting to the phone track. */
export const passkeyTrackSettings = { MFA_TARGET_METHOD: 'passkey', MFA_SMS_DELIVERY: 'microsoft' } as const;
