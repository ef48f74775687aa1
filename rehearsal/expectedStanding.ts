import type { UserCategory } from '../sandbox/tenant/tenantModel.js';

/**
 * Where each kind of generated user must end after a full rehearsal, as the rollout's report names it:
 * `enforced`, a not-ready reason, or an exclusion reason. The rehearsal compares this, user by user, with
 * what the rollout recorded. It assumes the rehearsal's settings: the home country as default phone region,
 * cloud-only users not allowed, the generated exclusion group and break-glass accounts configured.
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
