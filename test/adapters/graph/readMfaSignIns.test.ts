import { describe, expect, it } from '@jest/globals';
import { readMfaSignIns } from '../../../shared/adapters/graph/readMfaSignIns.js';
import { defaultAppRoles } from '../../../sandbox/auth/graphPermissions.js';
import { useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 80, seed: 23, clock: () => new Date('2026-06-02T08:00:00.000Z') });

describe('readMfaSignIns: one paged read of the beta sign-in log per night', () => {
  it("maps each user to their latest sign-in since the window start that satisfied MFA; single-factor and older ones don't count", async () => {
    const { sandbox, users, gateway } = harness();
    sandbox.controls.setRegistrationReport({ throttled: false });
    const [early, mfaTwice, noMfa] = users('ready');
    const later = (minutes: number) => sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + minutes * 60_000));
    for (const id of [early, mfaTwice]) sandbox.state.setPerUserMfaState(id ?? '', 'enforced');
    sandbox.controls.signIn(early ?? '');
    later(60);
    const since = sandbox.state.now().toISOString();
    sandbox.controls.signIn(mfaTwice ?? '');
    sandbox.controls.signIn(noMfa ?? '');
    later(30);
    sandbox.controls.signIn(mfaTwice ?? '');
    const before = sandbox.journal.counters().byRoute['GET /beta/auditLogs/signIns'] ?? 0;
    const answer = await readMfaSignIns(gateway(), since, 5);
    expect(answer).toEqual({ kind: 'available', latest: new Map([[mfaTwice, '2026-06-02T09:30:00.000Z']]) });
    // one request for the night, whatever the number of users
    expect((sandbox.journal.counters().byRoute['GET /beta/auditLogs/signIns'] ?? 0) - before).toBe(1);
  });

  it('answers unavailable, naming the cause, when the tenant lacks the licence or the app the permission: the night goes on', async () => {
    const { sandbox, gateway } = harness();
    try {
      sandbox.controls.setRegistrationReport({ licensed: false });
      expect(await readMfaSignIns(gateway(), '2026-06-01T00:00:00Z', 5)).toMatchObject({ kind: 'unavailable', cause: 'licence', errorCode: 'GRAPH_PERMISSION_MISSING', requestId: expect.any(String) });
    } finally {
      sandbox.controls.setRegistrationReport({ licensed: true });
    }
    try {
      sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'AuditLog.Read.All'));
      expect(await readMfaSignIns(gateway(), '2026-06-01T00:00:00Z', 5)).toMatchObject({ kind: 'unavailable', cause: 'permission', message: expect.stringContaining('AuditLog.Read.All') });
    } finally {
      sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
