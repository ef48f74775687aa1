import { tenantConfig } from '../config/tenantConfig.js';
import { tenantsOverview, type TenantOverviewLine, type TenantsOverview } from '../core/tenantsOverview.js';
import { compareWaves } from '../core/compareWaves.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { TenantEntry, TenantRegistryTable } from '../adapters/tables/tenantRegistryTable.js';
import { buildReport } from './buildReport.js';
import { openTablePorts } from './rolloutPorts.js';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The report across tenants: each registered tenant's own `buildReport` (its tables partition, tables only, no
 * Graph call) folded into one line: progress, the plan (halted or not), the latest night (held or not), failures by
 * code, and the methods posture against the SMS retirement date. A tenant whose settings or tables cannot be read
 * is listed with its error; the others are still reported.
 */
export async function buildTenantsReport(deploymentEnv: Environment, registry: TenantRegistryTable, now: Date): Promise<TenantsOverview> {
  const { entries, unreadable } = await registry.list();
  const lines: TenantOverviewLine[] = [];
  for (const entry of entries) lines.push(await tenantLine(deploymentEnv, entry, now));
  for (const error of unreadable) lines.push({ tenantId: '?', displayName: '', enabled: false, rollout: null, error: { code: error.code, message: error.message } });
  return tenantsOverview(now.toISOString(), lines);
}

async function tenantLine(deploymentEnv: Environment, entry: TenantEntry, now: Date): Promise<TenantOverviewLine> {
  const base = { tenantId: entry.tenantId, displayName: entry.displayName, enabled: entry.enabled };
  try {
    const config = tenantConfig(deploymentEnv, entry);
    const ports = await openTablePorts(config);
    const report = await buildReport(config, ports, now, { lastWaves: 10, listLimit: 0, nights: 1 });
    const history = await ports.waves.history();
    const last = [...history].sort(compareWaves).at(-1) ?? null;
    const failures: Record<string, number> = {};
    for (const group of report.failures) failures[group.errorCode] = (failures[group.errorCode] ?? 0) + group.count;
    return {
      ...base,
      rollout: {
        users: report.users,
        enforced: report.progress.enforced,
        ready: report.progress.ready,
        parked: report.progress.parked,
        planStatus: report.plan.status,
        haltReason: report.plan.haltReason ?? null,
        last: last === null ? null : { waveId: last.waveId, kind: last.kind, status: last.status, startedAt: last.startedAt, reason: last.reason },
        failures,
        deadline: {
          status: report.deadline.verdict.status,
          message: report.deadline.verdict.message,
          retirementDate: report.deadline.projection.retirementDate,
          daysLeft: report.deadline.projection.daysLeft,
          atRiskNow: report.deadline.projection.atRiskNow,
          postureBlocked: report.deadline.posture?.blocked ?? null,
        },
      },
      error: null,
    };
  } catch (error) {
    const failure = toRolloutError(error);
    return { ...base, rollout: null, error: { code: failure.code, message: failure.message } };
  }
}
