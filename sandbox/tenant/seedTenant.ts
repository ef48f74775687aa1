import type { CountryCode } from 'libphonenumber-js/max';
import { asciiFold } from './asciiFold.js';
import { categoryCounts } from './categoryCounts.js';
import { conditionalAccessPolicies, type ConditionalAccessIds } from '../conditionalAccess/conditionalAccessPolicies.js';
import { personNames } from './personNames.js';
import { passkeyMethod } from './passkeyAuthenticators.js';
import { createPhoneNumbers, type PhoneNumbers } from './phoneNumbers.js';
import { directoryRoleIds, directoryRoleNames, roleAssignmentId } from './directoryRoles.js';
import { createRandom, type Random } from './random.js';
import {
  phoneMethodIds,
  type ConditionalAccessPolicy,
  type OtherAuthenticationMethod,
  type PerUserMfaState,
  type PhoneMethod,
  type SandboxGroup,
  type SandboxManifest,
  type SandboxOrganization,
  type SandboxRoleAssignment,
  type SandboxUser,
  type UserCategory,
} from './tenantModel.js';

export interface SeedTenantOptions {
  readonly seed: number;
  readonly size: number;
  /** The country most users live in; `readyNational` numbers are written in its national form. */
  readonly homeCountry: CountryCode;
  /** The organization's display name (default 'Contoso'); its domains are its letters and digits, lower case, `.com` and `.onmicrosoft.com`. */
  readonly organizationName?: string;
}

/** A generated tenant: plain data, identical for the same seed, size and home country. */
export interface SeededTenant {
  readonly tenantId: string;
  readonly clientId: string;
  readonly organization: SandboxOrganization;
  readonly users: SandboxUser[];
  readonly phoneMethods: Map<string, PhoneMethod[]>;
  readonly otherMethods: Map<string, OtherAuthenticationMethod[]>;
  readonly mfaStates: Map<string, PerUserMfaState>;
  /** Pilot, exclusion and ring groups, which the generator fills. */
  readonly groups: SandboxGroup[];
  /** "MFA Required": empty; the rollout (strategy conditionalAccessGroup) adds users, the default CA policy includes it. */
  readonly mfaRequiredGroup: SandboxGroup;
  /** "Phishing-resistant MFA": empty; the journey adds users with a passkey, the default phishing-resistant CA policy includes it. */
  readonly phishingResistantGroup: SandboxGroup;
  /** The passkey journey's groups, empty: campaign (nudged, in Fido2), phishing-resistant (CA strength), phone retired (out of Sms/Voice). */
  readonly journeyGroups: readonly SandboxGroup[];
  readonly conditionalAccessIds: ConditionalAccessIds;
  /** The `default` scenario: MFA for the MFA Required group and phishing-resistant MFA for its group, break-glass excluded. */
  readonly conditionalAccessPolicies: ConditionalAccessPolicy[];
  /** Active directory role assignments (see `SandboxManifest.roleAssignments` for who holds what). */
  readonly roleAssignments: SandboxRoleAssignment[];
  readonly manifest: SandboxManifest;
}

export const syncServiceAccountUpn = 'Sync_ADC01_1a2b3c4d5e6f@contoso.onmicrosoft.com';

/** The names a generated tenant's users and domains carry. */
interface TenantNaming {
  readonly organization: string;
  readonly primaryDomain: string;
  readonly initialDomain: string;
  readonly syncAccountUpn: string;
}

/** 'Contoso' gives contoso.com and contoso.onmicrosoft.com; another name its own pair (tenants never share a verified domain). */
export function tenantNaming(organization: string): TenantNaming {
  const slug = organization.toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (slug === '' || slug.length > 27) throw new RangeError("seedTenant: expected 'organizationName' to hold 1 to 27 letters or digits (its domain name)");
  return { organization, primaryDomain: `${slug}.com`, initialDomain: `${slug}.onmicrosoft.com`, syncAccountUpn: syncServiceAccountUpn.replace('@contoso.', `@${slug}.`) };
}
const partnerDomains = ['fabrikam.com', 'fabrikam.com', 'northwindtraders.com', 'adatum.com'];
const otherCountries: readonly CountryCode[] = ['SE', 'GB', 'DE', 'US', 'PL', 'DK'];

