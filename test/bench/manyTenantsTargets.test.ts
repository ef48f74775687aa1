import { describe, expect, it } from '@jest/globals';
import { manyTenantsVerdicts, renderVerdicts } from '../../bench/manyTenantsTargets.js';

const bound = (aggregate: number, lowest: number) => ({ pacer: { aggregate: aggregate - 0.04, lowest: lowest - 0.03 }, anyClient: { aggregate, lowest } });

describe('the many-tenants targets', () => {
  it('under buckets: each figure against its target, no ceiling', () => {
    const verdicts = manyTenantsVerdicts({ aggregateShare: 0.92, lowestTenantShare: 0.69, windowBound: null });
    expect(verdicts).toEqual([
      { figure: 'aggregate', value: 0.92, target: 0.85, met: true, ceiling: null },
      { figure: 'lowest tenant', value: 0.69, target: 0.7, met: false, ceiling: null },
    ]);
    expect(renderVerdicts(verdicts)).toBe('aggregate 92.0 % (≥ 85 %) met · lowest tenant 69.0 % (≥ 70 %) MISSED');
  });

  it('under windows: a missed target says whether any client could have met it on these nights', () => {
    const verdicts = manyTenantsVerdicts({ aggregateShare: 0.81, lowestTenantShare: 0.66, windowBound: bound(0.9, 0.68) });
    expect(verdicts.map((verdict) => [verdict.met, verdict.ceiling])).toEqual([[false, 0.9], [false, 0.68]]);
    expect(renderVerdicts(verdicts)).toBe(
      'aggregate 81.0 % (≥ 85 %) MISSED (any client: at most 90 % on these nights) · lowest tenant 66.0 % (≥ 70 %) MISSED, above what any client can score on these nights (68 %)',
    );
  });

  it('a target met exactly is met, and a met target names no ceiling', () => {
    expect(renderVerdicts(manyTenantsVerdicts({ aggregateShare: 0.85, lowestTenantShare: 0.82, windowBound: bound(0.9, 0.85) }))).toBe('aggregate 85.0 % (≥ 85 %) met · lowest tenant 82.0 % (≥ 70 %) met');
    // just under: shown to a tenth, never as a met 85 %
    expect(renderVerdicts(manyTenantsVerdicts({ aggregateShare: 0.8461, lowestTenantShare: 0.82, windowBound: null }))).toBe('aggregate 84.6 % (≥ 85 %) MISSED · lowest tenant 82.0 % (≥ 70 %) met');
  });
});
