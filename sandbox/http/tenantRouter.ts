import { readJwtClaims } from '../auth/hs256.js';
import type { TenantState } from '../tenant/tenantState.js';

/** Finds the tenant a request is for, as Entra and Graph do: the authority by the tenant in its path, Graph by the token's `tid`. */
export interface TenantRouter<T extends { readonly tenant: TenantState }> {
  /** The first tenant: the one a single-tenant sandbox has, and the one answering what names no tenant. */
  readonly primary: T;
  readonly all: readonly T[];
  /** By tenant id, ignoring case. */
  byId(tenantId: string): T | undefined;
  /** By tenant id or verified domain, ignoring case (`/{tenant}/oauth2/v2.0/token`). */
  forAuthority(segment: string): T | undefined;
  /**
   * The tenant the bearer token's `tid` names. The claim is only read here; that tenant's own token check verifies the
   * signature, so a token edited to name another tenant is refused there (401). No token, no readable `tid`, or a
   * tenant this sandbox does not hold: the primary tenant, whose check refuses the token.
   */
  forBearer(authorization: string | undefined): T;
}

function tidOf(authorization: string | undefined): string | undefined {
  const token = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  const tid = token === undefined ? undefined : readJwtClaims(token)?.tid;
  return typeof tid === 'string' ? tid : undefined;
}

/** Tenants must have distinct ids and verified domains (RangeError otherwise): no request may reach two of them. */
export function createTenantRouter<T extends { readonly tenant: TenantState }>(tenants: readonly T[]): TenantRouter<T> {
  const [primary] = tenants;
  if (primary === undefined) throw new RangeError('startSandbox: expected at least one tenant');
  const byId = new Map<string, T>();
  const byName = new Map<string, T>();
  for (const entry of tenants) {
    const id = entry.tenant.tenantId.toLowerCase();
    if (byId.has(id)) throw new RangeError(`startSandbox: two tenants have the id ${id}: give each tenant its own seed`);
    byId.set(id, entry);
    for (const name of [id, ...entry.tenant.organization.verifiedDomains.map((domain) => domain.name.toLowerCase())]) {
      if (byName.has(name)) throw new RangeError(`startSandbox: two tenants claim '${name}': give each tenant its own displayName`);
      byName.set(name, entry);
    }
  }
  return {
    primary,
    all: tenants,
    byId: (tenantId) => byId.get(tenantId.toLowerCase()),
    forAuthority: (segment) => byName.get(segment.toLowerCase()),
    forBearer: (authorization) => {
      const tid = tidOf(authorization);
      return (tid === undefined ? undefined : byId.get(tid.toLowerCase())) ?? primary;
    },
  };
}