const jobTitles: Readonly<Record<string, readonly string[]>> = {
  IT: ['System Administrator', 'Network Engineer', 'IT Manager', 'Service Desk Analyst', 'Cloud Engineer'],
  Finance: ['Accountant', 'Financial Controller', 'Payroll Specialist', 'CFO', 'Financial Analyst'],
  Sales: ['Account Manager', 'Sales Representative', 'Key Account Manager', 'Sales Director'],
  HR: ['HR Business Partner', 'Recruiter', 'HR Generalist', 'Head of People'],
  Operations: ['Operations Manager', 'Logistics Coordinator', 'Warehouse Supervisor', 'Planner'],
  Engineering: ['Software Engineer', 'Mechanical Engineer', 'QA Engineer', 'Engineering Manager', 'Product Owner'],
  Support: ['Support Engineer', 'Customer Success Manager', 'Support Team Lead'],
  Marketing: ['Marketing Manager', 'Content Specialist', 'Brand Manager'],
  Legal: ['Legal Counsel', 'Compliance Officer', 'Paralegal'],
};
const departments = Object.keys(jobTitles);

const offices: Readonly<Record<string, readonly string[]>> = {
  SE: ['Stockholm', 'Göteborg', 'Malmö'],
  GB: ['London', 'Manchester'],
  DE: ['Berlin', 'München'],
  US: ['Seattle', 'New York'],
  PL: ['Warszawa', 'Kraków'],
  DK: ['København', 'Aarhus'],
};
const languages: Readonly<Record<string, string>> = { SE: 'sv-SE', GB: 'en-GB', DE: 'de-DE', US: 'en-US', PL: 'pl-PL', DK: 'da-DK' };

const serviceAccountNames = ['svc-backup', 'svc-sql', 'svc-scanner', 'svc-printing', 'svc-sharepoint', 'svc-crm', 'svc-erp', 'svc-monitoring', 'svc-mailrelay', 'svc-jenkins', 'svc-vpn', 'svc-hr-integration'];

const neverSynced: ReadonlySet<UserCategory> = new Set(['cloudOnly', 'guest', 'breakGlass']);
const readyish: ReadonlySet<UserCategory> = new Set(['ready', 'readyNational', 'hasPhoneMethod', 'alreadyEnforced']);

type Draft = { -readonly [K in keyof SandboxUser]: SandboxUser[K] };

/**
 * Generates a tenant of `size` users with a fixed mix of categories (see categoryCounts), phone numbers that
 * libphonenumber-js/max accepts or rejects as the category says, a pilot group, an exclusion group, two ring
 * groups, an empty "MFA Required" group and the Conditional Access policy that targets it. Linear in `size`:
 * 100,000 users take about a second.
 */
