import type { PropertySet } from './propertySet.js';
import type { TenantState } from '../tenant/tenantState.js';

/** The Graph `organization` properties the sandbox renders; directory sync comes from the adjustable sync setting. */
export const organizationProperties: PropertySet<TenantState> = {
  typeName: 'organization',
  getters: {
    id: (tenant) => tenant.organization.id,
    displayName: (tenant) => tenant.organization.displayName,
    countryLetterCode: (tenant) => tenant.organization.countryLetterCode,
    createdDateTime: (tenant) => tenant.organization.createdDateTime,
    tenantType: () => 'AAD',
    verifiedDomains: (tenant) => tenant.organization.verifiedDomains,
    onPremisesSyncEnabled: (tenant) => tenant.directorySync().onPremisesSyncEnabled,
    onPremisesLastSyncDateTime: (tenant) => tenant.directorySync().onPremisesLastSyncDateTime,
    technicalNotificationMails: (tenant) => [`it-admins@${tenant.organization.verifiedDomains.find((domain) => domain.isDefault)?.name ?? 'contoso.com'}`],
    preferredLanguage: () => 'en',
    businessPhones: () => [],
    city: () => null,
    country: () => null,
    street: () => null,
    postalCode: () => null,
    state: () => null,
  },
  defaults: [
    'id',
    'businessPhones',
    'city',
    'country',
    'countryLetterCode',
    'createdDateTime',
    'displayName',
    'onPremisesLastSyncDateTime',
    'onPremisesSyncEnabled',
    'postalCode',
    'preferredLanguage',
    'state',
    'street',
    'technicalNotificationMails',
    'tenantType',
    'verifiedDomains',
  ],
};
