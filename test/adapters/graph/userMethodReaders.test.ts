import { describe, expect, it } from '@jest/globals';
import { createTemporaryAccessPass } from '../../../shared/adapters/graph/createTemporaryAccessPass.js';
import { readJourneyMemberships } from '../../../shared/adapters/graph/readJourneyMemberships.js';
import { readLiveMethods } from '../../../shared/adapters/graph/readLiveMethods.js';
import { readTemporaryAccessPassPolicy } from '../../../shared/adapters/graph/readTemporaryAccessPassPolicy.js';
import { readMethods } from '../../../shared/adapters/graph/userAuthentication.js';
import { failureOf } from './helpers/graphCalls.js';
import { useGatewayHarness } from './helpers/gatewayHarness.js';

const harness = useGatewayHarness({ users: 200, seed: 29 });
const fakeGroup = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('readLiveMethods: the journey\'s `methods` fact, read from the sandbox', () => {
  it('gives each kind of user their methods in the journey\'s terms', async () => {
    const h = harness();
    const gateway = h.gateway();
    const [phoneUser = ''] = h.users('hasPhoneMethod');
    const number = h.sandbox.state.phoneMethods(phoneUser)[0]?.phoneNumber;
    expect(await readLiveMethods(gateway, phoneUser)).toEqual({ mobileNumber: number, hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 });
    expect(await readLiveMethods(gateway, h.users('ready')[0] ?? '')).toEqual({ mobileNumber: null, hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 0 });

    const synced = h.users('passkeySynced')[0] ?? '';
    const created = h.sandbox.state.otherMethods(synced)[0]?.createdDateTime ?? '';
    expect(await readLiveMethods(gateway, synced)).toMatchObject({ mobileNumber: null, passkeys: [{ createdDateTime: created, passkeyType: 'synced' }], authenticators: [], otherStrong: 0 });
    for (const id of h.users('passkeyDeviceBound')) expect((await readLiveMethods(gateway, id)).passkeys).toEqual([{ createdDateTime: expect.any(String), passkeyType: 'deviceBound' }]);
    expect(await readLiveMethods(gateway, h.users('authenticatorOnly')[0] ?? '')).toMatchObject({ authenticators: [{ createdDateTime: expect.any(String) }], passkeys: [] });
  });

  it('counts a method only beta lists (a hardware OATH token) as another strong method, and so does readMethods', async () => {
    const h = harness();
    const gateway = h.gateway();
    const token = h.users('hardwareOathOnly')[0] ?? '';
    const mark = h.mark();
    expect(await readLiveMethods(gateway, token)).toEqual({ mobileNumber: null, hasAlternateMobile: false, passkeys: [], authenticators: [], otherStrong: 1 });
    expect((await readMethods(gateway, token)).strongMethods).toEqual(['#microsoft.graph.hardwareOathAuthenticationMethod']);
    // without the beta list the user would look methodless: both lists are read
    expect(mark().operations).toBe(4);
  });

  it('gives the mobile number in Graph\'s form, notes an alternate mobile, and does not count a Temporary Access Pass', async () => {
    const h = harness();
    const gateway = h.gateway();
    const id = h.users('ready')[1] ?? '';
    h.sandbox.state.addPhoneMethod(id, 'mobile', '+46 701234501');
    h.sandbox.state.addPhoneMethod(id, 'alternateMobile', '+46 701234502');
    await createTemporaryAccessPass(gateway, id);
    expect(await readLiveMethods(gateway, id)).toEqual({ mobileNumber: '+46 701234501', hasAlternateMobile: true, passkeys: [], authenticators: [], otherStrong: 0 });
    expect((await readMethods(gateway, id)).strongMethods).toEqual(['#microsoft.graph.phoneAuthenticationMethod', '#microsoft.graph.phoneAuthenticationMethod']);
  });
});

describe('readJourneyMemberships: the journey\'s `memberships` fact', () => {
  it('answers the transitive memberships among the groups asked, lower-case, asking at most 20 at a time', async () => {
    const h = harness();
    const { pilot, campaign, phishingResistant, exclusion } = h.manifest.groups;
    const member = h.sandbox.state.findGroup(pilot)?.memberIds[0] ?? '';
    h.sandbox.state.addGroupMembers(campaign, [member]);
    const asked = [pilot.toUpperCase(), campaign, phishingResistant, exclusion, ...Array.from({ length: 22 }, (_, n) => fakeGroup(n))];
    const mark = h.mark();
    const memberships = await readJourneyMemberships(h.gateway({ graphUseBatch: false }), member, asked);
    expect([...memberships].sort()).toEqual([pilot, campaign].map((id) => id.toLowerCase()).sort());
    const checks = mark().journal.filter((entry) => entry.operation === 'users.checkMemberGroups');
    expect(checks.map((entry) => [entry.userId, entry.detail.groups])).toEqual([[member, 20], [member, 6]]);
    expect(await readJourneyMemberships(h.gateway(), member, [])).toEqual(new Set());
  });
});

describe('the Temporary Access Pass adapters', () => {
  it('creates a pass: the pass (which Graph issued), its start and its expiry', async () => {
    const h = harness();
    const id = h.users('ready')[2] ?? '';
    const created = await createTemporaryAccessPass(h.gateway(), id, { lifetimeMinutes: 120, usableOnce: true });
    expect(created).toEqual({ pass: expect.any(String), methodId: expect.any(String), startsAt: expect.any(String), expiresAt: expect.any(String), lifetimeMinutes: 120, usableOnce: true, usabilityReason: 'EnabledByPolicy' });
    expect(Date.parse(created.expiresAt) - Date.parse(created.startsAt)).toBe(120 * 60_000);
    expect(h.sandbox.controls.checkTemporaryAccessPass(id, created.pass)).toBe(true);
  });

  it('turns Graph\'s refusal into a RolloutError with the status and Graph\'s code (an external guest)', async () => {
    const h = harness();
    const failure = await failureOf(createTemporaryAccessPass(h.gateway(), h.users('guest')[0] ?? ''));
    expect([failure.code, failure.httpStatus, failure.graphCode]).toEqual(['GRAPH_BAD_REQUEST', 400, 'badRequest']);
    expect(failure.message).toContain('Temporary Access Pass cannot be added to an external guest user.');
  });

  it('reads the TAP policy: state, targets (all users or ids), lifetimes and one-time', async () => {
    const h = harness();
    expect(await readTemporaryAccessPassPolicy(h.gateway())).toEqual({
      state: 'enabled', includesAllUsers: true, includeIds: [], excludeIds: [], targetGroupIds: [], defaultLifetimeMinutes: 60, minimumLifetimeMinutes: 60, maximumLifetimeMinutes: 480, usableOnce: false,
    });
    const { pilot, exclusion } = h.manifest.groups;
    const changed = h.sandbox.state.authenticationPolicies.updateConfiguration('TemporaryAccessPass', {
      includeTargets: [{ id: pilot.toUpperCase(), targetType: 'group', isRegistrationRequired: false }],
      excludeTargets: [{ id: exclusion, targetType: 'group' }],
      isUsableOnce: true,
    });
    expect(changed.ok).toBe(true);
    try {
      expect(await readTemporaryAccessPassPolicy(h.gateway())).toMatchObject({ includesAllUsers: false, includeIds: [pilot.toLowerCase()], excludeIds: [exclusion.toLowerCase()], targetGroupIds: [pilot.toLowerCase(), exclusion.toLowerCase()], usableOnce: true });
    } finally {
      h.sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    }
  });
});