export function seedTenant(options: SeedTenantOptions): SeededTenant {
  const { seed, size, homeCountry } = options;
  const naming = tenantNaming(options.organizationName ?? 'Contoso');
  if (!Number.isInteger(size) || size < 0) throw new RangeError('seedTenant: expected `size` to be a whole number of 0 or more');
  if (!Number.isInteger(seed)) throw new RangeError('seedTenant: expected `seed` to be a whole number');

  const ids = createRandom(seed ^ 0x5eed1d5);
  const random = createRandom(seed);
  const phones = createPhoneNumbers(random, homeCountry);
  const tenantId = ids.guid();
  const clientId = ids.guid();

  const counts = categoryCounts(size);
  const plan: UserCategory[] = [];
  for (const [category, count] of Object.entries(counts) as [UserCategory, number][]) {
    for (let i = 0; i < count; i += 1) plan.push(category);
  }
  random.shuffle(plan);

  const countries: CountryCode[] = [homeCountry, ...otherCountries.filter((country) => country !== homeCountry)];
  const upnsInUse = new Map<string, number>();
  const phoneMethods = new Map<string, PhoneMethod[]>();
  const otherMethods = new Map<string, OtherAuthenticationMethod[]>();
  const mfaStates = new Map<string, PerUserMfaState>();
  const exclusionIds: string[] = [];
  const generator = { random, phones, homeCountry, naming, upnsInUse, serviceAccounts: 0, breakGlass: 0 };

  const users: Draft[] = plan.map((category) => {
    const country = category === 'readyNational' || random.chance(0.6) ? homeCountry : random.pick(countries);
    const user = buildUser(category, country, generator);
    const method = (phoneNumber: string): PhoneMethod => ({ id: phoneMethodIds.mobile, phoneType: 'mobile', phoneNumber, smsSignInState: 'notAllowedByPolicy' });
    if (category === 'hasPhoneMethod' || category === 'alreadyEnforced') {
      phoneMethods.set(user.draft.id, [method(user.mobile?.graphForm ?? '')]);
    } else if (category === 'phoneConflict') {
      phoneMethods.set(user.draft.id, [method(phones.mobile(country).graphForm)]);
    }
    if (category === 'alreadyEnforced') mfaStates.set(user.draft.id, 'enforced');
    if (category === 'authenticatorOnly') otherMethods.set(user.draft.id, [authenticatorMethod(random)]);
    if (category === 'breakGlass') otherMethods.set(user.draft.id, [fido2Method(random)]);
    if (category === 'passkeyDeviceBound') otherMethods.set(user.draft.id, [passkeyMethod(random, random.chance(0.5) ? 'securityKey' : 'authenticator', pastDateTime(random))]);
    if (category === 'passkeySynced') otherMethods.set(user.draft.id, [passkeyMethod(random, 'synced', pastDateTime(random))]);
    if (category === 'hardwareOathOnly') otherMethods.set(user.draft.id, [{ kind: 'hardwareOath', id: random.guid(), createdDateTime: pastDateTime(random) }]);
    if (category === 'exclusionGroupMember') exclusionIds.push(user.draft.id);
    return user.draft;
  });

  // Every third user who already has a mobile method also has an alternate mobile (Graph then refuses to delete the
  // mobile); drawn from a stream of its own, so the rest of the tenant is unchanged.
  const alternateRandom = createRandom((seed ^ 0xa17e) >>> 0);
  const alternatePhones = createPhoneNumbers(alternateRandom, homeCountry);
  users.filter((user) => user.category === 'hasPhoneMethod').forEach((user, index) => {
    if (index % 3 !== 2) return;
    const mobile = phoneMethods.get(user.id) ?? [];
    phoneMethods.set(user.id, [...mobile, { id: phoneMethodIds.alternateMobile, phoneType: 'alternateMobile', phoneNumber: alternatePhones.mobile(homeCountry).graphForm, smsSignInState: 'notSupported' }]);
  });

  // Hybrid tenants: for every fifth ready user the mailbox address is not the UPN (mail is what a notice goes to)
  users.filter((user) => user.category === 'ready').forEach((user, index) => {
    if (index % 5 === 4 && user.mail !== null) user.mail = user.mail.replace('@', '@mail.');
  });

  const groups = buildGroups(users, exclusionIds, ids, random);
  // Drawn after every other id, so adding them left the ids of existing tenants unchanged.
  const mfaRequiredGroup = group(ids, 'MFA Required', 'Users the MFA Conditional Access policy applies to; the rollout adds them', []);
  const breakGlass = users.filter((user) => user.category === 'breakGlass').map((user) => ({ id: user.id, upn: user.userPrincipalName }));
  const rolloutPolicyId = ids.guid();
  const allUsersPolicyId = ids.guid();
  // Drawn after the ids above, so that adding them left the ids of existing tenants unchanged.
  const phishingResistantGroup = group(ids, 'Phishing-resistant MFA', 'Users with a passkey; the phishing-resistant Conditional Access policy applies to them', []);
  const conditionalAccessIds: ConditionalAccessIds = {
    rolloutPolicyId,
    allUsersPolicyId,
    phishingResistantPolicyId: ids.guid(),
    mfaRequiredGroupId: mfaRequiredGroup.id,
    phishingResistantGroupId: phishingResistantGroup.id,
    breakGlassIds: breakGlass.map((account) => account.id),
  };
  const roleAssignments = assignRoles(users, new Set(groups.pilot.memberIds));
  const usersById = new Map(users.map((user) => [user.id, user]));
  // Drawn after the role assignments, so adding them left every earlier id unchanged; the phishing-resistant group is
  // the one above (its Conditional Access policy includes it).
  const campaignGroup = group(ids, 'Passkey Campaign', 'Users the registration campaign nudges to set up a passkey; the rollout adds each wave', []);
  const phoneRetiredGroup = group(ids, 'Phone MFA Retired', 'Users with a passkey whom the SMS and Voice methods exclude', []);
  const organization: SandboxOrganization = {
    id: tenantId,
    displayName: naming.organization,
    countryLetterCode: homeCountry,
    createdDateTime: '2012-03-14T09:21:07Z',
    verifiedDomains: [
      { name: naming.primaryDomain, type: 'Managed', isDefault: true, isInitial: false, capabilities: 'Email, OfficeCommunicationsOnlineService' },
      { name: naming.initialDomain, type: 'Managed', isDefault: false, isInitial: true, capabilities: 'Email, OfficeCommunicationsOnlineService' },
    ],
  };
  const manifest: SandboxManifest = {
    tenantId,
    seed,
    size,
    homeCountry,
    breakGlass,
    groups: {
      pilot: groups.pilot.id,
      exclusion: groups.exclusion.id,
      rings: groups.rings.map((ring) => ({ name: ring.displayName, id: ring.id })),
      mfaRequired: mfaRequiredGroup.id,
      campaign: campaignGroup.id,
      phishingResistant: phishingResistantGroup.id,
      phoneRetired: phoneRetiredGroup.id,
    },
    conditionalAccess: {
      rolloutPolicyId: conditionalAccessIds.rolloutPolicyId,
      allUsersPolicyId: conditionalAccessIds.allUsersPolicyId,
      phishingResistantPolicyId: conditionalAccessIds.phishingResistantPolicyId,
    },
    users: users.map((user) => ({ id: user.id, upn: user.userPrincipalName, category: user.category })),
    counts,
    roleAssignments: roleAssignments.map((assignment) => {
      const user = usersById.get(assignment.principalId);
      return {
        userId: assignment.principalId,
        upn: user?.userPrincipalName ?? '',
        roleId: assignment.roleDefinitionId,
        roleName: directoryRoleNames[assignment.roleDefinitionId] ?? assignment.roleDefinitionId,
        cloudOnly: user?.onPremisesSyncEnabled !== true,
      };
    }),
  };
  return {
    tenantId,
    clientId,
    organization,
    users,
    phoneMethods,
    otherMethods,
    mfaStates,
    groups: [groups.pilot, groups.exclusion, ...groups.rings],
    mfaRequiredGroup,
    phishingResistantGroup,
    journeyGroups: [campaignGroup, phoneRetiredGroup],
    conditionalAccessIds,
    conditionalAccessPolicies: [...conditionalAccessPolicies('default', conditionalAccessIds, null).policies],
    roleAssignments,
    manifest,
  };
}

