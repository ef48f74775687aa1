/**
 * One table of Conditional Access scenarios: a policy, a user and one of their sign-ins, and what Conditional Access
 * really does — at that sign-in, and for that user everywhere. The sandbox's rule (which decides whom the sandbox
 * prompts) and the product's rule (which decides whether a policy really requires MFA) are both tested against it;
 * the two implementations share no code. Each row names the Microsoft page its rule comes from.
 */

export const sources = {
  grant: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant',
  grantControls: 'https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols',
  policyState: 'https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy',
  reportOnly: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only',
  apps: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-cloud-apps',
  conditions: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions',
  network: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-assignment-network',
  users: 'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups',
  guests: 'https://learn.microsoft.com/graph/api/resources/conditionalaccessguestsorexternalusers',
  strengths: 'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths',
  strengthList: 'https://learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies',
} as const;

/** The built-in authentication strengths as Graph's v1.0 list example documents them (sources.strengthList). */
export const documentedStrengths = {
  multifactor: {
    id: '00000000-0000-0000-0000-000000000002',
    displayName: 'Multifactor authentication',
    description: 'Combinations of methods that satisfy strong authentication, such as a password + SMS',
    allowedCombinations: [
      'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,hardwareOath', 'password,x509CertificateSingleFactor',
      'password,x509CertificateMultiFactor', 'password,sms', 'password,voice', 'federatedMultiFactor', 'microsoftAuthenticatorPush,federatedSingleFactor',
      'softwareOath,federatedSingleFactor', 'hardwareOath,federatedSingleFactor', 'sms,federatedSingleFactor', 'voice,federatedSingleFactor',
    ],
  },
  passwordless: {
    id: '00000000-0000-0000-0000-000000000003',
    displayName: 'Passwordless MFA',
    description: 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
  },
  phishingResistant: {
    id: '00000000-0000-0000-0000-000000000004',
    displayName: 'Phishing resistant MFA',
    description: 'Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
    allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
  },
} as const;

export type BuiltInStrength = keyof typeof documentedStrengths;

/** A custom strength of a scenario (a GUID per tenant in real life). */
export interface CustomStrength {
  readonly id: string;
  readonly displayName: string;
  readonly allowedCombinations: readonly string[];
}

/** A policy in the table's own words; omitted: enabled, all users, all cloud apps, all client apps, no conditions, grant `mfa`. */
export interface ScenarioPolicy {
  readonly state?: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  readonly users?: {
    readonly includeUsers?: readonly string[];
    readonly excludeUsers?: readonly string[];
    readonly includeGroups?: readonly string[];
    readonly excludeGroups?: readonly string[];
    readonly includeRoles?: readonly string[];
    readonly excludeRoles?: readonly string[];
    /** Graph's comma-separated guestOrExternalUserTypes. */
    readonly includeGuestTypes?: string;
    readonly excludeGuestTypes?: string;
  };
  readonly includeApplications?: readonly string[];
  readonly excludeApplications?: readonly string[];
  readonly clientAppTypes?: readonly string[];
  readonly platforms?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly locations?: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly signInRiskLevels?: readonly string[];
  /** Default `['mfa']`, or `[]` when a strength is given. */
  readonly builtInControls?: readonly string[];
  /** Default `OR` (what Graph stores for a single control). */
  readonly operator?: 'AND' | 'OR';
  readonly strength?: BuiltInStrength | CustomStrength;
}

/** The user; omitted: a member in no group, holding no role. */
export interface ScenarioUser {
  readonly kind: 'member' | 'guest';
  readonly groups?: readonly string[];
  readonly roles?: readonly string[];
}

