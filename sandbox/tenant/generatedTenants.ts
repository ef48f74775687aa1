import type { SandboxTenantOptions } from '../createSandboxTenant.js';

/** Size of each generated tenant as a share of the given size, in turn: small, large and in between. */
const sizeFactors = [1, 0.3, 2.5, 0.6, 1.4, 0.15, 4, 0.8];

/** The smallest tenant in which every user category exists (tenant/categoryCounts.ts). */
const smallestFullTenant = 24;

/**
 * `count` tenants of varied sizes around `users` (×0.15 to ×4, at least 24 users, or `users` when that is fewer), with
 * seeds `seed`, `seed + 1`, … and generated names ('Contoso', 'Fabrikam', …). Deterministic.
 */
export function generatedTenants(count: number, users: number, seed: number): SandboxTenantOptions[] {
  if (!Number.isInteger(count) || count < 1 || count > 1_000) throw new RangeError('generatedTenants: expected the tenant count to be a whole number from 1 to 1,000');
  return Array.from({ length: count }, (_, index) => ({
    users: Math.min(1_000_000, Math.max(Math.min(users, smallestFullTenant), Math.round(users * (sizeFactors[index % sizeFactors.length] ?? 1)))),
    seed: seed + index,
  }));
}