/**
 * Who holds a directory role, chosen by category and position (no random draw, so existing tenants keep every id):
 * the break-glass accounts are Global Administrators, as Microsoft's emergency-access guidance has them; the last
 * cloud-only user is a Privileged Role Administrator (a cloud-only admin the rollout would enrol); the last `ready`
 * user outside the pilot is a synced User Administrator and Authentication Administrator.
 */
function assignRoles(users: readonly Draft[], pilotIds: ReadonlySet<string>): SandboxRoleAssignment[] {
  const assignment = (roleDefinitionId: string, principalId: string): SandboxRoleAssignment => ({
    id: roleAssignmentId(roleDefinitionId, principalId), principalId, roleDefinitionId, directoryScopeId: '/',
  });
  const assignments = users.filter((user) => user.category === 'breakGlass').map((user) => assignment(directoryRoleIds.globalAdministrator, user.id));
  const cloudAdmin = users.findLast((user) => user.category === 'cloudOnly');
  if (cloudAdmin !== undefined) assignments.push(assignment(directoryRoleIds.privilegedRoleAdministrator, cloudAdmin.id));
  const syncedAdmin = users.findLast((user) => user.category === 'ready' && !pilotIds.has(user.id));
  if (syncedAdmin !== undefined) {
    assignments.push(assignment(directoryRoleIds.userAdministrator, syncedAdmin.id), assignment(directoryRoleIds.authenticationAdministrator, syncedAdmin.id));
  }
  return assignments;
}

