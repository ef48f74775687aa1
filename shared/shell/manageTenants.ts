import { tenantConfig } from '../config/tenantConfig.js';
import { RolloutError } from '../errors/RolloutError.js';
import type { TenantEntry, TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';

type Environment = Readonly<Record<string, string | undefined>>;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantRequest {
  readonly tenantId: string;
  readonly displayName: string;
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * Registers a tenant, or replaces the name and settings of a registered one (enabled either way). The settings are
 * validated first, with the deployment's, by the same schema as every night (`tenantConfig`): a secret, a deployment
 * setting, a missing MFA_BREAK_GLASS or a bad value is refused by name and nothing is written.
 */
export async function addTenant(deploymentEnv: Environment, registry: TenantRegistryTable, request: TenantRequest, now: Date): Promise<{ entry: TenantEntry; replaced: boolean }> {
  if (!guid.test(request.tenantId)) throw new RolloutError('USAGE_INVALID', `tenants add: expected the tenant id as a GUID (the directory id), e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47`);
  const tenantId = request.tenantId.toLowerCase();
  tenantConfig(deploymentEnv, { ...request, tenantId });
  const existing = await registry.get(tenantId);
  const at = now.toISOString();
  const entry: TenantEntry = {
    tenantId,
    displayName: request.displayName,
    enabled: true,
    settings: { ...request.settings },
    addedAt: existing?.addedAt ?? at,
    updatedAt: at,
    disabledAt: null,
    lastEnqueuedNight: existing?.lastEnqueuedNight ?? null,
    lastNight: existing?.lastNight ?? null,
  };
  await registry.save(entry);
  return { entry, replaced: existing !== null };
}

/** Disables a tenant: the fan-out no longer enqueues it and a message already queued does nothing. Its tables stay. */
export async function disableTenant(registry: TenantRegistryTable, tenantId: string, now: Date): Promise<TenantEntry> {
  const existing = await registry.get(tenantId);
  if (existing === null) throw new RolloutError('TENANT_NOT_REGISTERED', `Tenant ${tenantId.toLowerCase()} is not in the tenant registry`);
  if (!existing.enabled) return existing;
  const at = now.toISOString();
  const entry = { ...existing, enabled: false, updatedAt: at, disabledAt: at };
  await registry.save(entry);
  return entry;
}
