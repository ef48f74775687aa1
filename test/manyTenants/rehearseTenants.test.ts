import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { rehearseTenants } from '../../rehearsal/rehearseTenants.js';

/** `npm run rehearse -- --tenants N` in process: three generated tenants of different settings, two nights on the queue path. */
describe('rehearseTenants', () => {
  it('rehearses three tenants through the registry, fan-out, queue and workers, and checks each against its own sandbox tenant', async () => {
    let printed = '';
    const out = new Writable({ write: (chunk: Buffer, _encoding, done) => { printed += chunk.toString(); done(); } });
    const outcome = await rehearseTenants({ tenants: 3, users: 30, nights: 2, start: '2027-01-04', seed: 41, workers: 2, out });
    expect(outcome.ok).toBe(true);
    expect(outcome.poisoned).toBe(0);
    expect(outcome.tenants.map((tenant) => tenant.variant)).toEqual(['phone perUserMfa w10', 'phone perUserMfa w25', 'passkey perUserMfa w50']);
    for (const tenant of outcome.tenants) {
      expect(tenant).toMatchObject({ ok: true, foreignWrites: 0, failedNights: 0, outcome: [], journal: { duplicateWrites: 0, breakGlassWrites: 0 } });
      expect(tenant.nights).toHaveLength(2);
      expect(tenant.nights[0]).toBe('completed');
    }
    expect(outcome.tenants.reduce((sum, tenant) => sum + tenant.journal.writes, 0)).toBeGreaterThan(0);
    expect(printed).toContain(`Summary: ${outcome.summary}`);
    expect(printed).toContain('The report across tenants (mfa-rollout report --all-tenants)');
    expect(printed.trimEnd().endsWith('Rehearsal passed.')).toBe(true);
  }, 180_000);
});