interface Generator {
  readonly random: Random;
  readonly phones: PhoneNumbers;
  readonly homeCountry: CountryCode;
  readonly naming: TenantNaming;
  readonly upnsInUse: Map<string, number>;
  serviceAccounts: number;
  breakGlass: number;
}

function buildUser(category: UserCategory, country: CountryCode, generator: Generator): { draft: Draft; mobile?: { graphForm: string } } {
  const { random, phones, homeCountry } = generator;
  const { primaryDomain, initialDomain } = generator.naming;
  const names = personNames[country] ?? personNames.GB;
  const givenName = random.pick(names?.given ?? ['Alex']);
  const surname = random.pick(names?.surnames ?? ['Smith']);
  const department = random.pick(departments);
  const synced = !neverSynced.has(category);
  const draft: Draft = {
    id: random.guid(),
    userPrincipalName: `${uniqueLocalPart(`${foldName(givenName)}.${foldName(surname)}`, generator.upnsInUse)}@${primaryDomain}`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: null,
    accountEnabled: category !== 'disabled',
    userType: 'Member',
    mobilePhone: null,
    businessPhones: random.chance(0.5) ? [phones.officePhone(country)] : [],
    department,
    jobTitle: random.pick(jobTitles[department] ?? ['Specialist']),
    officeLocation: random.pick(offices[country] ?? ['Remote']),
    preferredLanguage: languages[country] ?? 'en-US',
    usageLocation: country,
    companyName: generator.naming.organization,
    createdDateTime: `${new Date(Date.UTC(2012, 0, 1) + random.int(0, 13 * 365 * 24 * 3600) * 1000).toISOString().slice(0, 19)}Z`,
    onPremisesSyncEnabled: synced ? true : null,
    onPremisesImmutableId: synced ? immutableId(random) : null,
    lastSyncAgeMinutes: synced ? 20 + random.int(0, 2 * 24 * 60) : null,
    category,
  };
  draft.mail = draft.userPrincipalName;
  let mobile: { graphForm: string } | undefined;
  const validMobile = (from: CountryCode = country): void => {
    const number = phones.mobile(from);
    draft.mobilePhone = number.text;
    mobile = number;
  };

  switch (category) {
    case 'ready':
    case 'disabled':
    case 'hasPhoneMethod':
    case 'phoneConflict':
    case 'alreadyEnforced':
    case 'exclusionGroupMember':
    case 'passkeyDeviceBound':
      validMobile();
      break;
    case 'readyNational': {
      const number = phones.nationalMobile();
      draft.mobilePhone = number.text;
      draft.usageLocation = homeCountry;
      mobile = number;
      break;
    }
    case 'missingMobile':
    case 'authenticatorOnly':
    case 'passkeySynced':
    case 'hardwareOathOnly':
      break;
    case 'invalidMobile':
      draft.mobilePhone = phones.invalid(country);
      break;
    case 'landline':
      draft.mobilePhone = phones.landline(country).text;
      break;
    case 'mobileWithExtension':
      draft.mobilePhone = phones.mobileWithExtension(country).text;
      break;
    case 'cloudOnly':
      validMobile();
      if (random.chance(0.3)) draft.userPrincipalName = draft.userPrincipalName.replace(`@${primaryDomain}`, `@${initialDomain}`);
      draft.mail = draft.userPrincipalName;
      break;
    case 'noLongerSynced':
      validMobile();
      draft.onPremisesSyncEnabled = false;
      draft.lastSyncAgeMinutes = random.int(30, 400) * 24 * 60;
      break;
    case 'guest': {
      const partner = random.pick(partnerDomains);
      const local = draft.userPrincipalName.slice(0, draft.userPrincipalName.indexOf('@'));
      draft.userPrincipalName = `${local}_${partner}#EXT#@${initialDomain}`;
      draft.mail = `${local}@${partner}`;
      draft.userType = 'Guest';
      draft.displayName = `${givenName} ${surname} (${partner.slice(0, partner.indexOf('.')).replace(/^./, (ch) => ch.toUpperCase())})`;
      draft.department = null;
      draft.jobTitle = null;
      draft.officeLocation = null;
      draft.companyName = null;
      draft.businessPhones = [];
      if (random.chance(0.5)) validMobile();
      break;
    }
    case 'breakGlass': {
      generator.breakGlass += 1;
      Object.assign(draft, {
        userPrincipalName: `breakglass${generator.breakGlass}@${initialDomain}`,
        displayName: `Emergency Access ${generator.breakGlass}`,
        givenName: null,
        surname: null,
        department: null,
        jobTitle: null,
        officeLocation: null,
        preferredLanguage: null,
        companyName: null,
        businessPhones: [],
        lastSyncAgeMinutes: null,
      });
      draft.mail = null;
      break;
    }
    case 'serviceAccount': {
      const first = generator.serviceAccounts === 0;
      const index = generator.serviceAccounts - 1;
      generator.serviceAccounts += 1;
      const name = first
        ? ''
        : `${serviceAccountNames[index % serviceAccountNames.length] ?? 'svc-app'}${index >= serviceAccountNames.length ? String(Math.floor(index / serviceAccountNames.length) + 1) : ''}`;
      Object.assign(draft, {
        userPrincipalName: first ? generator.naming.syncAccountUpn : `${name}@${primaryDomain}`,
        displayName: first ? 'On-Premises Directory Synchronization Service Account' : name,
        givenName: null,
        surname: null,
        department: 'IT',
        jobTitle: null,
        businessPhones: [],
      });
      draft.mail = first ? null : draft.userPrincipalName;
      validMobile(homeCountry);
      break;
    }
  }
  return mobile === undefined ? { draft } : { draft, mobile };
}

