import type { UserCategory } from '../sandbox/tenant/tenantModel.js';

/**
 * Where each kind of generated user must end after a whole phone-track rollout, as the rollout's report names it:
 * `enforced`, a not-ready reason, or an exclusion reason (the phone-track tests compare it with their outcome). It
 * assumes the sandbox settings: the home country as default phone region, cloud-only users not allowed, the generated
 * exclusion group and break-glass accounts configured.
 */
export const expectedStanding: Readonly<Record<UserCategory, string>> = {
  ready: 'enforced',
  readyNational: 'enforced',
  hasPhoneMethod: 'enforced',
  phoneConflict: 'enforced',
  alreadyEnforced: 'enforced',
  authenticatorOnly: 'enforced',
  passkeyDeviceBound: 'enforced',
  passkeySynced: 'enforced',
  // only the beta methods list shows a hardware OATH token: the rollout counts it as a method
  hardwareOathOnly: 'enforced',
  missingMobile: 'mobileMissing',
  invalidMobile: 'mobileInvalid',
  landline: 'mobileIsLandline',
  mobileWithExtension: 'mobileHasExtension',
  cloudOnly: 'notSynced',
  noLongerSynced: 'notSynced',
  disabled: 'accountDisabled',
  guest: 'guest',
  breakGlass: 'breakGlass',
  serviceAccount: 'serviceAccount',
  exclusionGroupMember: 'exclusionGroup',
};

/** Generated kinds the sandbox settings exclude (break-glass accounts, the exclusion group, service accounts, guests): Graph must show them untouched. */
export const excludedKinds: readonly UserCategory[] = ['breakGlass', 'serviceAccount', 'guest', 'exclusionGroupMember'];

/** Kinds the rollout never attends: the excluded ones, disabled accounts and users not synced from on-premises. */
export const outOfScopeKinds: readonly UserCategory[] = [...excludedKinds, 'disabled', 'cloudOnly', 'noLongerSynced'];
