import type { PropertySet } from './propertySet.js';
import { graphDateTime, type SandboxUser } from '../tenant/tenantModel.js';

const unmodelled = (): null => null;
const emptyList = (): readonly string[] => [];

/**
 * The Graph `user` properties the sandbox renders. Properties real Graph has but the tenant does not model come back as
 * null (or an empty list), so a `$select` that works against Graph works here; unknown names get Graph's 400.
 */
export const userProperties: PropertySet<SandboxUser> = {
  typeName: 'user',
  getters: {
    id: (user) => user.id,
    userPrincipalName: (user) => user.userPrincipalName,
    displayName: (user) => user.displayName,
    givenName: (user) => user.givenName,
    surname: (user) => user.surname,
    mail: (user) => user.mail,
    accountEnabled: (user) => user.accountEnabled,
    userType: (user) => user.userType,
    mobilePhone: (user) => user.mobilePhone,
    businessPhones: (user) => user.businessPhones,
    department: (user) => user.department,
    jobTitle: (user) => user.jobTitle,
    officeLocation: (user) => user.officeLocation,
    preferredLanguage: (user) => user.preferredLanguage,
    usageLocation: (user) => user.usageLocation,
    companyName: (user) => user.companyName,
    createdDateTime: (user) => user.createdDateTime,
    creationType: (user) => (user.userType === 'Guest' ? 'Invitation' : null),
    externalUserState: (user) => (user.userType === 'Guest' ? 'Accepted' : null),
    onPremisesSyncEnabled: (user) => user.onPremisesSyncEnabled,
    onPremisesImmutableId: (user) => user.onPremisesImmutableId,
    onPremisesLastSyncDateTime: (user, now) =>
      user.lastSyncAgeMinutes === null ? null : graphDateTime(new Date(now.getTime() - user.lastSyncAgeMinutes * 60_000)),
    onPremisesSamAccountName: unmodelled,
    onPremisesUserPrincipalName: unmodelled,
    onPremisesDomainName: unmodelled,
    onPremisesDistinguishedName: unmodelled,
    onPremisesSecurityIdentifier: unmodelled,
    employeeId: unmodelled,
    employeeType: unmodelled,
    city: unmodelled,
    country: unmodelled,
    state: unmodelled,
    streetAddress: unmodelled,
    postalCode: unmodelled,
    faxNumber: unmodelled,
    ageGroup: unmodelled,
    showInAddressList: unmodelled,
    otherMails: emptyList,
    proxyAddresses: emptyList,
    imAddresses: emptyList,
  },
  defaults: ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'],
};