const foldedNames = new Map<string, string>();

/** A name as it appears in a UPN: ASCII, lowercase, no spaces (memoised: the name lists are short). */
function foldName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    folded = asciiFold(name).replace(/ /g, '');
    foldedNames.set(name, folded);
  }
  return folded;
}

/** An Entra Connect source anchor: base64 of 16 bytes (the on-premises objectGUID). */
function immutableId(random: Random): string {
  const bytes = Buffer.allocUnsafe(16);
  for (let offset = 0; offset < 16; offset += 4) bytes.writeUInt32LE(random.uint32(), offset);
  return bytes.toString('base64');
}

function uniqueLocalPart(base: string, inUse: Map<string, number>): string {
  const seen = inUse.get(base) ?? 0;
  inUse.set(base, seen + 1);
  return seen === 0 ? base : `${base}${seen + 1}`;
}

function authenticatorMethod(random: Random): OtherAuthenticationMethod {
  return {
    kind: 'microsoftAuthenticator',
    id: random.guid(),
    displayName: random.pick(['iPhone 15', 'iPhone 13', 'Pixel 8', 'Galaxy S23', 'iPhone SE']),
    deviceTag: 'SoftwareTokenActivated',
    phoneAppVersion: random.pick(['6.8.7', '6.2406.4220', '6.8.12']),
    createdDateTime: `202${random.int(1, 4)}-0${random.int(1, 9)}-1${random.int(0, 9)}T0${random.int(7, 9)}:1${random.int(0, 9)}:00Z`,
  };
}

