/** One tenant's line of the report across tenants: counts and states only, never a user's name. */
export interface TenantOverviewLine {
  readonly tenantId: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** Null when the tenant's settings or tables could not be read: `error` says why. */
  readonly rollout: {
    readonly users: number;
    readonly enforced: number;
    readonly ready: number;
    readonly parked: number;
    /** The plan as the next night would see it: `halted` stops every wave until `mfa-rollout --tenant <id> resume`. */
    readonly planStatus: 'plan' | 'halted' | 'nothingToDo';
    readonly haltReason: string | null;
    /** The latest record of the history: a wave, a held night, a resume or a rollback. */
    readonly last: { readonly waveId: string; readonly kind: string; readonly status: string; readonly startedAt: string; readonly reason: string | null } | null;
    /** Failures of the listed waves, by error code. */
    readonly failures: Readonly<Record<string, number>>;
    /** The methods posture against the SMS retirement date (the Posture table's `methods` section, and the projection). */
    readonly deadline: {
      readonly status: 'atRisk' | 'onTrack' | 'notApplicable';
      readonly message: string;
      readonly retirementDate: string;
      readonly daysLeft: number;
      readonly atRiskNow: number;
      readonly postureBlocked: boolean | null;
    };
  } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface TenantsOverview {
  readonly generatedAt: string;
  readonly tenants: readonly TenantOverviewLine[];
  readonly totals: {
    readonly tenants: number;
    readonly enabled: number;
    readonly users: number;
    readonly enforced: number;
    readonly halted: number;
    /** Tenants whose latest record is a held night. */
    readonly held: number;
    readonly atRisk: number;
    readonly unreadable: number;
    readonly failures: number;
  };
}

/** The totals over every tenant's line (pure). */
export function tenantsOverview(generatedAt: string, tenants: readonly TenantOverviewLine[]): TenantsOverview {
  const rollouts = tenants.flatMap((tenant) => (tenant.rollout === null ? [] : [tenant.rollout]));
  const sum = (pick: (rollout: NonNullable<TenantOverviewLine['rollout']>) => number) => rollouts.reduce((total, rollout) => total + pick(rollout), 0);
  return {
    generatedAt,
    tenants,
    totals: {
      tenants: tenants.length,
      enabled: tenants.filter((tenant) => tenant.enabled).length,
      users: sum((rollout) => rollout.users),
      enforced: sum((rollout) => rollout.enforced),
      halted: rollouts.filter((rollout) => rollout.planStatus === 'halted').length,
      held: rollouts.filter((rollout) => rollout.last?.kind === 'held').length,
      atRisk: rollouts.filter((rollout) => rollout.deadline.status === 'atRisk').length,
      unreadable: tenants.filter((tenant) => tenant.rollout === null).length,
      failures: sum((rollout) => Object.values(rollout.failures).reduce((total, count) => total + count, 0)),
    },
  };
}
