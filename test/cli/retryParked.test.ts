import { describe, expect, it } from '@jest/globals';
import { runCli as cli } from '../helpers/runCli.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 50, seed: 62 });

interface ReportJson { progress: { parked: number; enforced: number } }

describe('mfa-rollout retry-parked', () => {
  it('releases exactly the named parked users, who are enforced the next night; bad names release nothing', async () => {
    const { sandbox } = tenant();
    // one night per user before parking: the three users whose enforcement Graph keeps refusing are parked at once
    const settings = tenant().settings({ MFA_PILOT_GROUP_ID: '', MFA_MAX_ATTEMPTS: '1', MFA_HALT_FAILURE_RATE: '0.5' });
    const [first, second, third, other] = sandbox.manifest.users.filter((user) => user.category === 'ready');
    if (first === undefined || second === undefined || third === undefined || other === undefined) throw new Error('the tenant has fewer than 4 ready users');
    const fault = sandbox.traffic.addFault({ kind: 'unavailable', status: 503, operations: ['requirements.update'], userIds: [first.id, second.id, third.id], retryAfterSeconds: 0.05 });

    expect(await cli(settings, 'run-wave')).toMatch(/^Wave \S+ completed: .* failed 3,/m);
    const parkedCount = async () => (JSON.parse(await cli(settings, 'report', '--json')) as ReportJson).progress.parked;
    expect(await parkedCount()).toBe(3);
    expect(sandbox.state.perUserMfaState(other.id)).toBe('enforced');
    for (const user of [first, second, third]) expect(sandbox.state.perUserMfaState(user.id)).not.toBe('enforced');

    // names that are not in the roster, or not parked, are all listed, and nobody is released
    await expect(cli(settings, 'retry-parked', first.upn, 'nobody@contoso.com', other.upn)).rejects.toMatchObject({
      code: 'USERS_NOT_PARKED',
      message: expect.stringMatching(/not in the roster of rollout \S+: nobody@contoso\.com; not parked: .*\(active\)\. Nothing was released\./),
    });
    await expect(cli(settings, 'retry-parked')).rejects.toMatchObject({ code: 'USAGE_INVALID' });
    await expect(cli(settings, 'retry-parked', '--all', first.upn)).rejects.toMatchObject({ code: 'USAGE_INVALID' });
    expect(await parkedCount()).toBe(3);

    sandbox.traffic.removeFault(fault.id); // the cause is fixed
    const dryRun = await cli(settings, 'retry-parked', '--dry-run', first.upn.toUpperCase(), second.id);
    expect(dryRun).toContain(`${first.upn}`);
    expect(dryRun).toMatch(/after 1 attempt\(s\): GRAPH_UNAVAILABLE/);
    expect(dryRun).toMatch(/^Dry run: 2 parked user\(s\) would get 1 new attempt\(s\)\. Nothing written\.$/m);
    expect(await parkedCount()).toBe(3);

    expect(await cli(settings, 'retry-parked', first.upn, second.id)).toMatch(/^Released 2 parked user\(s\)/m);
    expect(await parkedCount()).toBe(1);
    // the same night as the first wave: another one needs --again
    expect(await cli(settings, 'run-wave')).toMatch(/^Tonight's wave \S+ \(completed\) already ran/m);
    expect(await cli(settings, 'run-wave', '--again')).toMatch(/^Wave \S+ completed: planned 2, enforced 2 .* failed 0,/m);
    expect([first, second, third].map((user) => sandbox.state.perUserMfaState(user.id))).toEqual(['enforced', 'enforced', expect.not.stringMatching(/^enforced$/)]);

    expect(await cli(settings, 'retry-parked', '--all')).toMatch(/^Released 1 parked user\(s\)/m);
    expect(await cli(settings, 'run-wave', '--again')).toMatch(/^Wave \S+ completed: planned 1, enforced 1 .* failed 0,/m);
    expect(sandbox.state.perUserMfaState(third.id)).toBe('enforced');
    expect(await parkedCount()).toBe(0);
  });
});
