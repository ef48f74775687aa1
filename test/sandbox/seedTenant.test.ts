import { describe, expect, it } from '@jest/globals';
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { categoryCounts } from '../../sandbox/tenant/categoryCounts.js';
import { isGraphPhoneNumber } from '../../sandbox/tenant/isGraphPhoneNumber.js';
import { seedTenant } from '../../sandbox/tenant/seedTenant.js';
import { userCategories, type SandboxUser, type UserCategory } from '../../sandbox/tenant/tenantModel.js';

const validMobileCategories: readonly UserCategory[] = [
  'ready',
  'cloudOnly',
  'noLongerSynced',
  'disabled',
  'serviceAccount',
  'hasPhoneMethod',
  'phoneConflict',
  'alreadyEnforced',
  'exclusionGroupMember',
  'passkeyDeviceBound',
];
const isMobile = (number: PhoneNumber | undefined): boolean =>
  number !== undefined && number.isValid() && (number.getType() === 'MOBILE' || number.getType() === 'FIXED_LINE_OR_MOBILE');

describe('seedTenant', () => {
  const tenant = seedTenant({ seed: 42, size: 200, homeCountry: 'SE' });
  const ofCategory = (category: UserCategory): SandboxUser[] => tenant.users.filter((user) => user.category === category);

  it('is deterministic for the same seed and size, and differs for another seed', () => {
    const again = seedTenant({ seed: 42, size: 200, homeCountry: 'SE' });
    expect(again.users).toEqual(tenant.users);
    expect(again.groups).toEqual(tenant.groups);
    expect(again.manifest).toEqual(tenant.manifest);
    expect([...again.phoneMethods]).toEqual([...tenant.phoneMethods]);
    expect([...again.mfaStates]).toEqual([...tenant.mfaStates]);
    const other = seedTenant({ seed: 43, size: 200, homeCountry: 'SE' });
    expect(other.tenantId).not.toBe(tenant.tenantId);
    expect(other.users.map((user) => user.id)).not.toEqual(tenant.users.map((user) => user.id));
  });

  it('contains every category at 200 users, with the planned counts and exactly 2 break-glass accounts', () => {
    for (const category of userCategories) expect(ofCategory(category).length).toBeGreaterThan(0);
    expect(tenant.manifest.counts).toEqual(categoryCounts(200));
    expect(ofCategory('ready').length).toBeGreaterThan(90);
    const breakGlass = ofCategory('breakGlass');
    expect(breakGlass.map((user) => user.userPrincipalName).sort()).toEqual(['breakglass1@contoso.onmicrosoft.com', 'breakglass2@contoso.onmicrosoft.com']);
    expect(tenant.manifest.breakGlass).toEqual(breakGlass.map((user) => ({ id: user.id, upn: user.userPrincipalName })));
    for (const user of breakGlass) {
      expect(user).toMatchObject({ onPremisesSyncEnabled: null, accountEnabled: true, mobilePhone: null });
      expect(tenant.otherMethods.get(user.id)?.map((method) => method.kind)).toEqual(['fido2']);
    }
  });

  it('keeps every category and exactly 2 break-glass accounts in small tenants', () => {
    for (const size of [24, 50]) {
      const small = seedTenant({ seed: 5, size, homeCountry: 'SE' });
      const present = new Set(small.users.map((user) => user.category));
      expect(present.size).toBe(userCategories.length);
      expect(small.manifest.breakGlass).toHaveLength(2);
      expect(small.users).toHaveLength(size);
    }
    for (let size = 0; size <= 30; size += 1) {
      const counts = categoryCounts(size);
      expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(size);
      expect(counts.breakGlass).toBe(Math.min(2, size));
    }
  });

  it('writes valid numbers that libphonenumber-js/max accepts, and invalid ones it rejects', () => {
    for (const category of validMobileCategories) {
      for (const user of ofCategory(category)) {
        const parsed = parsePhoneNumberFromString(user.mobilePhone ?? '');
        expect({ category, mobile: user.mobilePhone, ok: isMobile(parsed) && parsed?.ext === undefined }).toEqual({ category, mobile: user.mobilePhone, ok: true });
      }
    }
    for (const user of ofCategory('readyNational')) {
      expect(isMobile(parsePhoneNumberFromString(user.mobilePhone ?? '', 'SE'))).toBe(true);
      expect(parsePhoneNumberFromString(user.mobilePhone ?? '')?.isValid() ?? false).toBe(false);
    }
    for (const user of ofCategory('landline')) {
      const parsed = parsePhoneNumberFromString(user.mobilePhone ?? '');
      expect([user.mobilePhone, parsed?.isValid(), parsed?.getType()]).toEqual([user.mobilePhone, true, 'FIXED_LINE']);
    }
    for (const user of ofCategory('mobileWithExtension')) {
      const parsed = parsePhoneNumberFromString(user.mobilePhone ?? '');
      expect(isMobile(parsed)).toBe(true);
      expect(parsed?.ext).toMatch(/^\d+$/);
    }
    for (const user of ofCategory('invalidMobile')) {
      expect(typeof user.mobilePhone).toBe('string');
      expect(parsePhoneNumberFromString(user.mobilePhone ?? '')?.isValid() ?? false).toBe(false);
      expect(parsePhoneNumberFromString(user.mobilePhone ?? '', 'SE')?.isValid() ?? false).toBe(false);
    }
    for (const category of ['missingMobile', 'authenticatorOnly', 'breakGlass', 'passkeySynced', 'hardwareOathOnly'] as const) {
      for (const user of ofCategory(category)) expect(user.mobilePhone).toBeNull();
    }
    for (const user of ofCategory('guest')) {
      if (user.mobilePhone !== null) expect(isMobile(parsePhoneNumberFromString(user.mobilePhone))).toBe(true);
    }
  });

  it('gives every valid mobile to one user only, across several countries and spellings', () => {
    const numbers = tenant.users
      .filter((user) => user.category !== 'invalidMobile' && user.mobilePhone !== null)
      .map((user) => parsePhoneNumberFromString(user.mobilePhone ?? '', 'SE')?.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const countries = new Set(numbers.map((number) => parsePhoneNumberFromString(number ?? '')?.country));
    expect(countries.size).toBeGreaterThanOrEqual(5);
    const spellings = new Set(tenant.users.map((user) => (user.mobilePhone ?? '').replace(/\d/g, '9')));
    expect(spellings.size).toBeGreaterThan(10);
  });

  it('registers phone methods and MFA states as the categories say', () => {
    const graphForm = (text: string | null): string => {
      const parsed = parsePhoneNumberFromString(text ?? '');
      return `+${parsed?.countryCallingCode} ${parsed?.nationalNumber}`;
    };
    for (const user of [...ofCategory('hasPhoneMethod'), ...ofCategory('alreadyEnforced')]) {
      const methods = tenant.phoneMethods.get(user.id) ?? [];
      expect(methods.map((method) => [method.phoneType, method.phoneNumber])[0]).toEqual(['mobile', graphForm(user.mobilePhone)]);
      expect(methods.every((method) => isGraphPhoneNumber(method.phoneNumber))).toBe(true);
    }
    // every third user with a mobile method also has an alternate mobile (Graph then keeps the mobile on delete)
    const alternates = ofCategory('hasPhoneMethod').map((user) => (tenant.phoneMethods.get(user.id) ?? []).map((method) => method.phoneType));
    expect(alternates.filter((types) => types.includes('alternateMobile'))).toHaveLength(Math.floor(alternates.length / 3));
    expect(alternates.every((types) => types.length === 1 || (types.length === 2 && types[1] === 'alternateMobile'))).toBe(true);
    for (const user of ofCategory('alreadyEnforced')) expect(tenant.phoneMethods.get(user.id)?.map((method) => method.phoneType)).toEqual(['mobile']);
    for (const user of ofCategory('phoneConflict')) {
      const method = tenant.phoneMethods.get(user.id)?.[0];
      expect(method?.phoneNumber).not.toBe(graphForm(user.mobilePhone));
      expect(isMobile(parsePhoneNumberFromString(method?.phoneNumber ?? ''))).toBe(true);
    }
    for (const user of ofCategory('alreadyEnforced')) expect(tenant.mfaStates.get(user.id)).toBe('enforced');
    for (const user of ofCategory('authenticatorOnly')) {
      expect(tenant.otherMethods.get(user.id)?.map((method) => method.kind)).toEqual(['microsoftAuthenticator']);
      expect(user.onPremisesSyncEnabled).toBe(true);
    }
    const withMethods = new Set([...tenant.phoneMethods.keys()]);
    for (const user of ofCategory('ready')) expect(withMethods.has(user.id) || tenant.mfaStates.has(user.id)).toBe(false);
  });

  it('gives the passkey categories one passkey of their kind, and hardwareOathOnly users only a hardware token', () => {
    const only = (user: SandboxUser) => {
      const methods = tenant.otherMethods.get(user.id) ?? [];
      expect(methods).toHaveLength(1);
      expect(tenant.phoneMethods.has(user.id)).toBe(false);
      return methods[0];
    };
    const deviceBound = ofCategory('passkeyDeviceBound').map(only);
    expect(deviceBound.map((method) => method?.kind === 'fido2' && method.passkeyType)).toEqual(deviceBound.map(() => 'deviceBound'));
    // device-bound passkeys live on security keys and in Microsoft Authenticator (told apart by their AAGUID)
    expect(new Set(deviceBound.map((method) => (method?.kind === 'fido2' ? method.model.startsWith('Microsoft Authenticator') : null))).size).toBe(2);
    for (const method of ofCategory('passkeySynced').map(only)) expect(method).toMatchObject({ kind: 'fido2', passkeyType: 'synced', attestationLevel: 'notAttested' });
    for (const method of ofCategory('hardwareOathOnly').map(only)) expect(method).toMatchObject({ kind: 'hardwareOath', createdDateTime: expect.stringMatching(/^202[4-6]-/) });
  });

  it('shapes accounts per category: sync state, guests, disabled and service accounts', () => {
    for (const user of ofCategory('ready')) expect(user).toMatchObject({ onPremisesSyncEnabled: true, accountEnabled: true, userType: 'Member' });
    for (const user of ofCategory('cloudOnly')) expect([user.onPremisesSyncEnabled, user.onPremisesImmutableId, user.lastSyncAgeMinutes]).toEqual([null, null, null]);
    for (const user of ofCategory('noLongerSynced')) expect(user.onPremisesSyncEnabled).toBe(false);
    for (const user of ofCategory('disabled')) expect(user.accountEnabled).toBe(false);
    for (const user of ofCategory('guest')) {
      expect(user).toMatchObject({ userType: 'Guest', onPremisesSyncEnabled: null });
      expect(user.userPrincipalName).toMatch(/^[a-z0-9.]+_[a-z.]+#EXT#@contoso\.onmicrosoft\.com$/);
    }
    const services = ofCategory('serviceAccount').map((user) => user.userPrincipalName);
    expect(services).toContain('Sync_ADC01_1a2b3c4d5e6f@contoso.onmicrosoft.com');
    expect(services.some((upn) => /^svc-[a-z0-9-]+@contoso\.com$/.test(upn))).toBe(true);
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const id of [tenant.tenantId, tenant.clientId, ...tenant.users.map((user) => user.id), ...tenant.groups.map((group) => group.id)]) expect(id).toMatch(guid);
    const upns = tenant.users.map((user) => user.userPrincipalName.toLowerCase());
    expect(new Set(upns).size).toBe(upns.length);
    expect(new Set(tenant.users.map((user) => user.department)).size).toBeGreaterThanOrEqual(7);
  });

  it('builds a pilot group of ready IT users, the exclusion group and two ring groups', () => {
    const byId = new Map(tenant.users.map((user) => [user.id, user]));
    const [pilot, exclusion, ...rings] = tenant.groups;
    expect(pilot?.id).toBe(tenant.manifest.groups.pilot);
    expect(pilot?.memberIds.length).toBeGreaterThanOrEqual(3);
    for (const id of pilot?.memberIds ?? []) {
      expect(['ready', 'hasPhoneMethod']).toContain(byId.get(id)?.category);
      expect(byId.get(id)?.department).toBe('IT');
    }
    expect(exclusion?.memberIds.map((id) => byId.get(id)?.category)).toEqual(ofCategory('exclusionGroupMember').map(() => 'exclusionGroupMember'));
    expect(rings.map((ring) => ring.displayName)).toEqual(['Ring IT', 'Ring Finance']);
    expect(tenant.manifest.groups.rings).toEqual(rings.map((ring) => ({ name: ring.displayName, id: ring.id })));
    for (const ring of rings) expect(ring.memberIds.length).toBeGreaterThan(0);
  });
});
