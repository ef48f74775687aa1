import type { WindowBounds } from './manyTenantsBench.js';

/** The many-tenants bench's targets: the aggregate share of the tenants' quotas (≥ 85 %), the lowest tenant's share of its own (≥ 70 %). */
export const manyTenantsTargets = { aggregate: 0.85, lowestTenant: 0.7 } as const;

export interface TargetVerdict {
  readonly figure: 'aggregate' | 'lowest tenant';
  readonly value: number;
  readonly target: number;
  readonly met: boolean;
  /**
   * Under the window count with no app-wide limit: the most any client could score on these nights' own write counts
   * by the span reading (`windowSpanBound` for a client using the whole quota; the aggregate is at most the tenants'
   * own quota while they wrote, which is at most that bound), or null (buckets, or the app-wide limit on).
   */
  readonly ceiling: number | null;
}

/** Each figure against its target, with the window reading's ceiling when there is one. Pure. */
export function manyTenantsVerdicts(figures: { readonly aggregateShare: number; readonly lowestTenantShare: number; readonly windowBound: WindowBounds | null }): readonly TargetVerdict[] {
  const verdict = (figure: TargetVerdict['figure'], value: number, target: number, ceiling: number | null): TargetVerdict => ({ figure, value, target, met: value >= target, ceiling });
  return [
    verdict('aggregate', figures.aggregateShare, manyTenantsTargets.aggregate, figures.windowBound?.anyClient.aggregate ?? null),
    verdict('lowest tenant', figures.lowestTenantShare, manyTenantsTargets.lowestTenant, figures.windowBound?.anyClient.lowest ?? null),
  ];
}

/**
 * One line: `aggregate 92.1 % (≥ 85 %) met · lowest tenant 66.0 % (≥ 70 %) MISSED, above what any client can score on
 * these nights (68 %)`; the figures to a tenth, so that 84.6 % never reads as a met 85 %.
 */
export function renderVerdicts(verdicts: readonly TargetVerdict[]): string {
  const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
  const tenth = (share: number) => `${(share * 100).toFixed(1)} %`;
  return verdicts
    .map((verdict) => {
      const head = `${verdict.figure} ${tenth(verdict.value)} (≥ ${percent(verdict.target)}) ${verdict.met ? 'met' : 'MISSED'}`;
      if (verdict.met || verdict.ceiling === null) return head;
      return verdict.ceiling < verdict.target
        ? `${head}, above what any client can score on these nights (${percent(verdict.ceiling)})`
        : `${head} (any client: at most ${percent(verdict.ceiling)} on these nights)`;
    })
    .join(' · ');
}
