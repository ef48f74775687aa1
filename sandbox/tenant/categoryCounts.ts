import { userCategories, type UserCategory } from './tenantModel.js';

/** Share of the tenant per category; `ready` takes whatever is left (about 55%), `breakGlass` is always exactly 2. */
const shares: Readonly<Record<Exclude<UserCategory, 'ready' | 'breakGlass'>, number>> = {
  readyNational: 0.05,
  missingMobile: 0.07,
  invalidMobile: 0.04,
  landline: 0.03,
  mobileWithExtension: 0.01,
  cloudOnly: 0.04,
  noLongerSynced: 0.01,
  guest: 0.04,
  disabled: 0.03,
  serviceAccount: 0.01,
  hasPhoneMethod: 0.05,
  phoneConflict: 0.01,
  alreadyEnforced: 0.03,
  authenticatorOnly: 0.02,
  exclusionGroupMember: 0.01,
  passkeyDeviceBound: 0.02,
  passkeySynced: 0.02,
  hardwareOathOnly: 0.01,
};

/** Smallest count per category once the tenant is big enough: enough `ready` users for a pilot, the Sync_ account plus one svc- account. */
const minimums: Partial<Record<UserCategory, number>> = { ready: 3, serviceAccount: 2 };

/**
 * How many users of each category a tenant of `size` gets. Every category is present as soon as the size
 * allows (24 users and up for the minimums; break-glass first, then `ready`, then the list order).
 */
export function categoryCounts(size: number): Record<UserCategory, number> {
  const counts = Object.fromEntries(userCategories.map((category) => [category, 0])) as Record<UserCategory, number>;
  counts.breakGlass = Math.min(2, size);
  let left = size - counts.breakGlass;
  const others = userCategories.filter((category): category is Exclude<UserCategory, 'ready' | 'breakGlass'> => category !== 'ready' && category !== 'breakGlass');
  for (const category of ['ready', ...others] as const) {
    const take = Math.min(left, minimums[category] ?? 1);
    counts[category] = take;
    left -= take;
  }
  for (const category of others) {
    const take = Math.min(left, Math.max(0, Math.round(shares[category] * size) - counts[category]));
    counts[category] += take;
    left -= take;
  }
  counts.ready += left;
  return counts;
}
