import { describe, expect, it } from '@jest/globals';
import { tenantsOverview, type TenantOverviewLine } from '../../shared/core/tenantsOverview.js';
import { renderTenantsHtml } from '../../shared/report/renderTenantsHtml.js';
import { renderTenantsText } from '../../shared/report/renderTenantsText.js';

const halted: TenantOverviewLine = {
  tenantId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
  displayName: 'Fabrikam <script>alert(1)</script>',
  enabled: true,
  rollout: {
    users: 120, enforced: 40, ready: 70, parked: 2, planStatus: 'halted', haltReason: 'failure rate 14% after 20 users',
    last: { waveId: '2026-12-02T01-00-00Z', kind: 'enforce', status: 'halted', startedAt: '2026-12-02T01:00:00Z', reason: 'failure rate 14% after 20 users' },
    failures: { GRAPH_UNAVAILABLE: 16, GRAPH_TIMEOUT: 1 },
    deadline: { status: 'atRisk', message: '12 of 40 user(s) at risk are projected still on SMS', retirementDate: '2027-02-01', daysLeft: 61, atRiskNow: 40, postureBlocked: false },
  },
  error: null,
};
const broken: TenantOverviewLine = { tenantId: '0b0b0b0b-1111-4222-8333-444455556666', displayName: 'Broken', enabled: true, rollout: null, error: { code: 'CONFIG_INVALID', message: 'Tenant 0b0b…: Invalid configuration:\nMFA_WAVE_SIZE: expected a whole number' } };
const overview = tenantsOverview('2026-12-02T08:00:00.000Z', [halted, broken]);

describe('the report across tenants', () => {
  it('totals the tenants, counting the unreadable apart', () => {
    expect(overview.totals).toEqual({ tenants: 2, enabled: 2, users: 120, enforced: 40, halted: 1, held: 0, atRisk: 1, unreadable: 1, failures: 17 });
  });

  it('as text: one block per tenant, the halt, the deadline and the failures by code; the unreadable with its error on one line', () => {
    const text = renderTenantsText(overview);
    expect(text).toContain('plan: halted: failure rate 14% after 20 users');
    expect(text).toContain('SMS deadline 2027-02-01 (61 day(s)): atRisk');
    expect(text).toContain('failures: GRAPH_UNAVAILABLE x16, GRAPH_TIMEOUT x1');
    const planned = renderTenantsText(tenantsOverview('2026-12-02T08:00:00.000Z', [{ ...halted, rollout: { ...halted.rollout!, planStatus: 'plan', haltReason: null } }]));
    expect(planned).toContain('plan: next wave planned');
    expect(planned).not.toContain('plan plan');
    expect(text).toContain('unreadable: CONFIG_INVALID: Tenant 0b0b…: Invalid configuration: MFA_WAVE_SIZE: expected a whole number');
  });

  it('as HTML: every value escaped, no script', () => {
    const html = renderTenantsHtml(overview);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Fabrikam &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<span class="bad">halted</span>');
  });
});