/** The sign-in; omitted: Exchange Online in a browser on Windows, untrusted location, unmanaged device, no risk, SMS phone registered. */
export interface ScenarioSignIn {
  readonly app?: string;
  readonly client?: 'browser' | 'mobileAppsAndDesktopClients' | 'exchangeActiveSync' | 'other';
  readonly platform?: 'windows' | 'macOS' | 'iOS' | 'android' | 'linux';
  readonly trustedLocation?: boolean;
  readonly compliantDevice?: boolean;
  readonly signInRisk?: 'none' | 'low' | 'medium' | 'high';
  /** The user's registered methods besides the password. */
  readonly methods?: readonly ('sms' | 'authenticator' | 'fido2')[];
}

export interface PolicyScenario {
  readonly name: string;
  /** The Microsoft page the rule comes from. */
  readonly source: string;
  readonly policy: ScenarioPolicy;
  readonly user?: ScenarioUser;
  readonly signIn?: ScenarioSignIn;
  /** What Conditional Access does at this sign-in. */
  readonly atSignIn: 'notApplied' | 'granted' | 'mfa' | 'mfaUnsatisfiable' | 'blocked';
  /** Conditional Access demands MFA of this user at every sign-in: any app, any modern client, any device, anywhere. */
  readonly requiresMfaEverywhere: boolean;
  /** Where MFA is demanded: the SMS phone the rollout pre-registers (with a password) meets the demand. */
  readonly smsPhoneSatisfies?: boolean;
}

export const exchangeOnline = '00000002-0000-0ff1-ce00-000000000000';
export const sharePointOnline = '00000003-0000-0ff1-ce00-000000000000';
export const globalAdministrator = '62e90394-69f5-4237-9190-012177145e10';
const sales = '5a3c2e10-1111-4000-8000-000000000001';
const contractors = '5a3c2e10-1111-4000-8000-000000000002';

const smsAllowed: CustomStrength = { id: '7c1f5a3e-3f2b-4d6e-9a41-5b0e2d8c6f10', displayName: 'Contoso MFA (SMS allowed)', allowedCombinations: ['password,sms', 'password,microsoftAuthenticatorPush', 'fido2'] };
const appOrKey: CustomStrength = { id: '9e4b2c71-8d3a-4f5e-b6c2-1a7d9e0f3b24', displayName: 'Contoso app or key', allowedCombinations: ['password,microsoftAuthenticatorPush', 'fido2', 'windowsHelloForBusiness'] };