function fido2Method(random: Random): OtherAuthenticationMethod {
  return {
    kind: 'fido2',
    id: random.guid(),
    displayName: 'YubiKey 5 NFC',
    model: 'YubiKey 5 NFC',
    aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8',
    passkeyType: 'deviceBound',
    attestationLevel: 'attested',
    createdDateTime: `2024-0${random.int(1, 9)}-1${random.int(0, 9)}T10:00:00Z`,
  };
}

/** A registration date in 2024–2026, before any rehearsal starts. */
function pastDateTime(random: Random): string {
  return `202${random.int(4, 6)}-0${random.int(1, 8)}-${String(random.int(10, 28))}T${String(random.int(10, 18))}:${String(random.int(10, 59))}:00Z`;
}

function group(ids: Random, displayName: string, description: string, memberIds: string[]): SandboxGroup {
  return {
    id: ids.guid(),
    displayName,
    description,
    mailNickname: displayName.replace(/[^A-Za-z0-9]/g, ''),
    createdDateTime: '2025-06-02T08:00:00Z',
    memberIds,
  };
}

/** Pilot (~1%, at least 3, ready IT users), exclusions, and two department rings of ready-ish users. */
function buildGroups(users: Draft[], exclusionIds: string[], ids: Random, random: Random) {
  const pilotEligible = users.filter((user) => user.category === 'ready' || user.category === 'hasPhoneMethod');
  const pilotSize = Math.min(pilotEligible.length, Math.max(3, Math.round(users.length * 0.01)));
  const inIt = pilotEligible.filter((user) => user.department === 'IT');
  for (const user of pilotEligible) {
    if (inIt.length >= pilotSize) break;
    if (user.department === 'IT') continue;
    user.department = 'IT';
    user.jobTitle = random.pick(jobTitles.IT ?? []);
    inIt.push(user);
  }
  const pilotIds = new Set(random.shuffle(inIt.map((user) => user.id)).slice(0, pilotSize));
  const ring = (department: string): string[] => {
    const members = users.filter((user) => readyish.has(user.category) && user.department === department && !pilotIds.has(user.id));
    if (members.length === 0) {
      const spare = users.find((user) => readyish.has(user.category) && !pilotIds.has(user.id) && user.department !== 'IT' && user.department !== 'Finance');
      if (spare !== undefined) {
        spare.department = department;
        spare.jobTitle = random.pick(jobTitles[department] ?? []);
        members.push(spare);
      }
    }
    return members.map((user) => user.id);
  };
  return {
    pilot: group(ids, 'MFA Pilot', 'Pilot users of the MFA rollout', users.filter((user) => pilotIds.has(user.id)).map((user) => user.id)),
    exclusion: group(ids, 'MFA Exclusions', 'Users the MFA rollout must never touch', exclusionIds),
    rings: [
      group(ids, 'Ring IT', 'MFA rollout ring: IT', ring('IT')),
      group(ids, 'Ring Finance', 'MFA rollout ring: Finance', ring('Finance')),
    ],
  };
}