export const policyScenarios: readonly PolicyScenario[] = [
  { name: 'mfa for all users on all apps', source: sources.grant, policy: {}, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'mfa: a user with no method must register one first', source: sources.grant, policy: {}, signIn: { methods: [] }, atSignIn: 'mfaUnsatisfiable', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  // grant operator
  { name: 'mfa OR compliant device, unmanaged device: MFA at this sign-in', source: sources.grant, policy: { builtInControls: ['mfa', 'compliantDevice'] }, atSignIn: 'mfa', requiresMfaEverywhere: false },
  { name: 'mfa OR compliant device, compliant device: no MFA at all', source: sources.grant, policy: { builtInControls: ['mfa', 'compliantDevice'] }, signIn: { compliantDevice: true }, atSignIn: 'granted', requiresMfaEverywhere: false },
  { name: 'mfa AND compliant device, compliant device', source: sources.grant, policy: { builtInControls: ['mfa', 'compliantDevice'], operator: 'AND' }, signIn: { compliantDevice: true }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'mfa AND compliant device, unmanaged device: blocked', source: sources.grant, policy: { builtInControls: ['mfa', 'compliantDevice'], operator: 'AND' }, atSignIn: 'blocked', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'compliant or domain-joined device only', source: sources.grant, policy: { builtInControls: ['compliantDevice', 'domainJoinedDevice'] }, signIn: { compliantDevice: true }, atSignIn: 'granted', requiresMfaEverywhere: false },
  { name: 'block', source: sources.grant, policy: { builtInControls: ['block'] }, atSignIn: 'blocked', requiresMfaEverywhere: false },
  { name: 'mfa OR a control Graph added later: the other control may satisfy it', source: sources.grantControls, policy: { builtInControls: ['mfa', 'unknownFutureValue'] }, atSignIn: 'mfa', requiresMfaEverywhere: false },
  // policy state
  { name: 'report-only: evaluated and logged, never enforced', source: sources.reportOnly, policy: { state: 'enabledForReportingButNotEnforced' }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'disabled', source: sources.policyState, policy: { state: 'disabled' }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  // applications
  { name: 'one app, signing in to it', source: sources.apps, policy: { includeApplications: [exchangeOnline] }, atSignIn: 'mfa', requiresMfaEverywhere: false },
  { name: 'one app, signing in to another', source: sources.apps, policy: { includeApplications: [exchangeOnline] }, signIn: { app: sharePointOnline }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all apps but an excluded one, signing in to it', source: sources.apps, policy: { excludeApplications: [sharePointOnline] }, signIn: { app: sharePointOnline }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'the Office365 app group, signing in to SharePoint', source: sources.apps, policy: { includeApplications: ['Office365'] }, signIn: { app: sharePointOnline }, atSignIn: 'mfa', requiresMfaEverywhere: false },
  // client apps and other conditions
  { name: 'browser only, signing in from a desktop app', source: sources.conditions, policy: { clientAppTypes: ['browser'] }, signIn: { client: 'mobileAppsAndDesktopClients' }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'browser and mobile/desktop apps: every modern client', source: sources.conditions, policy: { clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] }, signIn: { client: 'mobileAppsAndDesktopClients' }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'all locations but trusted ones, signing in from the office', source: sources.network, policy: { locations: { include: ['All'], exclude: ['AllTrusted'] } }, signIn: { trustedLocation: true }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all locations but trusted ones, signing in from elsewhere', source: sources.network, policy: { locations: { include: ['All'], exclude: ['AllTrusted'] } }, atSignIn: 'mfa', requiresMfaEverywhere: false },
  { name: 'Android only, signing in on Windows', source: sources.conditions, policy: { platforms: { include: ['android'], exclude: [] } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'high sign-in risk only, a sign-in without risk', source: sources.conditions, policy: { signInRiskLevels: ['high'] }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  // users, groups, roles, guests
  { name: 'nobody (None)', source: sources.users, policy: { users: { includeUsers: ['None'] } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'a group, a member of it', source: sources.users, policy: { users: { includeGroups: [sales] } }, user: { kind: 'member', groups: [sales] }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'a group, someone outside it', source: sources.users, policy: { users: { includeGroups: [sales] } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all users but a group: exclusion wins', source: sources.users, policy: { users: { includeUsers: ['All'], excludeGroups: [contractors] } }, user: { kind: 'member', groups: [contractors] }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'a group and the same user excluded by id', source: sources.users, policy: { users: { includeGroups: [sales], excludeUsers: ['user-1'] } }, user: { kind: 'member', groups: [sales] }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'a role, a holder of it', source: sources.users, policy: { users: { includeRoles: [globalAdministrator] } }, user: { kind: 'member', roles: [globalAdministrator] }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'a role, someone without it', source: sources.users, policy: { users: { includeRoles: [globalAdministrator] } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all users but a role, a holder of it', source: sources.users, policy: { users: { includeUsers: ['All'], excludeRoles: [globalAdministrator] } }, user: { kind: 'member', roles: [globalAdministrator] }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all users include B2B guests', source: sources.users, policy: {}, user: { kind: 'guest' }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'guests and external users (legacy value), a member', source: sources.users, policy: { users: { includeUsers: ['GuestsOrExternalUsers'] } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'guests and external users (legacy value), a guest', source: sources.users, policy: { users: { includeUsers: ['GuestsOrExternalUsers'] } }, user: { kind: 'guest' }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'internal and B2B collaboration guests, a guest', source: sources.guests, policy: { users: { includeGuestTypes: 'internalGuest,b2bCollaborationGuest' } }, user: { kind: 'guest' }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'B2B collaboration guests, a member', source: sources.guests, policy: { users: { includeGuestTypes: 'b2bCollaborationGuest' } }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  { name: 'all users but internal and B2B collaboration guests, a guest', source: sources.guests, policy: { users: { includeUsers: ['All'], excludeGuestTypes: 'internalGuest,b2bCollaborationGuest' } }, user: { kind: 'guest' }, atSignIn: 'notApplied', requiresMfaEverywhere: false },
  // authentication strengths
  { name: 'built-in Multifactor authentication strength, SMS phone', source: sources.strengths, policy: { strength: 'multifactor' }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'built-in Passwordless MFA strength, SMS phone only', source: sources.strengths, policy: { strength: 'passwordless' }, atSignIn: 'mfaUnsatisfiable', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
  { name: 'built-in Phishing-resistant MFA strength, SMS phone only', source: sources.strengths, policy: { strength: 'phishingResistant' }, atSignIn: 'mfaUnsatisfiable', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
  { name: 'built-in Phishing-resistant MFA strength, a passkey', source: sources.strengths, policy: { strength: 'phishingResistant' }, signIn: { methods: ['sms', 'fido2'] }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
  { name: 'built-in Phishing-resistant MFA strength, Authenticator push is not enough', source: sources.strengths, policy: { strength: 'phishingResistant' }, signIn: { methods: ['authenticator'] }, atSignIn: 'mfaUnsatisfiable', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
  { name: 'custom strength allowing password + SMS', source: sources.strengths, policy: { strength: smsAllowed }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: true },
  { name: 'custom strength without SMS, SMS phone only', source: sources.strengths, policy: { strength: appOrKey }, atSignIn: 'mfaUnsatisfiable', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
  { name: 'a strength OR compliant device, compliant device', source: sources.grant, policy: { strength: 'multifactor', builtInControls: ['compliantDevice'] }, signIn: { compliantDevice: true }, atSignIn: 'granted', requiresMfaEverywhere: false },
  { name: 'a strength AND compliant device, compliant device', source: sources.grant, policy: { strength: 'phishingResistant', builtInControls: ['compliantDevice'], operator: 'AND' }, signIn: { compliantDevice: true, methods: ['fido2'] }, atSignIn: 'mfa', requiresMfaEverywhere: true, smsPhoneSatisfies: false },
];

/** Policies Graph refuses to store (sources.strengths: "Require multifactor authentication and Require authentication strength can't be used together"). */
export const refusedPolicies: readonly { readonly name: string; readonly source: string; readonly policy: ScenarioPolicy }[] = [
  { name: 'mfa and an authentication strength', source: sources.strengths, policy: { builtInControls: ['mfa'], strength: 'multifactor' } },
  { name: 'mfa AND compliant device and a strength', source: sources.strengths, policy: { builtInControls: ['mfa', 'compliantDevice'], operator: 'AND', strength: 'phishingResistant' } },
];

/** The policy's user lists with the table's defaults filled in: all users unless the policy names groups, roles or guest kinds. */
export function scenarioUserLists(policy: ScenarioPolicy) {
  const users = policy.users ?? {};
  return {
    includeUsers: users.includeUsers ?? (users.includeGroups ?? users.includeRoles ?? users.includeGuestTypes ? [] : ['All']),
    excludeUsers: users.excludeUsers ?? [],
    includeGroups: users.includeGroups ?? [],
    excludeGroups: users.excludeGroups ?? [],
    includeRoles: users.includeRoles ?? [],
    excludeRoles: users.excludeRoles ?? [],
  };
}

/** The custom strengths the table uses. */
export const customStrengthsOf = (policy: ScenarioPolicy): CustomStrength[] => (typeof policy.strength === 'object' ? [policy.strength] : []);

/** The strength's id, built-in or custom. */
export const strengthId = (strength: BuiltInStrength | CustomStrength): string => (typeof strength === 'string' ? documentedStrengths[strength].id : strength.id);
